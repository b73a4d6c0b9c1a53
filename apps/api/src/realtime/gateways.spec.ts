import {
  Events,
  Limits,
  Namespace,
  type Conversation,
  type Message,
  type SendMessageResult,
  type SyncResult,
  type VisitorConversationList,
} from '@parley/protocol';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../testing/databases';
import {
  SITE_KEY,
  connectError,
  emitAck,
  nextEvent,
  startTestApp,
  trackSocket,
  type TestApp,
  type Transport,
} from '../testing/test-app';

const TRANSPORTS: Transport[] = ['polling', 'websocket'];
let counter = 0;
const clientId = () => `test-${Date.now().toString(36)}-${(counter++).toString(36)}`;

describe.each(ENGINES)('gateways on %s', (engine) => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    cookie = await t.login();
  });

  afterAll(async () => {
    await t.close();
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    const only = [transport];

    it('gives a new visitor a token and recognises it on the next connection', async () => {
      const first = await t.connectWidget({ transports: only });
      expect(first.socket.io.engine.transport.name).toBe(transport);
      expect(first.session.visitorToken).toMatch(/^[\w-]{43}$/);
      expect(first.session.conversations).toEqual([]);
      first.socket.disconnect();

      const again = await t.connectWidget({
        transports: only,
        visitorToken: first.session.visitorToken,
      });
      expect(again.session.visitorId).toBe(first.session.visitorId);
      expect(again.session.visitorToken).toBeUndefined();
      again.socket.disconnect();
    });

    it('carries a conversation both ways in real time with acked { id, seq }', async () => {
      const agent = await t.connectAgent(cookie, only);
      const { socket: visitor } = await t.connectWidget({ transports: only });

      const inboxUpdate = nextEvent<Conversation>(agent, Events.ConversationUpdated);
      const agentSees = nextEvent<Message>(agent, Events.MessageNew);
      const sent = await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
        clientMessageId: clientId(),
        body: 'Hello, is anyone there?',
      });
      expect(sent.ok).toBe(true);
      if (!sent.ok) return;
      expect(sent.data.seq).toBe(1);
      expect(sent.data.duplicate).toBe(false);
      const conversation = await inboxUpdate;
      expect(conversation.id).toBe(sent.data.conversationId);
      expect(conversation.lastMessagePreview).toBe('Hello, is anyone there?');
      expect(await agentSees).toMatchObject({ id: sent.data.id, seq: 1, authorKind: 'VISITOR' });

      const visitorSees = nextEvent<Message>(visitor, Events.MessageNew);
      const reply = await emitAck<SendMessageResult>(agent, Events.MessageSend, {
        conversationId: sent.data.conversationId,
        clientMessageId: clientId(),
        body: 'Yes! How can I help?',
      });
      expect(reply).toMatchObject({ ok: true, data: { seq: 2 } });
      expect(await visitorSees).toMatchObject({
        seq: 2,
        authorKind: 'AGENT',
        authorName: 'Admin',
        body: 'Yes! How can I help?',
      });
      visitor.disconnect();
      agent.disconnect();
    });

    it('returns the original message for a resent client id, never a second one', async () => {
      const { socket } = await t.connectWidget({ transports: only });
      const id = clientId();
      const first = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
        clientMessageId: id,
        body: 'once',
      });
      const again = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
        clientMessageId: id,
        body: 'once',
      });
      // Concurrent copies (a retry racing the original) also collapse into one.
      const racing = await Promise.all(
        Array.from({ length: 5 }, () =>
          emitAck<SendMessageResult>(socket, Events.MessageSend, {
            clientMessageId: `${id}-r`,
            body: 'race',
          }),
        ),
      );
      expect(first.ok && again.ok).toBe(true);
      if (!first.ok || !again.ok) return;
      expect(again.data).toMatchObject({ id: first.data.id, seq: first.data.seq, duplicate: true });
      expect(new Set(racing.map((r) => (r.ok ? r.data.id : 'failed'))).size).toBe(1);
      const rows = await t.prisma.message.findMany({
        where: { conversationId: first.data.conversationId },
      });
      expect(rows.map((r) => r.seq).sort()).toEqual([1, 2]);
      socket.disconnect();
    });

    it('answers bad payloads with a VALIDATION_FAILED ack, writes nothing and stays connected', async () => {
      const { socket } = await t.connectWidget({ transports: only });
      const before = await t.prisma.message.count();
      const bad: unknown[] = [
        undefined,
        null,
        'text',
        42,
        [],
        {},
        { body: 'no id' },
        { clientMessageId: clientId() },
        { clientMessageId: clientId(), body: 12 },
        { clientMessageId: clientId(), body: '   ' },
        { clientMessageId: clientId(), body: 'x'.repeat(Limits.messageBodyMax + 1) },
        { clientMessageId: 'bad id with spaces', body: 'hi' },
        { clientMessageId: clientId(), body: 'hi', conversationId: { $ne: null } },
        JSON.parse('{"__proto__": {"polluted": true}, "clientMessageId": "abcdefgh", "body": 7}'),
      ];
      for (const payload of bad) {
        const res = await emitAck(socket, Events.MessageSend, payload);
        expect(res.ok, (JSON.stringify(payload) as string | undefined)?.slice(0, 60)).toBe(false);
        if (!res.ok) {
          expect(res.error.code).toBe('VALIDATION_FAILED');
          expect(res.error.message).toMatch(/^Invalid message: /);
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await t.prisma.message.count()).toBe(before);
      expect(socket.connected).toBe(true);
      const good = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
        clientMessageId: clientId(),
        body: 'still here',
      });
      expect(good.ok).toBe(true);
      socket.disconnect();
    });

    it('resyncs history after a reconnect, by seq, and never shows another visitor a conversation', async () => {
      const alice = await t.connectWidget({ transports: only });
      const ids: string[] = [];
      let conversationId = '';
      for (const body of ['one', 'two', 'three']) {
        const res = await emitAck<SendMessageResult>(alice.socket, Events.MessageSend, {
          clientMessageId: clientId(),
          body,
        });
        if (res.ok) {
          ids.push(res.data.id);
          conversationId = res.data.conversationId;
        }
      }
      alice.socket.disconnect();
      const back = await t.connectWidget({
        transports: only,
        visitorToken: alice.session.visitorToken,
      });
      expect(back.session.conversations.map((c) => c.id)).toEqual([conversationId]);
      const all = await emitAck<SyncResult>(back.socket, Events.ConversationSync, {
        conversationId,
        afterSeq: 0,
      });
      expect(all.ok && all.data.messages.map((m) => m.body)).toEqual(['one', 'two', 'three']);
      const tail = await emitAck<SyncResult>(back.socket, Events.ConversationSync, {
        conversationId,
        afterSeq: 2,
      });
      expect(tail.ok && tail.data.messages.map((m) => m.seq)).toEqual([3]);

      const mallory = await t.connectWidget({ transports: only });
      const stolen = await emitAck(mallory.socket, Events.ConversationSync, {
        conversationId,
        afterSeq: 0,
      });
      expect(stolen).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const intoIt = await emitAck(mallory.socket, Events.MessageSend, {
        conversationId,
        clientMessageId: clientId(),
        body: 'hi',
      });
      expect(intoIt).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const list = await emitAck<VisitorConversationList>(
        mallory.socket,
        Events.ConversationList,
        {},
      );
      expect(list).toEqual({ ok: true, data: { conversations: [] } });
      back.socket.disconnect();
      mallory.socket.disconnect();
    });

    it('refuses unknown sites, bad tokens and malformed handshakes with a code', async () => {
      const cases: { auth: Record<string, unknown>; code: string }[] = [
        { auth: { siteKey: 'no-such-site' }, code: 'UNKNOWN_SITE' },
        { auth: { siteKey: SITE_KEY, visitorToken: 'A'.repeat(43) }, code: 'UNAUTHORIZED' },
        { auth: { siteKey: 42 }, code: 'VALIDATION_FAILED' },
        { auth: {}, code: 'VALIDATION_FAILED' },
      ];
      for (const { auth, code } of cases) {
        const socket = io(`${t.url}/widget`, {
          transports: only,
          auth,
          reconnection: false,
          forceNew: true,
        });
        trackSocket(socket);
        const err = await connectError(socket);
        expect(err.message).toBe(code);
        expect(err.data?.message).toBeTruthy();
        socket.disconnect();
      }
    });

    it('refuses an agent socket without a valid session cookie', async () => {
      for (const headers of [{}, { cookie: 'parley_session=forged-token-value' }] as Record<
        string,
        string
      >[]) {
        const socket = io(`${t.url}/agent`, {
          transports: only,
          extraHeaders: headers,
          reconnection: false,
          forceNew: true,
        });
        trackSocket(socket);
        const err = await connectError(socket);
        expect(err.message).toBe('UNAUTHORIZED');
        socket.disconnect();
      }
    });
  });

  it('closes a connection whose set-up failed, so that the client reconnects, instead of leaving it deaf', async () => {
    const failure = new Error('the database did not answer');
    const spy = vi.spyOn(t.prisma.site, 'findMany').mockRejectedValueOnce(failure);
    try {
      const agent = io(`${t.url}${Namespace.Agent}`, {
        transports: ['websocket'],
        forceNew: true,
        reconnectionDelay: 50,
        extraHeaders: { cookie },
      });
      trackSocket(agent);
      await nextEvent(agent, 'connect');
      // The first connection had no rooms: it is closed as a network failure would close it.
      const reason = await nextEvent<string>(agent, 'disconnect');
      expect(reason).toBe('transport close');
      await nextEvent(agent, 'connect');
      expect(spy).toHaveBeenCalledTimes(2);
      // The second one is set up: it hears of a visitor's message.
      const visitor = await t.connectWidget({ transports: ['websocket'] });
      const heard = nextEvent<Message>(agent, Events.MessageNew);
      await emitAck(visitor.socket, Events.MessageSend, {
        clientMessageId: clientId(),
        body: 'can anyone hear me?',
      });
      expect((await heard).body).toBe('can anyone hear me?');
      agent.disconnect();
      visitor.socket.disconnect();
    } finally {
      spy.mockRestore();
    }
  });

  it('lists no connection that closed while it was being set up', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const findMany = t.prisma.site.findMany.bind(t.prisma.site);
    const spy = vi.spyOn(t.prisma.site, 'findMany').mockImplementationOnce((async (
      args: Parameters<typeof findMany>[0],
    ) => {
      await gate;
      return findMany(args);
    }) as unknown as typeof findMany);
    try {
      const agent = await t.connectAgent(cookie, ['websocket']);
      const id = agent.id ?? '';
      agent.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const res = await fetch(`${t.url}/api/realtime/connections`, { headers: { cookie } });
      const { connections } = (await res.json()) as { connections: { id: string }[] };
      expect(id).not.toBe('');
      expect(connections.map((c) => c.id)).not.toContain(id);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers agents who write to a conversation that does not exist', async () => {
    const agent = await t.connectAgent(cookie);
    const res = await emitAck(agent, Events.MessageSend, {
      conversationId: 'does-not-exist',
      clientMessageId: clientId(),
      body: 'hello?',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(agent.connected).toBe(true);
    agent.disconnect();
  });
});
