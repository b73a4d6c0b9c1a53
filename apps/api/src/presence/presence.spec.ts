import {
  Events,
  type AgentPresence,
  type AgentsAvailability,
  type PresenceResponse,
  type VisitorPresence,
  type WidgetConfig,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PresenceService } from './presence.service';
import {
  clearPrefix,
  loginCookie,
  REDIS_URL,
  startNode,
  uniquePrefix,
  type TestNode,
} from '../testing/cluster';
import { ENGINES, freshDatabase, type TestDatabase } from '../testing/databases';
import { callApi } from '../testing/security-clients';
import {
  nextEvent,
  SITE_KEY,
  startTestApp,
  type AgentClient,
  type TestApp,
} from '../testing/test-app';
import { io, type Socket } from 'socket.io-client';

/** The next `agent:presence` about `agentId` that `socket` receives. */
function presenceOf(client: AgentClient | Socket, agentId: string): Promise<AgentPresence> {
  const socket = client as Socket;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no agent:presence for ${agentId}`));
    }, 5_000);
    const listener = (presence: AgentPresence) => {
      if (presence.agentId !== agentId) return;
      clearTimeout(timer);
      socket.off(Events.AgentPresence, listener);
      resolve(presence);
    };
    socket.on(Events.AgentPresence, listener);
  });
}

async function statusOf(url: string, cookie: string, agentId: string): Promise<string> {
  const res = await fetch(`${url}/api/presence`, { headers: { cookie } });
  const body = (await res.json()) as PresenceResponse;
  return body.agents.find((a) => a.agentId === agentId)?.status ?? 'missing';
}

async function widgetConfig(url: string): Promise<WidgetConfig> {
  const res = await fetch(`${url}/api/widget/config?siteKey=${SITE_KEY}`);
  return (await res.json()) as WidgetConfig;
}

describe.each(ENGINES)('presence on %s', (engine) => {
  let t: TestApp;
  let adminCookie: string;
  let beaCookie: string;
  let beaId: string;
  let siteId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    await t.createAgent('AGENT', 'bea@example.com');
    adminCookie = await t.login();
    beaCookie = await t.login('bea@example.com');
    beaId = (await t.prisma.agent.findUniqueOrThrow({ where: { email: 'bea@example.com' } })).id;
    siteId = (await t.prisma.site.findFirstOrThrow()).id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('is online while any console socket is open, and offline when the last one closes', async () => {
    const admin = await t.connectAgent(adminCookie, ['websocket']);
    expect(await statusOf(t.url, adminCookie, beaId)).toBe('offline');

    const cameOnline = presenceOf(admin, beaId);
    const first = await t.connectAgent(beaCookie, ['websocket']);
    expect(await cameOnline).toEqual({ agentId: beaId, status: 'online' });
    const second = await t.connectAgent(beaCookie, ['polling']);
    expect(await statusOf(t.url, adminCookie, beaId)).toBe('online');

    // One of two closes: still online, and said so.
    const afterFirst = presenceOf(admin, beaId);
    first.disconnect();
    expect(await afterFirst).toEqual({ agentId: beaId, status: 'online' });
    expect(await statusOf(t.url, adminCookie, beaId)).toBe('online');

    // The last one closes: offline, for every agent.
    const wentOffline = presenceOf(admin, beaId);
    second.disconnect();
    expect(await wentOffline).toEqual({ agentId: beaId, status: 'offline' });
    expect(await statusOf(t.url, adminCookie, beaId)).toBe('offline');
    admin.disconnect();
  });

  it('keeps the away switch per agent; away agents take no new conversations and the widget says nobody is there', async () => {
    const admin = await t.connectAgent(adminCookie, ['websocket']);
    const bea = await t.connectAgent(beaCookie, ['websocket']);
    const adminId = (await t.prisma.agent.findFirstOrThrow({ where: { role: 'ADMIN' } })).id;

    expect((await callApi(t, 'GET', '/api/me/preferences', { cookie: beaCookie })).body).toEqual({
      away: false,
      notifyDesktop: true,
      notifySound: true,
    });
    const refused = await callApi(t, 'PATCH', '/api/me/preferences', {
      cookie: beaCookie,
      body: { away: 'yes' },
    });
    expect(refused.status).toBe(400);
    expect(
      (await callApi(t, 'PATCH', '/api/me/preferences', { body: { away: true } })).status,
    ).toBe(401);

    const wentAway = presenceOf(admin, beaId);
    const away = await callApi(t, 'PATCH', '/api/me/preferences', {
      cookie: beaCookie,
      body: { away: true, notifySound: false },
    });
    expect(away.body).toEqual({ away: true, notifyDesktop: true, notifySound: false });
    expect(await wentAway).toEqual({ agentId: beaId, status: 'away' });
    expect(await statusOf(t.url, adminCookie, beaId)).toBe('away');
    // Only Bea's own preferences changed.
    expect((await callApi(t, 'GET', '/api/me/preferences', { cookie: adminCookie })).body).toEqual({
      away: false,
      notifyDesktop: true,
      notifySound: true,
    });

    // The admin goes away too: nobody can answer.
    const adminAway = presenceOf(bea, adminId);
    await callApi(t, 'PATCH', '/api/me/preferences', { cookie: adminCookie, body: { away: true } });
    expect(await adminAway).toEqual({ agentId: adminId, status: 'away' });
    expect((await widgetConfig(t.url)).availability?.agentsOnline).toBe(false);

    // Automatic assignment skips away agents, and picks Bea once she is back.
    await callApi(t, 'PUT', '/api/settings/assignment', {
      cookie: adminCookie,
      body: { autoAssign: true },
    });
    const { socket: visitor } = await t.connectWidget({ transports: ['websocket'] });
    const first = await new Promise<{ conversationId: string }>((resolve) => {
      visitor.emit(Events.MessageSend, { clientMessageId: 'presence-1', body: 'Hello?' }, (ack) => {
        if (ack.ok) resolve(ack.data);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      (await t.prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId } }))
        .assigneeId,
    ).toBeNull();
    visitor.disconnect();

    const back = presenceOf(admin, beaId);
    await callApi(t, 'PATCH', '/api/me/preferences', { cookie: beaCookie, body: { away: false } });
    expect(await back).toEqual({ agentId: beaId, status: 'online' });
    expect((await widgetConfig(t.url)).availability?.agentsOnline).toBe(true);
    const { socket: visitor2 } = await t.connectWidget({ transports: ['websocket'] });
    const second = await new Promise<{ conversationId: string }>((resolve) => {
      visitor2.emit(Events.MessageSend, { clientMessageId: 'presence-2', body: 'Hi' }, (ack) => {
        if (ack.ok) resolve(ack.data);
      });
    });
    await expect
      .poll(
        async () =>
          (await t.prisma.conversation.findUniqueOrThrow({ where: { id: second.conversationId } }))
            .assigneeId,
      )
      .toBe(beaId);

    visitor2.disconnect();
    await callApi(t, 'PATCH', '/api/me/preferences', {
      cookie: adminCookie,
      body: { away: false },
    });
    await callApi(t, 'PUT', '/api/settings/assignment', {
      cookie: adminCookie,
      body: { autoAssign: false },
    });
    admin.disconnect();
    bea.disconnect();
  });

  it('tells open chats when an agent can answer and when nobody is left', async () => {
    const { socket: visitor } = await t.connectWidget({ transports: ['websocket'] });
    // Every announcement carries the whole truth (other agents' comings and goings repeat it):
    // what a chat shows is the latest one.
    const told: boolean[] = [];
    visitor.on(Events.AvailabilityChanged, (a: AgentsAvailability) => told.push(a.agentsOnline));
    const latest = () => told.at(-1);
    const bea = await t.connectAgent(beaCookie, ['websocket']);
    await expect.poll(latest).toBe(true);

    await callApi(t, 'PATCH', '/api/me/preferences', { cookie: beaCookie, body: { away: true } });
    await expect.poll(latest).toBe(false);
    await callApi(t, 'PATCH', '/api/me/preferences', { cookie: beaCookie, body: { away: false } });
    await expect.poll(latest).toBe(true);

    bea.disconnect();
    await expect.poll(latest).toBe(false);
    visitor.disconnect();
  });

  it('answers idle widgets from one lookup a moment old, forgotten as a console connects or closes', async () => {
    const { socket: visitor } = await t.connectWidget({ transports: ['websocket'] });
    const told: boolean[] = [];
    visitor.on(Events.AvailabilityChanged, (a: AgentsAvailability) => told.push(a.agentsOnline));
    await expect
      .poll(async () => (await widgetConfig(t.url)).availability?.agentsOnline)
      .toBe(false);

    // Thirty pages asking, twenty of them at once, from a fresh start: one round of the nodes'
    // sockets (two if the moment ends between them), not thirty.
    t.app.get(PresenceService).forgetAvailability();
    const lookups = vi.spyOn(t.app.get(RealtimePublisher), 'onlineAgentIds');
    const answers = await Promise.all(Array.from({ length: 20 }, () => widgetConfig(t.url)));
    for (let i = 0; i < 10; i++) answers.push(await widgetConfig(t.url));
    expect(answers.map((c) => c.availability?.agentsOnline)).toEqual(Array(30).fill(false));
    expect(lookups.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(2);
    lookups.mockRestore();

    // A console connects: the very next config counts it; it closes: the next one after the
    // chats were told does not.
    const bea = await t.connectAgent(beaCookie, ['websocket']);
    expect((await widgetConfig(t.url)).availability?.agentsOnline).toBe(true);
    await expect.poll(() => told.at(-1)).toBe(true);
    bea.disconnect();
    await expect.poll(() => told.at(-1)).toBe(false);
    expect((await widgetConfig(t.url)).availability?.agentsOnline).toBe(false);
    visitor.disconnect();
  });

  it('tells the agents when a visitor comes online and when its last chat connection closes', async () => {
    const admin = await t.connectAgent(adminCookie, ['websocket']);
    const online = nextEvent<VisitorPresence>(admin, Events.VisitorPresence);
    const { socket: visitor, session } = await t.connectWidget({ transports: ['websocket'] });
    expect(await online).toEqual({ visitorId: session.visitorId, online: true });
    const againOnline = nextEvent<VisitorPresence>(admin, Events.VisitorPresence);
    const { socket: secondTab } = await t.connectWidget({
      transports: ['polling'],
      visitorToken: session.visitorToken ?? '',
    });
    expect(await againOnline).toEqual({ visitorId: session.visitorId, online: true });

    const snapshot = await callApi(
      t,
      'GET',
      `/api/presence?visitorIds=${session.visitorId},unknown-visitor`,
      { cookie: beaCookie },
    );
    expect(snapshot.body['onlineVisitorIds']).toEqual([session.visitorId]);

    // One tab closes: no offline; the other closes: offline.
    const seen: VisitorPresence[] = [];
    admin.on(Events.VisitorPresence, (p) => seen.push(p));
    visitor.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([]);
    secondTab.disconnect();
    await expect.poll(() => seen).toEqual([{ visitorId: session.visitorId, online: false }]);
    const after = await callApi(t, 'GET', `/api/presence?visitorIds=${session.visitorId}`, {
      cookie: beaCookie,
    });
    expect(after.body['onlineVisitorIds']).toEqual([]);

    expect((await callApi(t, 'GET', '/api/presence')).status).toBe(401);
    const tooMany = Array.from({ length: 201 }, (_, i) => `v${String(i)}`).join(',');
    expect(
      (await callApi(t, 'GET', `/api/presence?visitorIds=${tooMany}`, { cookie: beaCookie }))
        .status,
    ).toBe(400);
    admin.disconnect();
  });

  it('lets admins set business hours and hide the launcher; the widget config follows', async () => {
    const path = `/api/sites/${siteId}/availability`;
    expect((await callApi(t, 'GET', path, { cookie: adminCookie })).body).toEqual({
      businessHours: null,
      hideLauncherWhenOffline: false,
    });
    const closedAllWeek = {
      businessHours: { timeZone: 'Europe/Paris', ranges: [] },
      hideLauncherWhenOffline: true,
    };
    expect((await callApi(t, 'PUT', path, { cookie: beaCookie, body: closedAllWeek })).status).toBe(
      403,
    );
    const badZone = await callApi(t, 'PUT', path, {
      cookie: adminCookie,
      body: { ...closedAllWeek, businessHours: { timeZone: 'Nowhere/Land', ranges: [] } },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body['error']).toMatchObject({ code: 'VALIDATION_FAILED' });

    // Nobody online, no hours at all.
    const saved = await callApi(t, 'PUT', path, { cookie: adminCookie, body: closedAllWeek });
    expect(saved.body).toEqual(closedAllWeek);
    expect((await widgetConfig(t.url)).availability).toEqual({
      agentsOnline: false,
      withinHours: false,
      nextOpenAt: null,
      hideLauncher: true,
      hideLauncherWhenOffline: true,
    });

    // Open every day, all day: within hours; an agent online shows the launcher again.
    const always = {
      businessHours: {
        timeZone: 'America/New_York',
        ranges: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' })),
      },
      hideLauncherWhenOffline: true,
    };
    await callApi(t, 'PUT', path, { cookie: adminCookie, body: always });
    const bea = await t.connectAgent(beaCookie, ['websocket']);
    expect((await widgetConfig(t.url)).availability).toEqual({
      agentsOnline: true,
      withinHours: true,
      nextOpenAt: null,
      hideLauncher: false,
      hideLauncherWhenOffline: true,
    });
    bea.disconnect();

    await callApi(t, 'PUT', path, {
      cookie: adminCookie,
      body: { businessHours: null, hideLauncherWhenOffline: false },
    });
    expect((await callApi(t, 'GET', path, { cookie: adminCookie })).body).toEqual({
      businessHours: null,
      hideLauncherWhenOffline: false,
    });
  });
});

describe('presence across two nodes, on PostgreSQL and Redis', () => {
  let db: TestDatabase;
  const prefix = uniquePrefix();
  const nodes: TestNode[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await freshDatabase('postgresql');
    const env = { DATABASE_URL: db.url ?? '', REDIS_URL, REDIS_PREFIX: prefix };
    nodes.push(await startNode('a', env));
    nodes.push(await startNode('b', env));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all(nodes.map((n) => n.close()));
    await db.drop();
    await clearPrefix(prefix);
  });

  function agentOn(url: string, cookie: string): Promise<Socket> {
    const socket = io(`${url}/agent`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie },
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        resolve(socket);
      });
      socket.once('connect_error', reject);
    });
  }

  it('counts an agent online while a socket is open on either node', async () => {
    const [a, b] = nodes;
    if (!a || !b) throw new Error('nodes missing');
    const adminCookie = await loginCookie(a.url);
    const created = await fetch(`${a.url}/api/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: adminCookie },
      body: JSON.stringify({ email: 'bea@example.com', name: 'Bea' }),
    });
    const { agent, password } = (await created.json()) as {
      agent: { id: string };
      password: string;
    };
    const beaCookie = await loginCookie(a.url, 'bea@example.com', password);
    // A one-time password: Bea chooses her own before the console may connect.
    const chosen = await fetch(`${a.url}/api/me/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: beaCookie },
      body: JSON.stringify({ currentPassword: password, newPassword: 'bea-own-secret' }),
    });
    expect(chosen.status).toBe(200);
    const watcher = await agentOn(b.url, adminCookie);

    // Bea's socket on node a: node b sees her online, and the admin on node b hears it.
    const online = presenceOf(watcher, agent.id);
    const onA = await agentOn(a.url, beaCookie);
    expect(await online).toEqual({ agentId: agent.id, status: 'online' });
    expect(await statusOf(b.url, adminCookie, agent.id)).toBe('online');

    // A second socket on node b (in its rooms once its own announcement is heard); the one on
    // node a closes: still online.
    const secondOnline = presenceOf(watcher, agent.id);
    const onB = await agentOn(b.url, beaCookie);
    expect(await secondOnline).toEqual({ agentId: agent.id, status: 'online' });
    const stillOnline = presenceOf(watcher, agent.id);
    onA.disconnect();
    expect(await stillOnline).toEqual({ agentId: agent.id, status: 'online' });
    expect(await statusOf(a.url, adminCookie, agent.id)).toBe('online');

    // The last one closes: offline on both nodes.
    const offline = presenceOf(watcher, agent.id);
    onB.disconnect();
    expect(await offline).toEqual({ agentId: agent.id, status: 'offline' });
    expect(await statusOf(a.url, adminCookie, agent.id)).toBe('offline');
    expect(await statusOf(b.url, adminCookie, agent.id)).toBe('offline');
  });
});
