import {
  Events,
  Namespace,
  type ManagedAgent,
  type Message,
  type SendMessageResult,
  type Site,
  type WidgetSettings,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearPrefix,
  loginCookie,
  REDIS_URL,
  startNode,
  uniquePrefix,
  type TestNode,
} from '../testing/cluster';
import { ENGINES, freshDatabase, type TestDatabase } from '../testing/databases';
import { agentHandshake, callApi, clientMessageId } from '../testing/security-clients';
import { emitAck, nextEvent, startTestApp, trackSocket, type TestApp } from '../testing/test-app';

function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('disconnect', (reason) => {
      resolve(reason);
    });
  });
}

const APPEARANCE: WidgetSettings = {
  title: 'Talk to Acme',
  greeting: 'Hello from Acme',
  color: '#aa3300',
  position: 'left',
  launcherLabel: 'Help',
  theme: 'dark',
};

describe.each(ENGINES)('agents and sites administration on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.login();
    adminId = (await t.prisma.agent.findFirstOrThrow({ where: { role: 'ADMIN' } })).id;
  });

  afterAll(async () => {
    await t.close();
  });

  async function newAgent(email: string, role: 'ADMIN' | 'AGENT' = 'AGENT') {
    const res = await callApi(t, 'POST', '/api/agents', {
      cookie: admin,
      body: { email, name: email.split('@')[0], role },
    });
    expect(res.status).toBe(201);
    return res.body as { agent: ManagedAgent; password: string };
  }

  it('answers agents who are not admins 403 JSON on every admin route, and admins 200', async () => {
    await t.createAgent('AGENT', 'plain@example.com');
    const agent = await t.login('plain@example.com');
    const site = (await callApi(t, 'GET', '/api/sites', { cookie: admin })).body as {
      sites: Site[];
    };
    const siteId = site.sites[0]?.id ?? '';
    const routes = [
      { method: 'GET' as const, path: '/api/agents' },
      { method: 'POST' as const, path: '/api/agents', body: { email: 'x@example.com', name: 'X' } },
      { method: 'PATCH' as const, path: `/api/agents/${adminId}`, body: { role: 'AGENT' } },
      { method: 'PATCH' as const, path: `/api/agents/${adminId}`, body: { name: 'Pwned' } },
      { method: 'POST' as const, path: '/api/sites', body: { name: 'Mine' } },
      { method: 'PATCH' as const, path: `/api/sites/${siteId}`, body: { widget: APPEARANCE } },
      { method: 'POST' as const, path: `/api/sites/${siteId}/identity-secret` },
      {
        method: 'POST' as const,
        path: '/api/canned-responses',
        body: { shortcut: 'a', body: 'b' },
      },
    ];
    for (const route of routes) {
      const res = await callApi(t, route.method, route.path, {
        cookie: agent,
        ...(route.body === undefined ? {} : { body: route.body }),
      });
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }
    const admins = await t.prisma.agent.findMany({ where: { role: 'ADMIN' } });
    expect(admins.map((a) => a.name)).toEqual(['Admin']);
    expect((await callApi(t, 'GET', '/api/agents', { cookie: admin })).status).toBe(200);
  });

  it('makes a new agent choose its own password before anything else', async () => {
    const { agent, password } = await newAgent('newbie@example.com');
    expect(agent).toMatchObject({ role: 'AGENT', active: true, mustChangePassword: true });

    const signIn = await callApi(t, 'POST', '/api/auth/login', {
      body: { email: 'newbie@example.com', password },
    });
    expect(signIn.body).toMatchObject({ mustChangePassword: true, agent: { name: 'newbie' } });
    const cookie = await t.login('newbie@example.com', password);

    const inbox = await callApi(t, 'GET', '/api/conversations?status=OPEN', { cookie });
    expect(inbox).toMatchObject({
      status: 403,
      body: { error: { code: 'PASSWORD_CHANGE_REQUIRED' } },
    });
    const socket = io(`${t.url}${Namespace.Agent}`, {
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie },
    });
    trackSocket(socket);
    expect(await agentHandshake(socket)).toEqual({ ok: false, code: 'PASSWORD_CHANGE_REQUIRED' });

    const wrong = await callApi(t, 'POST', '/api/me/password', {
      cookie,
      body: { currentPassword: 'not-it-at-all', newPassword: 'my-own-secret-1' },
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const short = await callApi(t, 'POST', '/api/me/password', {
      cookie,
      body: { currentPassword: password, newPassword: 'short' },
    });
    expect(short.status).toBe(400);

    const changed = await callApi(t, 'POST', '/api/me/password', {
      cookie,
      body: { currentPassword: password, newPassword: 'my-own-secret-1' },
    });
    expect(changed).toMatchObject({ status: 200, body: { mustChangePassword: false } });
    expect((await callApi(t, 'GET', '/api/conversations?status=OPEN', { cookie })).status).toBe(
      200,
    );
    await expect(t.connectAgent(cookie)).resolves.toBeTruthy();
    await expect(t.login('newbie@example.com', password)).rejects.toThrow(/401/);
    await expect(t.login('newbie@example.com', 'my-own-secret-1')).resolves.toMatch(/^parley_/);
  });

  it('never demotes or deactivates the last active admin', async () => {
    const demoteSelf = await callApi(t, 'PATCH', `/api/agents/${adminId}`, {
      cookie: admin,
      body: { role: 'AGENT' },
    });
    expect(demoteSelf).toMatchObject({ status: 409, body: { error: { code: 'LAST_ADMIN' } } });

    await t.createAgent('ADMIN', 'second@example.com');
    const second = await t.prisma.agent.findUniqueOrThrow({
      where: { email: 'second@example.com' },
    });
    const secondCookie = await t.login('second@example.com');

    // Two admins: one may step down, and then the other is the last one.
    const demoted = await callApi(t, 'PATCH', `/api/agents/${adminId}`, {
      cookie: secondCookie,
      body: { role: 'AGENT' },
    });
    expect(demoted).toMatchObject({ status: 200, body: { agent: { role: 'AGENT' } } });
    const lastDemotes = await callApi(t, 'PATCH', `/api/agents/${second.id}`, {
      cookie: secondCookie,
      body: { role: 'AGENT' },
    });
    expect(lastDemotes).toMatchObject({ status: 409, body: { error: { code: 'LAST_ADMIN' } } });
    // The demoted admin lost its admin rights at once.
    expect((await callApi(t, 'GET', '/api/agents', { cookie: admin })).status).toBe(403);

    // Promoted back, the first admin may deactivate the second, but not the other way round
    // once alone; and two admins demoting each other at the same time cannot both win.
    await callApi(t, 'PATCH', `/api/agents/${adminId}`, {
      cookie: secondCookie,
      body: { role: 'ADMIN' },
    });
    const [a, b] = await Promise.all([
      callApi(t, 'PATCH', `/api/agents/${second.id}`, { cookie: admin, body: { role: 'AGENT' } }),
      callApi(t, 'PATCH', `/api/agents/${adminId}`, {
        cookie: secondCookie,
        body: { active: false },
      }),
    ]);
    // Whichever ran first wins; the other is refused: as the last admin (409) or, already
    // demoted or signed out, as no admin at all (403).
    expect([a.status, b.status]).toContain(200);
    expect([a.status, b.status].filter((s) => s !== 200)).toEqual([
      expect.toSatisfy((s: number) => s === 409 || s === 403),
    ]);
    const activeAdmins = await t.prisma.agent.count({ where: { role: 'ADMIN', active: true } });
    expect(activeAdmins).toBe(1);
    // Put things back for the next tests.
    await t.prisma.agent.update({ where: { id: adminId }, data: { role: 'ADMIN', active: true } });
    admin = await t.login();
  });

  it('lets admins and agents themselves set names and pictures, with validation', async () => {
    await t.createAgent('AGENT', 'pic@example.com');
    const cookie = await t.login('pic@example.com');
    const me = await callApi(t, 'PATCH', '/api/me', {
      cookie,
      body: { name: 'Pia', avatarUrl: 'https://cdn.example.com/pia.png' },
    });
    expect(me).toMatchObject({
      status: 200,
      body: { agent: { name: 'Pia', avatarUrl: 'https://cdn.example.com/pia.png' } },
    });
    for (const avatarUrl of [
      'javascript:alert(1)',
      'http://cdn.example.com/pia.png',
      'https://user:pw@cdn.example.com/x.png',
      `https://cdn.example.com/${'a'.repeat(600)}`,
    ]) {
      const bad = await callApi(t, 'PATCH', '/api/me', { cookie, body: { avatarUrl } });
      expect(bad, avatarUrl).toMatchObject({
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED' } },
      });
    }
    expect((await callApi(t, 'PATCH', '/api/me', { cookie, body: { role: 'ADMIN' } })).status).toBe(
      400,
    );
    expect((await callApi(t, 'PATCH', '/api/me', { cookie, body: { name: ' ' } })).status).toBe(
      400,
    );

    const id = (await t.prisma.agent.findUniqueOrThrow({ where: { email: 'pic@example.com' } })).id;
    const byAdmin = await callApi(t, 'PATCH', `/api/agents/${id}`, {
      cookie: admin,
      body: { name: 'Pia Lund', avatarUrl: null },
    });
    expect(byAdmin).toMatchObject({
      status: 200,
      body: { agent: { name: 'Pia Lund', avatarUrl: null } },
    });

    // A reply carries the author's name and picture to the visitor.
    await callApi(t, 'PATCH', '/api/me', {
      cookie,
      body: { avatarUrl: 'https://cdn.example.com/pia-2.png' },
    });
    const { socket: visitor } = await t.connectWidget();
    const sent = await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'Hello?',
    });
    if (!sent.ok) throw new Error(sent.error.message);
    const agentSocket = await t.connectAgent(cookie);
    const arrives = nextEvent<Message>(visitor, Events.MessageNew);
    await emitAck(agentSocket, Events.MessageSend, {
      conversationId: sent.data.conversationId,
      clientMessageId: clientMessageId(),
      body: 'Hi, Pia here',
    });
    expect(await arrives).toMatchObject({
      authorName: 'Pia Lund',
      authorAvatarUrl: 'https://cdn.example.com/pia-2.png',
    });
  });

  it('validates a site appearance and sends it live to the open widgets of that site only', async () => {
    const created = await callApi(t, 'POST', '/api/sites', {
      cookie: admin,
      body: { name: 'Acme' },
    });
    expect(created.status).toBe(201);
    const site = (created.body as { site: Site }).site;
    expect(site.widget).toMatchObject({ theme: 'auto', position: 'right' });

    const bad = [
      { ...APPEARANCE, color: 'red' },
      { ...APPEARANCE, color: '#12345' },
      { ...APPEARANCE, title: '   ' },
      { ...APPEARANCE, launcherLabel: 'x'.repeat(41) },
      { ...APPEARANCE, position: 'top' },
      { ...APPEARANCE, theme: 'sepia' },
      { ...APPEARANCE, extra: true },
      { title: 'Only a title' },
    ];
    for (const widget of bad) {
      const res = await callApi(t, 'PATCH', `/api/sites/${site.id}`, {
        cookie: admin,
        body: { widget },
      });
      expect(res, JSON.stringify(widget)).toMatchObject({
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', details: expect.any(Object) } },
      });
    }

    const { socket: ours } = await t.connectWidget({ siteKey: site.publicKey });
    const { socket: other } = await t.connectWidget();
    let otherHeard = false;
    other.on(Events.WidgetUpdated, () => {
      otherHeard = true;
    });
    const heard = nextEvent<WidgetSettings>(ours, Events.WidgetUpdated);
    const saved = await callApi(t, 'PATCH', `/api/sites/${site.id}`, {
      cookie: admin,
      body: { name: 'Acme Inc.', widget: APPEARANCE },
    });
    expect(saved).toMatchObject({
      status: 200,
      body: { site: { name: 'Acme Inc.', widget: APPEARANCE } },
    });
    expect(await heard).toEqual(APPEARANCE);
    const config = await callApi(t, 'GET', `/api/widget/config?siteKey=${site.publicKey}`);
    expect(config.body).toMatchObject({ siteName: 'Acme Inc.', widget: APPEARANCE });
    // A round trip on the other site's socket: had the event gone there, it would have arrived.
    await emitAck(other, Events.ConversationList, {});
    expect(otherHeard).toBe(false);
  });

  it("lets consoles already open follow a new site's conversations", async () => {
    const console = await t.connectAgent(admin);
    const created = await callApi(t, 'POST', '/api/sites', {
      cookie: admin,
      body: { name: 'Late' },
    });
    const site = (created.body as { site: Site }).site;
    const { socket: visitor } = await t.connectWidget({ siteKey: site.publicKey });
    const seen = nextEvent<Message>(console, Events.MessageNew);
    await emitAck(visitor, Events.MessageSend, { clientMessageId: clientMessageId(), body: 'Hi' });
    expect(await seen).toMatchObject({ body: 'Hi' });
  });
});

