import {
  Events,
  type Conversation,
  type ListConversationsResponse,
  type Message,
  type SendMessageResult,
  type SyncResult,
  type VisitorConversation,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import { callApi, clientMessageId } from '../testing/security-clients';
import {
  emitAck,
  nextEvent,
  startTestApp,
  type AgentClient,
  type TestApp,
  type Transport,
  type WidgetClient,
} from '../testing/test-app';
import { ConversationsService } from './conversations.service';

const TRANSPORTS: Transport[] = ['polling', 'websocket'];

/** Every event of `names` that `socket` receives from now on. */
function record(
  socket: WidgetClient | AgentClient,
  names: string[],
): { event: string; data: unknown }[] {
  const seen: { event: string; data: unknown }[] = [];
  socket.onAny((event: string, data: unknown) => {
    if (names.includes(event)) seen.push({ event, data });
  });
  return seen;
}

async function visitorStarts(
  t: TestApp,
  transports: Transport[],
  body: string,
): Promise<{ visitor: WidgetClient; conversationId: string }> {
  const { socket: visitor } = await t.connectWidget({ transports });
  const sent = await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
    clientMessageId: clientMessageId(),
    body,
  });
  if (!sent.ok) throw new Error(`visitor send failed: ${sent.error.message}`);
  return { visitor, conversationId: sent.data.conversationId };
}

