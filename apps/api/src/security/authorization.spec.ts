import {
  Events,
  type SendMessageResult,
  type SiteResponse,
  type VisitorConversationList,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import {
  agentHandshake,
  callApi,
  clientMessageId,
  handshake,
  rawWidget,
} from '../testing/security-clients';
import { SITE_KEY, emitAck, startTestApp, trackSocket, type TestApp } from '../testing/test-app';

/** Every REST endpoint an admin may call, with a harmless body. */
const ADMIN_ENDPOINTS: {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: (ids: Ids) => string;
  body?: unknown;
}[] = [
  { method: 'GET', path: () => '/api/settings/transport' },
  { method: 'PUT', path: () => '/api/settings/transport', body: { mode: 'polling' } },
  { method: 'GET', path: () => '/api/realtime/connections' },
  { method: 'GET', path: () => '/api/sites' },
  { method: 'POST', path: () => '/api/sites', body: { name: 'Not yours' } },
  { method: 'GET', path: (ids) => `/api/sites/${ids.siteId}` },
  {
    method: 'PATCH',
    path: (ids) => `/api/sites/${ids.siteId}`,
    body: { allowAnyOrigin: true },
  },
  { method: 'POST', path: (ids) => `/api/sites/${ids.siteId}/identity-secret` },
  { method: 'GET', path: () => '/api/agents' },
  { method: 'PATCH', path: (ids) => `/api/agents/${ids.adminId}`, body: { active: false } },
  { method: 'POST', path: (ids) => `/api/visitors/${ids.visitorId}/revoke` },
  { method: 'GET', path: (ids) => `/api/sites/${ids.siteId}/availability` },
  {
    method: 'PUT',
    path: (ids) => `/api/sites/${ids.siteId}/availability`,
    body: { businessHours: null, hideLauncherWhenOffline: true },
  },
];

/** Endpoints any signed-in agent may call. */
const AGENT_ENDPOINTS = [
  '/api/me',
  '/api/conversations',
  '/api/conversations/x/messages',
  '/api/presence',
  '/api/me/preferences',
];

interface Ids {
  siteId: string;
  adminId: string;
  visitorId: string;
}

function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('disconnect', (reason) => {
      resolve(reason);
    });
  });
}

