import {
  Events,
  type Ack,
  type Conversation,
  type ReadUpdate,
  type SendMessageResult,
  type SiteResponse,
  type TypingUpdate,
  type VisitorConversation,
  type VisitorSession,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import {
  SITE_KEY,
  emitAck,
  nextEvent,
  startTestApp,
  type AgentClient,
  type TestApp,
  type WidgetClient,
} from '../testing/test-app';

let counter = 0;
const clientId = () => `feat-${Date.now().toString(36)}-${(counter++).toString(36)}`;

function okData<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** Resolves with the first `event` whose payload passes `match`. */
function eventWhere<T>(
  socket: WidgetClient | AgentClient,
  event: string,
  match: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      (socket as unknown as { off: (e: string, l: (v: T) => void) => void }).off(event, listener);
      reject(new Error(`no matching "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (value: T) => {
      if (!match(value)) return;
      clearTimeout(timer);
      (socket as unknown as { off: (e: string, l: (v: T) => void) => void }).off(event, listener);
      resolve(value);
    };
    (socket as unknown as { on: (e: string, l: (v: T) => void) => void }).on(event, listener);
  });
}

/** Collects every `event` received while `run` runs and a moment after. */
async function collect<T>(
  socket: WidgetClient | AgentClient,
  event: string,
  run: () => Promise<void>,
  settleMs = 300,
): Promise<T[]> {
  const seen: T[] = [];
  const listener = (value: T) => seen.push(value);
  const s = socket as unknown as {
    on: (e: string, l: (v: T) => void) => void;
    off: (e: string, l: (v: T) => void) => void;
  };
  s.on(event, listener);
  await run();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  s.off(event, listener);
  return seen;
}

describe.each(ENGINES)('conversation features on %s', (engine) => {
  let t: TestApp;
  let cookie: string;
  let siteId: string;

  const setPreChat = async (name: string, email: string) => {
    const res = await fetch(`${t.url}/api/sites/${siteId}/pre-chat`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie, origin: t.url },
      body: JSON.stringify({ name, email }),
    });
    return res;
  };

  /** A visitor with one conversation (its first message sent) and a connected agent. */
  const conversationWithAgent = async () => {
    const agent = await t.connectAgent(cookie);
    const { socket: visitor, session } = await t.connectWidget();
    const sent = okData(
      await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
        clientMessageId: clientId(),
        body: 'Hello there',
      }),
    );
    return { agent, visitor, session, conversationId: sent.conversationId };
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    cookie = await t.login();
    const site = await t.prisma.site.findFirstOrThrow({ where: { publicKey: SITE_KEY } });
    siteId = site.id;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('typing', () => {
    it('carries a visitor typing to agents and an agent typing to the visitor, never stored', async () => {
      const { agent, visitor, session, conversationId } = await conversationWithAgent();

      const agentHears = nextEvent<TypingUpdate>(agent, Events.TypingUpdated);
      okData(await emitAck(visitor, Events.TypingSet, { conversationId, typing: true }));
      expect(await agentHears).toEqual({
        conversationId,
        author: 'VISITOR',
        authorId: session.visitorId,
        name: null,
        typing: true,
      });

      const visitorHears = nextEvent<TypingUpdate>(visitor, Events.TypingUpdated);
      okData(await emitAck(agent, Events.TypingSet, { conversationId, typing: true }));
      expect(await visitorHears).toMatchObject({
        conversationId,
        author: 'AGENT',
        name: 'Admin',
        typing: true,
      });

      const stopped = nextEvent<TypingUpdate>(visitor, Events.TypingUpdated);
      okData(await emitAck(agent, Events.TypingSet, { conversationId, typing: false }));
      expect((await stopped).typing).toBe(false);
      // Nothing was written: the conversation still has its one message.
      const row = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
      expect(row.lastSeq).toBe(1);
      visitor.disconnect();
      agent.disconnect();
    });

    it('refuses typing in another visitor’s conversation and malformed notices', async () => {
      const { agent, visitor, conversationId } = await conversationWithAgent();
      const { socket: stranger } = await t.connectWidget();
      const heard = await collect<TypingUpdate>(agent, Events.TypingUpdated, async () => {
        const refused = await emitAck(stranger, Events.TypingSet, { conversationId, typing: true });
        expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      });
      expect(heard).toEqual([]);
      const malformed = await emitAck(visitor, Events.TypingSet, { conversationId, typing: 'yes' });
      expect(malformed).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      stranger.disconnect();
      visitor.disconnect();
      agent.disconnect();
    });

    it('limits a socket that sends typing notices too fast, and keeps it connected', async () => {
      const { agent, visitor, conversationId } = await conversationWithAgent();
      const acks: Ack<unknown>[] = [];
      for (let i = 0; i < 12; i++) {
        acks.push(await emitAck(visitor, Events.TypingSet, { conversationId, typing: true }));
      }
      expect(acks.filter((a) => a.ok)).toHaveLength(10);
      expect(acks.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect(visitor.connected).toBe(true);
      visitor.disconnect();
      agent.disconnect();
    });
  });

  describe('read receipts', () => {
    it('stores the visitor’s read position and shows it to agents live, only ever forward', async () => {
      const { agent, visitor, conversationId } = await conversationWithAgent();
      okData(
        await emitAck<SendMessageResult>(agent, Events.MessageSend, {
          conversationId,
          clientMessageId: clientId(),
          body: 'Hi, how can I help?',
        }),
      );

      const agentHears = eventWhere<ReadUpdate>(
        agent,
        Events.ReadUpdated,
        (u) => u.conversationId === conversationId && u.reader === 'VISITOR',
      );
      const marked = okData(
        await emitAck<ReadUpdate>(visitor, Events.ReadMark, { conversationId, seq: 2 }),
      );
      expect(marked).toEqual({ conversationId, reader: 'VISITOR', seq: 2 });
      expect(await agentHears).toEqual(marked);

      // Beyond the last message it stops at the last message; backwards it does not move.
      const beyond = okData(
        await emitAck<ReadUpdate>(visitor, Events.ReadMark, { conversationId, seq: 99 }),
      );
      expect(beyond.seq).toBe(2);
      const back = okData(
        await emitAck<ReadUpdate>(visitor, Events.ReadMark, { conversationId, seq: 1 }),
      );
      expect(back.seq).toBe(2);

      const row = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
      expect(row.visitorLastReadSeq).toBe(2);
      const list = await fetch(`${t.url}/api/conversations`, { headers: { cookie } });
      const body = (await list.json()) as { conversations: Conversation[] };
      expect(body.conversations.find((c) => c.id === conversationId)?.visitorLastReadSeq).toBe(2);
      visitor.disconnect();
      agent.disconnect();
    });

    it('shows the agents’ read position to the visitor live and in its conversation list', async () => {
      const { agent, visitor, session, conversationId } = await conversationWithAgent();
      const visitorHears = eventWhere<ReadUpdate>(
        visitor,
        Events.ReadUpdated,
        (u) => u.reader === 'AGENT',
      );
      const marked = okData(
        await emitAck<ReadUpdate>(agent, Events.ReadMark, { conversationId, seq: 1 }),
      );
      expect(marked).toEqual({ conversationId, reader: 'AGENT', seq: 1 });
      expect(await visitorHears).toEqual(marked);

      visitor.disconnect();
      const again = await t.connectWidget({ visitorToken: session.visitorToken ?? '' });
      const listed = again.session.conversations.find((c) => c.id === conversationId);
      expect(listed).toMatchObject({ agentLastReadSeq: 1, lastMessagePreview: 'Hello there' });
      again.socket.disconnect();
      agent.disconnect();
    });

    it('refuses a visitor marking another visitor’s conversation', async () => {
      const { agent, visitor, conversationId } = await conversationWithAgent();
      const { socket: stranger } = await t.connectWidget();
      const refused = await emitAck(stranger, Events.ReadMark, { conversationId, seq: 1 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const row = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
      expect(row.visitorLastReadSeq).toBe(0);
      stranger.disconnect();
      visitor.disconnect();
      agent.disconnect();
    });
  });

  describe('satisfaction', () => {
    it('takes one rating of a resolved conversation, stores it and shows it to agents', async () => {
      const { agent, visitor, conversationId } = await conversationWithAgent();

      const early = await emitAck(visitor, Events.ConversationRate, { conversationId, rating: 5 });
      expect(early).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

      const resolved = eventWhere<VisitorConversation>(
        visitor,
        Events.ConversationUpdated,
        (c) => c.id === conversationId && c.status === 'RESOLVED',
      );
      okData(
        await emitAck<Conversation>(agent, Events.ConversationUpdate, {
          conversationId,
          status: 'RESOLVED',
        }),
      );
      expect((await resolved).satisfactionRating).toBeNull();

      for (const bad of [0, 6, 3.5, '4']) {
        const refused = await emitAck(visitor, Events.ConversationRate, {
          conversationId,
          rating: bad,
        });
        expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      }
      const tooLong = await emitAck(visitor, Events.ConversationRate, {
        conversationId,
        rating: 4,
        comment: 'x'.repeat(1001),
      });
      expect(tooLong).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

      const agentSees = eventWhere<Conversation>(
        agent,
        Events.ConversationUpdated,
        (c) => c.id === conversationId && c.satisfaction !== null,
      );
      const rated = okData(
        await emitAck<VisitorConversation>(visitor, Events.ConversationRate, {
          conversationId,
          rating: 4,
          comment: '  Quick and helpful  ',
        }),
      );
      expect(rated).toMatchObject({
        id: conversationId,
        status: 'RESOLVED',
        satisfactionRating: 4,
      });
      expect((await agentSees).satisfaction).toMatchObject({
        rating: 4,
        comment: 'Quick and helpful',
      });

      const twice = await emitAck(visitor, Events.ConversationRate, { conversationId, rating: 1 });
      expect(twice).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      const row = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
      expect(row.satisfactionRating).toBe(4);
      expect(row.satisfactionRatedAt).toBeInstanceOf(Date);

      const { socket: stranger } = await t.connectWidget();
      const notTheirs = await emitAck(stranger, Events.ConversationRate, {
        conversationId,
        rating: 1,
      });
      expect(notTheirs).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      stranger.disconnect();
      visitor.disconnect();
      agent.disconnect();
    });

    it('refuses a rating outside 1 to 5 in the database itself', async () => {
      const { visitor, agent, conversationId } = await conversationWithAgent();
      await expect(
        t.prisma.conversation.update({
          where: { id: conversationId },
          data: { satisfactionRating: 9 },
        }),
      ).rejects.toThrow();
      visitor.disconnect();
      agent.disconnect();
    });
  });

  describe('pre-chat form', () => {
    it('lets only admins set it, validates it, and serves it with the widget config', async () => {
      const bad = await setPreChat('sometimes', 'off');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe(
        'VALIDATION_FAILED',
      );

      await t.createAgent('AGENT', 'plain-agent@example.com');
      const agentCookie = await t.login('plain-agent@example.com');
      const forbidden = await fetch(`${t.url}/api/sites/${siteId}/pre-chat`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie: agentCookie, origin: t.url },
        body: JSON.stringify({ name: 'required', email: 'required' }),
      });
      expect(forbidden.status).toBe(403);

      const set = await setPreChat('optional', 'required');
      expect(set.status).toBe(200);
      expect(((await set.json()) as SiteResponse).site.preChat).toEqual({
        name: 'optional',
        email: 'required',
      });
      const config = await fetch(`${t.url}/api/widget/config?siteKey=${SITE_KEY}`);
      expect(((await config.json()) as { preChat: unknown }).preChat).toEqual({
        name: 'optional',
        email: 'required',
      });
      await setPreChat('off', 'off');
    });

    it('refuses a first message until the required fields are given', async () => {
      await (await setPreChat('required', 'required')).body?.cancel();
      try {
        const { socket: visitor, session } = await t.connectWidget();
        const refused = await emitAck(visitor, Events.MessageSend, {
          clientMessageId: clientId(),
          body: 'Can I skip the form?',
        });
        expect(refused).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED', details: { name: 'required', email: 'required' } },
        });
        expect(await t.prisma.conversation.count({ where: { visitorId: session.visitorId } })).toBe(
          0,
        );

        const badEmail = await emitAck(visitor, Events.VisitorUpdate, {
          name: 'Ada',
          email: 'not-an-email',
        });
        expect(badEmail).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        okData(await emitAck<VisitorSession>(visitor, Events.VisitorUpdate, { name: 'Ada' }));
        const stillMissing = await emitAck(visitor, Events.MessageSend, {
          clientMessageId: clientId(),
          body: 'Now?',
        });
        expect(stillMissing).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED', details: { email: 'required' } },
        });

        okData(
          await emitAck<VisitorSession>(visitor, Events.VisitorUpdate, {
            email: 'ada@example.com',
          }),
        );
        const sent = okData(
          await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
            clientMessageId: clientId(),
            body: 'Hello with my details',
          }),
        );
        expect(sent.seq).toBe(1);
        visitor.disconnect();
      } finally {
        await (await setPreChat('off', 'off')).body?.cancel();
      }
    });
  });
});