describe.each(ENGINES)('inbox workflow on %s', (engine) => {
  let t: TestApp;
  let adminCookie: string;
  let agentCookie: string;
  let agentId: string;
  let adminId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    await t.createAgent('AGENT', 'bea@example.com');
    adminCookie = await t.login();
    agentCookie = await t.login('bea@example.com');
    agentId = (await t.prisma.agent.findUniqueOrThrow({ where: { email: 'bea@example.com' } })).id;
    adminId = (await t.prisma.agent.findFirstOrThrow({ where: { role: 'ADMIN' } })).id;
  });

  afterAll(async () => {
    await t.close();
  });

  describe.each(TRANSPORTS)('internal notes over %s', (transport) => {
    it('reach every agent but never the visitor: not live, not by sync, not by id', async () => {
      const only = [transport];
      const { visitor, conversationId } = await visitorStarts(t, only, 'My parcel is late');
      const admin = await t.connectAgent(adminCookie, only);
      const colleague = await t.connectAgent(agentCookie, only);
      const visitorSaw = record(visitor, [Events.MessageNew, Events.ConversationUpdated]);

      const colleagueSees = nextEvent<Message>(colleague, Events.MessageNew);
      const noteId = clientMessageId();
      const note = await emitAck<SendMessageResult>(admin, Events.MessageSend, {
        conversationId,
        clientMessageId: noteId,
        body: 'Internal: carrier lost it, refund approved',
        internal: true,
      });
      expect(note).toMatchObject({ ok: true, data: { seq: 2, message: { internal: true } } });
      expect(await colleagueSees).toMatchObject({ seq: 2, internal: true });

      // A reply after the note does reach the visitor: the visitor's stream skips seq 2.
      const visitorGetsReply = nextEvent<Message>(visitor, Events.MessageNew);
      const reply = await emitAck<SendMessageResult>(admin, Events.MessageSend, {
        conversationId,
        clientMessageId: clientMessageId(),
        body: 'We are refunding you today.',
      });
      expect(reply).toMatchObject({ ok: true, data: { seq: 3 } });
      expect(await visitorGetsReply).toMatchObject({ seq: 3, internal: false });

      const sync = await emitAck<SyncResult>(visitor, Events.ConversationSync, {
        conversationId,
        afterSeq: 0,
      });
      expect(sync.ok && sync.data.messages.map((m) => m.seq)).toEqual([1, 3]);
      expect(JSON.stringify(sync)).not.toContain('carrier lost it');
      // Synced up to lastSeq: the visitor's client knows it has everything it may see.
      expect(sync.ok && sync.data.lastSeq).toBe(3);

      // Resending the note's client id does not hand the note over either.
      const reused = await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
        conversationId,
        clientMessageId: noteId,
        body: 'guess',
      });
      expect(reused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(JSON.stringify(reused)).not.toContain('carrier lost it');

      // Agents see the note in the history, marked as such.
      const history = await callApi(t, 'GET', `/api/conversations/${conversationId}/messages`, {
        cookie: agentCookie,
      });
      const messages = (history.body as unknown as SyncResult).messages;
      expect(messages.map((m) => [m.seq, m.internal])).toEqual([
        [1, false],
        [2, true],
        [3, false],
      ]);

      expect(visitorSaw.map((e) => e.event)).toEqual([Events.MessageNew]);
      expect(JSON.stringify(visitorSaw)).not.toContain('carrier lost it');
      visitor.disconnect();
      admin.disconnect();
      colleague.disconnect();
    });
  });

  it('moves a conversation through pending, resolved and snoozed, and the visitor writing reopens it', async () => {
    const { visitor, conversationId } = await visitorStarts(t, ['websocket'], 'Hello there');
    const agent = await t.connectAgent(agentCookie, ['websocket']);
    const visitorSaw = record(visitor, [Events.ConversationUpdated]);

    const pendingSeen = nextEvent<Conversation>(agent, Events.ConversationUpdated);
    const pending = await emitAck<Conversation>(agent, Events.ConversationUpdate, {
      conversationId,
      status: 'PENDING',
    });
    expect(pending).toMatchObject({ ok: true, data: { status: 'PENDING', snoozedUntil: null } });
    expect(await pendingSeen).toMatchObject({ id: conversationId, status: 'PENDING' });

    // The visitor writes again: open once more, on every console.
    const reopened = nextEvent<Conversation>(agent, Events.ConversationUpdated);
    await emitAck(visitor, Events.MessageSend, { clientMessageId: clientMessageId(), body: 'Hi?' });
    expect(await reopened).toMatchObject({ id: conversationId, status: 'OPEN' });

    const visitorResolved = nextEvent<VisitorConversation>(visitor, Events.ConversationUpdated);
    const resolved = await emitAck<Conversation>(agent, Events.ConversationUpdate, {
      conversationId,
      status: 'RESOLVED',
    });
    expect(resolved).toMatchObject({ ok: true, data: { status: 'RESOLVED' } });
    expect(await visitorResolved).toMatchObject({ id: conversationId, status: 'RESOLVED' });

    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await emitAck<Conversation>(agent, Events.ConversationUpdate, {
      conversationId,
      status: 'SNOOZED',
      snoozedUntil: until,
    });
    expect(snoozed).toMatchObject({ ok: true, data: { status: 'SNOOZED', snoozedUntil: until } });
    // What the visitor sees of SNOOZED and PENDING is an open conversation.
    await expect
      .poll(() => visitorSaw.map((e) => (e.data as VisitorConversation).status))
      .toEqual(['OPEN', 'RESOLVED', 'OPEN']);

    const reopenedBySnoozeWrite = nextEvent<Conversation>(agent, Events.ConversationUpdated);
    const again = await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'Still there?',
    });
    // Written into the snoozed conversation (still the visitor's current one), which reopens.
    expect(again.ok && again.data.conversationId).toBe(conversationId);
    expect(await reopenedBySnoozeWrite).toMatchObject({ status: 'OPEN', snoozedUntil: null });

    for (const bad of [
      { conversationId, status: 'SNOOZED' },
      {
        conversationId,
        status: 'SNOOZED',
        snoozedUntil: new Date(Date.now() - 1000).toISOString(),
      },
      { conversationId, status: 'OPEN', snoozedUntil: until },
      { conversationId, status: 'CLOSED' },
      { conversationId },
      { conversationId, assigneeId: 'no-such-agent' },
    ]) {
      const res = await emitAck(agent, Events.ConversationUpdate, bad);
      expect(res, JSON.stringify(bad)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    const missing = await emitAck(agent, Events.ConversationUpdate, {
      conversationId: 'nope',
      status: 'OPEN',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    visitor.disconnect();
    agent.disconnect();
  });

  it('reopens a snoozed conversation at its time, once, however many nodes look at the same moment', async () => {
    const { visitor, conversationId } = await visitorStarts(t, ['websocket'], 'Call me back');
    const agent = await t.connectAgent(agentCookie, ['websocket']);
    const snooze = await emitAck<Conversation>(agent, Events.ConversationUpdate, {
      conversationId,
      status: 'SNOOZED',
      snoozedUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(snooze.ok).toBe(true);
    const service = t.app.get(ConversationsService);
    expect(await service.wakeSnoozed()).toEqual([]);

    const woken = record(agent, [Events.ConversationUpdated]);
    const later = new Date(Date.now() + 61_000);
    const runs = await Promise.all(Array.from({ length: 4 }, () => service.wakeSnoozed(later)));
    expect(runs.flat().map((c) => c.id)).toEqual([conversationId]);
    await expect.poll(() => woken.map((e) => (e.data as Conversation).status)).toEqual(['OPEN']);
    const row = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(row).toMatchObject({ status: 'OPEN', snoozedUntil: null });
    visitor.disconnect();
    agent.disconnect();
  });

  it('wakes snoozed conversations by itself on a schedule', async () => {
    const { visitor, conversationId } = await visitorStarts(t, ['websocket'], 'Ping me');
    const agent = await t.connectAgent(agentCookie, ['websocket']);
    await emitAck(agent, Events.ConversationUpdate, {
      conversationId,
      status: 'SNOOZED',
      snoozedUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    // Its time comes (as if a minute had passed).
    await t.prisma.conversation.update({
      where: { id: conversationId },
      data: { snoozedUntil: new Date(Date.now() - 1) },
    });
    const woken = await nextEvent<Conversation>(agent, Events.ConversationUpdated, 8_000);
    expect(woken).toMatchObject({ id: conversationId, status: 'OPEN', snoozedUntil: null });
    visitor.disconnect();
    agent.disconnect();
  });

  it('assigns to me, to another agent and to nobody, and lists the views by status', async () => {
    const { visitor, conversationId } = await visitorStarts(t, ['websocket'], 'Assign me');
    const admin = await t.connectAgent(adminCookie, ['websocket']);
    const list = async (cookie: string, query: string) =>
      (
        (await callApi(t, 'GET', `/api/conversations?${query}`, { cookie }))
          .body as unknown as ListConversationsResponse
      ).conversations.map((c) => c.id);

    expect(await list(agentCookie, 'status=OPEN&view=unassigned')).toContain(conversationId);
    expect(await list(agentCookie, 'status=OPEN&view=mine')).not.toContain(conversationId);

    const seen = nextEvent<Conversation>(admin, Events.ConversationUpdated);
    const toBea = await emitAck<Conversation>(admin, Events.ConversationUpdate, {
      conversationId,
      assigneeId: agentId,
    });
    expect(toBea).toMatchObject({ ok: true, data: { assigneeId: agentId, status: 'OPEN' } });
    expect(await seen).toMatchObject({ id: conversationId, assigneeId: agentId });
    expect(await list(agentCookie, 'status=OPEN&view=mine')).toContain(conversationId);
    expect(await list(adminCookie, 'status=OPEN&view=mine')).not.toContain(conversationId);
    expect(await list(agentCookie, 'status=OPEN&view=unassigned')).not.toContain(conversationId);
    expect(await list(agentCookie, 'status=RESOLVED&view=all')).not.toContain(conversationId);

    const toMe = await emitAck<Conversation>(admin, Events.ConversationUpdate, {
      conversationId,
      assigneeId: adminId,
      status: 'RESOLVED',
    });
    expect(toMe).toMatchObject({ ok: true, data: { assigneeId: adminId, status: 'RESOLVED' } });
    expect(await list(adminCookie, 'status=RESOLVED&view=mine')).toContain(conversationId);

    const nobody = await emitAck<Conversation>(admin, Events.ConversationUpdate, {
      conversationId,
      assigneeId: null,
    });
    expect(nobody).toMatchObject({ ok: true, data: { assigneeId: null } });
    expect(await list(agentCookie, 'status=RESOLVED&view=unassigned')).toContain(conversationId);

    const bad = await callApi(t, 'GET', '/api/conversations?view=theirs', { cookie: agentCookie });
    expect(bad.status).toBe(400);

    // An inactive agent cannot be given conversations.
    await t.prisma.agent.update({ where: { id: agentId }, data: { active: false } });
    const toInactive = await emitAck(admin, Events.ConversationUpdate, {
      conversationId,
      assigneeId: agentId,
    });
    expect(toInactive).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await t.prisma.agent.update({ where: { id: agentId }, data: { active: true } });
    visitor.disconnect();
    admin.disconnect();
  });

  it('lets admins manage canned responses and every agent list them', async () => {
    const created = await callApi(t, 'POST', '/api/canned-responses', {
      cookie: adminCookie,
      body: { shortcut: 'refund', body: 'Your refund is on its way.' },
    });
    expect(created.status).toBe(201);
    const id = (created.body as { cannedResponse: { id: string } }).cannedResponse.id;

    const listed = await callApi(t, 'GET', '/api/canned-responses', { cookie: agentCookie });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      cannedResponses: [{ id, shortcut: 'refund', body: 'Your refund is on its way.' }],
    });

    for (const [method, path, body] of [
      ['POST', '/api/canned-responses', { shortcut: 'mine', body: 'x' }],
      ['PATCH', `/api/canned-responses/${id}`, { body: 'changed' }],
      ['DELETE', `/api/canned-responses/${id}`, undefined],
    ] as const) {
      const res = await callApi(t, method, path, { cookie: agentCookie, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const anonymous = await callApi(t, 'GET', '/api/canned-responses');
    expect(anonymous.status).toBe(401);

    const taken = await callApi(t, 'POST', '/api/canned-responses', {
      cookie: adminCookie,
      body: { shortcut: 'refund', body: 'again' },
    });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    for (const body of [
      { shortcut: 'Has Spaces', body: 'x' },
      { shortcut: 'ok', body: '   ' },
      { shortcut: 'ok' },
      { shortcut: 'ok', body: 'x', extra: true },
    ]) {
      const res = await callApi(t, 'POST', '/api/canned-responses', { cookie: adminCookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }

    const patched = await callApi(t, 'PATCH', `/api/canned-responses/${id}`, {
      cookie: adminCookie,
      body: { shortcut: 'refund-eu', body: 'Your refund (EU) is on its way.' },
    });
    expect(patched).toMatchObject({
      status: 200,
      body: { cannedResponse: { shortcut: 'refund-eu' } },
    });
    const removed = await callApi(t, 'DELETE', `/api/canned-responses/${id}`, {
      cookie: adminCookie,
    });
    expect(removed.status).toBe(204);
    const gone = await callApi(t, 'DELETE', `/api/canned-responses/${id}`, { cookie: adminCookie });
    expect(gone.status).toBe(404);
  });

  it('lets an admin create an agent with a one-time password, and any agent list teammates', async () => {
    const created = await callApi(t, 'POST', '/api/agents', {
      cookie: adminCookie,
      body: { email: 'Cy@Example.com', name: 'Cy' },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { agent: { email: 'cy@example.com', name: 'Cy', role: 'AGENT', active: true } },
    });
    const password = (created.body as { password: string }).password;
    expect(password.length).toBeGreaterThanOrEqual(20);
    await t.login('cy@example.com', password);

    const again = await callApi(t, 'POST', '/api/agents', {
      cookie: adminCookie,
      body: { email: 'cy@example.com', name: 'Cy' },
    });
    expect(again.status).toBe(409);
    const byAgent = await callApi(t, 'POST', '/api/agents', {
      cookie: agentCookie,
      body: { email: 'dee@example.com', name: 'Dee' },
    });
    expect(byAgent.status).toBe(403);

    const team = await callApi(t, 'GET', '/api/teammates', { cookie: agentCookie });
    expect(team.status).toBe(200);
    const names = (team.body as { agents: { name: string }[] }).agents.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Admin', 'bea', 'Cy']));
  });
});

describe.each(ENGINES)('automatic assignment on %s', (engine) => {
  let t: TestApp;
  let adminCookie: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    await t.createAgent('AGENT', 'bea@example.com');
    await t.createAgent('AGENT', 'cy@example.com');
    adminCookie = await t.login();
  });

  afterAll(async () => {
    await t.close();
  });

  async function assigneeOfNext(agents: AgentClient[]): Promise<string | null> {
    const watcher = agents[0];
    if (!watcher) throw new Error('no agent watching');
    const { visitor, conversationId } = await visitorStarts(t, ['websocket'], 'New here');
    visitor.disconnect();
    const settled = await t.prisma.setting.findUnique({ where: { key: 'assignment.auto' } });
    if (settled?.value !== true) {
      // Off: nothing follows; give a wrong assignment every chance to show.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } else {
      await expect
        .poll(
          async () =>
            (await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } }))
              .assigneeId,
        )
        .not.toBeNull();
    }
    return (await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } }))
      .assigneeId;
  }

  it('is an admin setting, off by default', async () => {
    const bea = await t.login('bea@example.com');
    expect((await callApi(t, 'GET', '/api/settings/assignment', { cookie: bea })).status).toBe(403);
    const put = await callApi(t, 'PUT', '/api/settings/assignment', {
      cookie: bea,
      body: { autoAssign: true },
    });
    expect(put.status).toBe(403);
    const bad = await callApi(t, 'PUT', '/api/settings/assignment', {
      cookie: adminCookie,
      body: { autoAssign: 'yes' },
    });
    expect(bad.status).toBe(400);
    const got = await callApi(t, 'GET', '/api/settings/assignment', { cookie: adminCookie });
    expect(got.body).toEqual({ autoAssign: false });

    const admin = await t.connectAgent(adminCookie, ['websocket']);
    expect(await assigneeOfNext([admin])).toBeNull();
    admin.disconnect();
  });

  it('takes turns among the agents who have the console open, and skips the others', async () => {
    const on = await callApi(t, 'PUT', '/api/settings/assignment', {
      cookie: adminCookie,
      body: { autoAssign: true },
    });
    expect(on.body).toEqual({ autoAssign: true });
    const ids = Object.fromEntries(
      (await t.prisma.agent.findMany()).map((a) => [a.email, a.id] as const),
    );
    // Admin and Bea are online (Bea twice); Cy has no console open.
    const admin = await t.connectAgent(adminCookie, ['websocket']);
    const beaCookie = await t.login('bea@example.com');
    const bea = await t.connectAgent(beaCookie, ['websocket']);
    const beaAgain = await t.connectAgent(beaCookie, ['polling']);

    const assignees: (string | null)[] = [];
    for (let i = 0; i < 4; i += 1) assignees.push(await assigneeOfNext([admin]));
    const online = [ids['admin@example.com'], ids['bea@example.com']];
    expect(assignees.every((a) => online.includes(a ?? ''))).toBe(true);
    // Turns: never the same agent twice in a row, so each gets two of four.
    for (let i = 1; i < assignees.length; i += 1) expect(assignees[i]).not.toBe(assignees[i - 1]);

    // Bea closes every console: only the admin is left.
    bea.disconnect();
    beaAgain.disconnect();
    await expect.poll(() => assigneeOfNext([admin])).toBe(ids['admin@example.com']);
    admin.disconnect();
  });
});