describe.each(ENGINES)('authorization on %s', (engine) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.login();
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses a visitor token on another site', async () => {
    const { session, socket } = await t.connectWidget();
    socket.disconnect();
    const other = await callApi(t, 'POST', '/api/sites', {
      cookie: admin,
      body: { name: 'Other shop' },
    });
    expect(other.status).toBe(201);
    const otherKey = (other.body as unknown as SiteResponse).site.publicKey;
    const refused = await handshake(
      rawWidget(t, { auth: { siteKey: otherKey, visitorToken: session.visitorToken } }),
    );
    expect(refused).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
    // On its own site the token still works.
    const back = await handshake(
      rawWidget(t, { auth: { siteKey: SITE_KEY, visitorToken: session.visitorToken } }),
    );
    expect(back).toMatchObject({ ok: true, session: { visitorId: session.visitorId } });
  });

  it("never gives a visitor another visitor's conversation or messages", async () => {
    const alice = await t.connectWidget();
    const sent = await emitAck<SendMessageResult>(alice.socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'my private question',
    });
    if (!sent.ok) throw new Error('send failed');
    const { conversationId } = sent.data;
    const mallory = await t.connectWidget();
    for (const [event, payload] of [
      [Events.ConversationSync, { conversationId, afterSeq: 0 }],
      [
        Events.MessageSend,
        { conversationId, clientMessageId: clientMessageId(), body: 'let me in' },
      ],
    ] as const) {
      const res = await emitAck(mallory.socket, event, payload);
      expect(res, event).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    const list = await emitAck<VisitorConversationList>(
      mallory.socket,
      Events.ConversationList,
      {},
    );
    expect(list).toEqual({ ok: true, data: { conversations: [] } });
    expect(mallory.session.conversations).toEqual([]);
    // The agents' REST API is no way in either, not even with the visitor token as a cookie.
    const attempts: Record<string, string>[] = [
      {},
      { cookie: `parley_session=${alice.session.visitorToken ?? ''}` },
    ];
    for (const headers of attempts) {
      const res = await callApi(t, 'GET', `/api/conversations/${conversationId}/messages`, {
        headers,
      });
      expect(res.status).toBe(401);
    }
    expect(await t.prisma.message.count({ where: { conversationId } })).toBe(1);
    expect(mallory.socket.connected).toBe(true);
  });

  it('refuses agent requests and sockets without a session, with a forged one or an expired one', async () => {
    await t.createAgent('AGENT', 'expiring@example.com');
    const expiring = await t.login('expiring@example.com');
    const agent = await t.prisma.agent.findUniqueOrThrow({
      where: { email: 'expiring@example.com' },
    });
    await t.prisma.agentSession.updateMany({
      where: { agentId: agent.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const cookies: Record<string, string | undefined> = {
      none: undefined,
      forged: 'parley_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      garbage: 'parley_session=%00%ff<script>',
      expired: expiring,
    };
    for (const [name, cookie] of Object.entries(cookies)) {
      for (const path of AGENT_ENDPOINTS) {
        const res = await callApi(t, 'GET', path, cookie ? { cookie } : {});
        expect(res.status, `${name} ${path}`).toBe(401);
        expect(res.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      }
      for (const transport of ['polling', 'websocket'] as const) {
        const socket = io(`${t.url}/agent`, {
          transports: [transport],
          reconnection: false,
          forceNew: true,
          extraHeaders: cookie ? { cookie } : {},
        });
        trackSocket(socket);
        expect(await agentHandshake(socket), `${name} over ${transport}`).toEqual({
          ok: false,
          code: 'UNAUTHORIZED',
        });
      }
    }
  });

  it('refuses every admin endpoint to an agent who is not an admin, and changes nothing', async () => {
    await t.createAgent('AGENT', 'plain-agent@example.com');
    const cookie = await t.login('plain-agent@example.com');
    const { session, socket } = await t.connectWidget();
    socket.disconnect();
    const site = await t.prisma.site.findFirstOrThrow({ where: { publicKey: SITE_KEY } });
    const adminRow = await t.prisma.agent.findFirstOrThrow({ where: { role: 'ADMIN' } });
    const ids: Ids = { siteId: site.id, adminId: adminRow.id, visitorId: session.visitorId };
    const sitesBefore = await t.prisma.site.findMany({ orderBy: { id: 'asc' } });
    for (const endpoint of ADMIN_ENDPOINTS) {
      const res = await callApi(t, endpoint.method, endpoint.path(ids), {
        cookie,
        ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
      });
      const label = `${endpoint.method} ${endpoint.path(ids)}`;
      expect(res.status, label).toBe(403);
      expect(res.body, label).toMatchObject({
        error: { code: 'FORBIDDEN', message: 'Only ADMIN can do this.' },
      });
      // Without any session it is 401, not 403.
      const anonymous = await callApi(t, endpoint.method, endpoint.path(ids), {
        ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
      });
      expect(anonymous.status, label).toBe(401);
    }
    expect(await t.prisma.site.findMany({ orderBy: { id: 'asc' } })).toEqual(sitesBefore);
    expect(await t.prisma.agent.findUniqueOrThrow({ where: { id: adminRow.id } })).toMatchObject({
      active: true,
    });
    expect(
      await t.prisma.visitor.findUniqueOrThrow({ where: { id: session.visitorId } }),
    ).toMatchObject({ revokedAt: null });
    const mode = await callApi(t, 'GET', '/api/config');
    expect(mode.body).toMatchObject({ transport: { mode: 'auto' } });
  });

  it("closes a deactivated agent's live sockets at once, and lets it back in on no channel", async () => {
    await t.createAgent('AGENT', 'leaving@example.com');
    const cookie = await t.login('leaving@example.com');
    const leaving = await t.prisma.agent.findUniqueOrThrow({
      where: { email: 'leaving@example.com' },
    });
    const polling = await t.connectAgent(cookie, ['polling']);
    const websocket = await t.connectAgent(cookie, ['websocket']);
    const closed = Promise.all([disconnected(polling), disconnected(websocket)]);
    const started = Date.now();
    const res = await callApi(t, 'PATCH', `/api/agents/${leaving.id}`, {
      cookie: admin,
      body: { active: false },
    });
    expect(res).toMatchObject({ status: 200, body: { agent: { active: false } } });
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await t.prisma.agentSession.count({ where: { agentId: leaving.id } })).toBe(0);
    expect((await callApi(t, 'GET', '/api/me', { cookie })).status).toBe(401);
    const again = io(`${t.url}/agent`, {
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie },
    });
    trackSocket(again);
    expect(await agentHandshake(again)).toEqual({ ok: false, code: 'UNAUTHORIZED' });
    const signIn = await callApi(t, 'POST', '/api/auth/login', {
      body: { email: 'leaving@example.com', password: 'correct-horse-battery' },
    });
    expect(signIn).toMatchObject({
      status: 401,
      body: { error: { message: 'This account is deactivated.' } },
    });
    // Reactivated, the agent can sign in again.
    await callApi(t, 'PATCH', `/api/agents/${leaving.id}`, {
      cookie: admin,
      body: { active: true },
    });
    await expect(t.login('leaving@example.com')).resolves.toMatch(/^parley_session=/);
  });

  it("closes a session's sockets when it signs out", async () => {
    await t.createAgent('AGENT', 'signing-out@example.com');
    const cookie = await t.login('signing-out@example.com');
    const other = await t.login('signing-out@example.com');
    const socket = await t.connectAgent(cookie);
    const otherSocket = await t.connectAgent(other);
    const closed = disconnected(socket);
    const out = await callApi(t, 'POST', '/api/auth/logout', { cookie, body: {} });
    expect(out.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    // The same agent's other session is not affected.
    expect(otherSocket.connected).toBe(true);
  });

  it('answers an admin with clear errors for bad ids and bodies', async () => {
    const cases = [
      { method: 'PATCH' as const, path: '/api/agents/nope', body: { active: false }, status: 404 },
      { method: 'PATCH' as const, path: '/api/agents/%20', body: { active: false }, status: 400 },
      { method: 'POST' as const, path: '/api/visitors/nope/revoke', status: 404 },
      { method: 'GET' as const, path: '/api/sites/nope', status: 404 },
      { method: 'POST' as const, path: '/api/sites', body: { name: '' }, status: 400 },
      {
        method: 'POST' as const,
        path: '/api/sites',
        body: { name: 'x', allowedOrigins: ['javascript:alert(1)'] },
        status: 400,
      },
    ];
    for (const c of cases) {
      const res = await callApi(t, c.method, c.path, {
        cookie: admin,
        ...(c.body === undefined ? {} : { body: c.body }),
      });
      expect(res.status, `${c.method} ${c.path}`).toBe(c.status);
      expect(res.body).toMatchObject({
        error: { code: expect.any(String), message: expect.any(String) },
      });
    }
    const me = await t.prisma.agent.findFirstOrThrow({ where: { role: 'ADMIN' } });
    const self = await callApi(t, 'PATCH', `/api/agents/${me.id}`, {
      cookie: admin,
      body: { active: false },
    });
    expect(self).toMatchObject({
      status: 400,
      body: { error: { message: 'You cannot deactivate your own account.' } },
    });
  });
});