// Two nodes on one PostgreSQL and Redis: an admin's change on one node reaches the other's clients.
describe.runIf(process.env.DATABASE_URL)('administration across nodes', () => {
  let db: TestDatabase;
  let nodes: TestNode[] = [];
  const prefix = uniquePrefix();

  beforeAll(async () => {
    db = await freshDatabase('postgresql');
    const env = { DATABASE_URL: db.url ?? '', REDIS_URL, REDIS_PREFIX: prefix };
    nodes = [await startNode('a1', env)];
    nodes.push(await startNode('a2', env));
  }, 60_000);

  afterAll(async () => {
    for (const node of nodes) await node.close();
    await clearPrefix(prefix);
    await db.drop();
  });

  it("deactivating on one node closes the agent's sockets on the other at once", async () => {
    const [one, two] = nodes as [TestNode, TestNode];
    const admin = await loginCookie(one.url);
    const created = await fetch(`${one.url}/api/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ email: 'far@example.com', name: 'Far' }),
    });
    const { agent, password } = (await created.json()) as { agent: ManagedAgent; password: string };
    const signIn = await fetch(`${two.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'far@example.com', password }),
    });
    const cookie = (signIn.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const changed = await fetch(`${two.url}/api/me/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ currentPassword: password, newPassword: 'far-away-secret' }),
    });
    expect(changed.status).toBe(200);
    const sockets = (['polling', 'websocket'] as const).map((transport) => {
      const socket = io(`${two.url}${Namespace.Agent}`, {
        transports: [transport],
        reconnection: false,
        forceNew: true,
        extraHeaders: { cookie },
      });
      trackSocket(socket);
      return socket;
    });
    expect(await Promise.all(sockets.map(agentHandshake))).toEqual([{ ok: true }, { ok: true }]);
    const closed = Promise.all(sockets.map(disconnected));
    const started = Date.now();
    const res = await fetch(`${one.url}/api/agents/${agent.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ active: false }),
    });
    expect(res.status).toBe(200);
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const socket of sockets) socket.close();
  });

  it('an appearance saved on one node reaches a widget connected to the other', async () => {
    const [one, two] = nodes as [TestNode, TestNode];
    const admin = await loginCookie(one.url);
    const { sites } = (await (
      await fetch(`${one.url}/api/sites`, { headers: { cookie: admin } })
    ).json()) as { sites: Site[] };
    const site = sites[0];
    if (!site) throw new Error('no default site');
    const widget = io(`${two.url}${Namespace.Widget}`, {
      reconnection: false,
      forceNew: true,
      auth: { siteKey: site.publicKey },
    });
    trackSocket(widget);
    await nextEvent(widget, Events.SessionReady);
    const heard = nextEvent<WidgetSettings>(widget, Events.WidgetUpdated);
    await fetch(`${one.url}/api/sites/${site.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ widget: APPEARANCE }),
    });
    expect(await heard).toEqual(APPEARANCE);
    widget.close();
  });
});
