import { Events, type Message, type SendMessageResult } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiException } from '../common/api-error';
import type { Agent, Visitor } from '../generated/prisma/client';
import { ENGINES } from '../testing/databases';
import { clientMessageId } from '../testing/security-clients';
import { startTestApp, type TestApp } from '../testing/test-app';
import { MessagesService } from './messages.service';

describe.each(ENGINES)('message writes on %s', (engine) => {
  let t: TestApp;
  let messages: MessagesService;
  let agent: Agent;

  beforeAll(async () => {
    t = await startTestApp(engine);
    messages = t.app.get(MessagesService);
    agent = await t.prisma.agent.findFirstOrThrow();
  });

  afterAll(async () => {
    await t.close();
  });

  async function newVisitor(): Promise<Visitor> {
    const { socket, session } = await t.connectWidget({ transports: ['websocket'] });
    socket.disconnect();
    return t.prisma.visitor.findUniqueOrThrow({ where: { id: session.visitorId } });
  }

  async function refusal(send: Promise<unknown>): Promise<{ status: number; message: string }> {
    const error = await send.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof ApiException))
      throw new Error(`expected a refusal, got ${String(error)}`);
    return { status: error.getStatus(), message: error.message };
  }

  it('gives concurrent sends, duplicates among them, the seqs 1..N once each', async () => {
    const visitor = await newVisitor();
    const first = await messages.sendFromVisitor(visitor, {
      clientMessageId: clientMessageId(),
      body: 'first',
    });
    const conversationId = first.conversationId;
    // 20 visitor messages, 20 agent replies and 10 internal notes, each sent three times at once.
    const sends: { key: string; send: () => Promise<SendMessageResult> }[] = [];
    for (let i = 0; i < 50; i++) {
      const id = clientMessageId();
      const send =
        i < 20
          ? () =>
              messages.sendFromVisitor(visitor, {
                conversationId,
                clientMessageId: id,
                body: `v${i}`,
              })
          : () =>
              messages.sendFromAgent(agent, {
                conversationId,
                clientMessageId: id,
                body: `a${i}`,
                internal: i >= 40,
              });
      for (let copy = 0; copy < 3; copy++) sends.push({ key: id, send });
    }
    // Interleave the copies so that duplicates race each other and other messages.
    sends.sort(() => Math.random() - 0.5);
    const results = await Promise.all(
      sends.map(async (s) => ({ key: s.key, result: await s.send() })),
    );

    const byKey = new Map<string, SendMessageResult[]>();
    for (const { key, result } of results) byKey.set(key, [...(byKey.get(key) ?? []), result]);
    for (const [key, copies] of byKey) {
      expect(new Set(copies.map((c) => c.id)).size, key).toBe(1);
      expect(new Set(copies.map((c) => c.seq)).size, key).toBe(1);
      expect(copies.filter((c) => !c.duplicate).length, key).toBe(1);
    }
    const seqs = [...byKey.values()].map((copies) => copies[0]?.seq ?? 0).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));

    const rows = await t.prisma.message.findMany({
      where: { conversationId },
      orderBy: { seq: 'asc' },
    });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.clientMessageId)).size).toBe(51);
    const conversation = await t.prisma.conversation.findUniqueOrThrow({
      where: { id: conversationId },
    });
    expect(conversation.lastSeq).toBe(51);
    const last = rows.at(-1);
    expect(conversation.lastMessageAt).toEqual(
      rows.reduce(
        (latest, r) => (r.createdAt > latest ? r.createdAt : latest),
        rows[0]?.createdAt ?? new Date(0),
      ),
    );
    expect(last && conversation.lastMessagePreview).toBe(last?.body);
  });

  it('commits the sends of a busy moment together, each with its own answer', async () => {
    const visitors = await Promise.all(Array.from({ length: 8 }, () => newVisitor()));
    const conversations = await Promise.all(
      visitors.map(
        async (visitor) =>
          (
            await messages.sendFromVisitor(visitor, {
              clientMessageId: clientMessageId(),
              body: 'first',
            })
          ).conversationId,
      ),
    );
    const statements = vi.spyOn(t.prisma, '$queryRaw');
    // At once, in every conversation: 15 visitor messages and 5 agent replies each, and a
    // message of each visitor into the next visitor's conversation, which must be refused.
    const sends = visitors.flatMap((visitor, v) => {
      const conversationId = conversations[v] ?? '';
      const own = Array.from({ length: 20 }, (_, i) => ({
        conversationId,
        refused: false,
        send: () =>
          i < 15
            ? messages.sendFromVisitor(visitor, {
                conversationId,
                clientMessageId: clientMessageId(),
                body: `visitor ${String(i)}`,
              })
            : messages.sendFromAgent(agent, {
                conversationId,
                clientMessageId: clientMessageId(),
                body: `agent ${String(i)}`,
              }),
      }));
      const foreign = conversations[(v + 1) % conversations.length] ?? '';
      const intruding = {
        conversationId: foreign,
        refused: true,
        send: () =>
          messages.sendFromVisitor(visitor, {
            conversationId: foreign,
            clientMessageId: clientMessageId(),
            body: 'not mine',
          }),
      };
      return [...own.slice(0, 10), intruding, ...own.slice(10)];
    });
    const outcomes = await Promise.all(
      sends.map((s) =>
        s.send().then(
          (result) => ({ ...s, result, error: null }),
          (error: unknown) => ({ ...s, result: null, error }),
        ),
      ),
    );
    const calls = statements.mock.calls.length;
    statements.mockRestore();

    // Far fewer statements than messages: the sends went in batches.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(sends.length / 4);
    for (const outcome of outcomes.filter((o) => o.refused)) {
      expect(outcome.error).toBeInstanceOf(ApiException);
      expect((outcome.error as ApiException).getStatus()).toBe(404);
    }
    for (const conversationId of conversations) {
      const answers = outcomes.filter((o) => !o.refused && o.conversationId === conversationId);
      expect(answers.map((o) => o.error)).toEqual(Array(20).fill(null));
      expect(answers.map((o) => o.result?.seq).sort((a = 0, b = 0) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
      const stored = await t.prisma.message.findMany({
        where: { conversationId },
        orderBy: { seq: 'asc' },
      });
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(stored.map((m) => m.id).slice(1)).toEqual(
        answers
          .map((o) => o.result)
          .sort((a, b) => (a?.seq ?? 0) - (b?.seq ?? 0))
          .map((r) => r?.id),
      );
      expect(stored.some((m) => m.body === 'not mine')).toBe(false);
      expect(
        (await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).lastSeq,
      ).toBe(21);
    }
  });

  it('opens one conversation for concurrent first messages', async () => {
    const visitor = await newVisitor();
    const ids = Array.from({ length: 8 }, () => clientMessageId());
    const results = await Promise.all(
      [...ids, ...ids].map((id) =>
        messages.sendFromVisitor(visitor, { clientMessageId: id, body: 'hi' }),
      ),
    );
    expect(new Set(results.map((r) => r.conversationId)).size).toBe(1);
    expect(new Set(results.map((r) => r.seq))).toEqual(
      new Set(Array.from({ length: 8 }, (_, i) => i + 1)),
    );
    expect(await t.prisma.conversation.count({ where: { visitorId: visitor.id } })).toBe(1);
  });

  it('reopens on a visitor message, not on an agent reply, and records the last activity', async () => {
    const visitor = await newVisitor();
    const first = await messages.sendFromVisitor(visitor, {
      clientMessageId: clientMessageId(),
      body: 'hello',
    });
    const { conversationId } = first;
    await t.prisma.conversation.update({
      where: { id: conversationId },
      data: { status: 'SNOOZED', snoozedUntil: new Date(Date.now() + 3_600_000) },
    });
    const reply = await messages.sendFromAgent(agent, {
      conversationId,
      clientMessageId: clientMessageId(),
      body: 'We will get back to you',
    });
    let conversation = await t.prisma.conversation.findUniqueOrThrow({
      where: { id: conversationId },
    });
    expect(conversation.status).toBe('SNOOZED');
    expect(conversation.lastSeq).toBe(2);
    expect(conversation.lastMessageAt?.toISOString()).toBe(reply.message.createdAt);
    expect(reply.message.authorName).toBe(agent.name);

    await t.prisma.visitor.update({ where: { id: visitor.id }, data: { name: 'Ada' } });
    const back = await messages.sendFromVisitor(visitor, {
      conversationId,
      clientMessageId: clientMessageId(),
      body: 'x'.repeat(300),
    });
    conversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation).toMatchObject({ status: 'OPEN', snoozedUntil: null, lastSeq: 3 });
    expect(conversation.lastMessageAt?.toISOString()).toBe(back.message.createdAt);
    expect(conversation.lastMessagePreview).toBe('x'.repeat(140));
    // The visitor's current name, though the caller's copy of the visitor is older.
    expect(back.message).toMatchObject({ authorKind: 'VISITOR', authorName: 'Ada', seq: 3 });
  });

  it('publishes only committed messages, with their conversation', async () => {
    const visitor = await newVisitor();
    const cookie = await t.login();
    const inbox = await t.connectAgent(cookie, ['websocket']);
    const seenInDatabase: boolean[] = [];
    const received = new Promise<Message>((resolve) => {
      inbox.on(Events.MessageNew, (message: Message) => {
        void t.prisma.message
          .count({ where: { id: message.id } })
          .then((n) => seenInDatabase.push(n === 1))
          .then(() => {
            resolve(message);
          });
      });
    });
    const updated = new Promise<unknown>((resolve) =>
      inbox.once(Events.ConversationUpdated, resolve),
    );
    const sent = await messages.sendFromVisitor(visitor, {
      clientMessageId: clientMessageId(),
      body: 'ping',
    });
    expect(await received).toMatchObject({ id: sent.id, seq: 1 });
    expect(seenInDatabase).toEqual([true]);
    expect(await updated).toMatchObject({
      id: sent.conversationId,
      lastSeq: 1,
      lastMessagePreview: 'ping',
      visitor: { id: visitor.id },
    });
    inbox.disconnect();
  });

  it('refuses a revoked visitor, an inactive agent and other conversations, using no seq', async () => {
    const visitor = await newVisitor();
    const other = await newVisitor();
    const { conversationId } = await messages.sendFromVisitor(visitor, {
      clientMessageId: clientMessageId(),
      body: 'mine',
    });
    expect(
      await refusal(
        messages.sendFromVisitor(other, {
          conversationId,
          clientMessageId: clientMessageId(),
          body: 'x',
        }),
      ),
    ).toMatchObject({ status: 404 });
    expect(
      await refusal(
        messages.sendFromAgent(agent, {
          conversationId: 'no-such-conversation',
          clientMessageId: clientMessageId(),
          body: 'x',
        }),
      ),
    ).toMatchObject({ status: 404 });

    const helper = await t.prisma.agent.create({
      data: {
        id: clientMessageId(),
        email: `${clientMessageId()}@example.com`,
        name: 'Temp',
        passwordHash: 'x',
        active: false,
      },
    });
    expect(
      await refusal(
        messages.sendFromAgent(helper, {
          conversationId,
          clientMessageId: clientMessageId(),
          body: 'x',
        }),
      ),
    ).toMatchObject({ status: 401 });

    await t.prisma.visitor.update({ where: { id: visitor.id }, data: { revokedAt: new Date() } });
    expect(
      await refusal(
        messages.sendFromVisitor(visitor, {
          conversationId,
          clientMessageId: clientMessageId(),
          body: 'x',
        }),
      ),
    ).toMatchObject({ status: 401 });
    expect(
      await refusal(
        messages.sendFromVisitor(visitor, { clientMessageId: clientMessageId(), body: 'x' }),
      ),
    ).toMatchObject({ status: 401 });
    expect(await t.prisma.conversation.count({ where: { visitorId: visitor.id } })).toBe(1);

    const conversation = await t.prisma.conversation.findUniqueOrThrow({
      where: { id: conversationId },
    });
    expect(conversation.lastSeq).toBe(1);
    expect(await t.prisma.message.count({ where: { conversationId } })).toBe(1);
  });
});
