import { request, type IncomingHttpHeaders } from 'node:http';
import {
  Events,
  type ClientTransportConfig,
  type ConnectionInfo,
  type SendMessageResult,
  type TransportSettings,
} from '@parley/protocol';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../testing/cluster';
import { ENGINES } from '../testing/databases';
import {
  SITE_KEY,
  connectError,
  emitAck,
  nextEvent,
  startTestApp,
  trackSocket,
  type TestApp,
} from '../testing/test-app';
import { SWITCH_GRACE_MS, transportRefusal } from './transport-policy';

async function setMode(t: TestApp, cookie: string, mode: string) {
  const res = await fetch(`${t.url}/api/settings/transport`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ mode }),
  });
  return {
    status: res.status,
    body: (await res.json()) as TransportSettings & { error?: { code: string } },
  };
}

/** The raw engine.io handshake over polling: `0{...}` with the advertised upgrades. */
async function pollingHandshake(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  return { status: res.status, text: await res.text() };
}

/** A bare WebSocket handshake: the HTTP status, headers and body the server answers an Upgrade with. */
function rawUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers?: IncomingHttpHeaders }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      path: '/socket.io/?EIO=4&transport=websocket',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '', headers: res.headers });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('transportRefusal', () => {
  it('refuses WebSocket in polling mode and polling in websocket mode, with a reason', () => {
    expect(transportRefusal('polling', 'websocket', false)).toMatch(/long-polling only/);
    expect(transportRefusal('polling', 'websocket', true)).toMatch(/upgrades are disabled/);
    expect(transportRefusal('websocket', 'polling', false)).toMatch(/WebSocket only/);
    expect(transportRefusal('auto', 'websocket', true)).toBeNull();
    expect(transportRefusal('auto', 'polling', false)).toBeNull();
    expect(transportRefusal('polling', 'polling', false)).toBeNull();
  });
});

describe.each(ENGINES)('transport modes on %s', (engine) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.login();
    await t.createAgent('AGENT', 'agent@example.com');
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(async () => {
    await setMode(t, admin, 'auto');
  });

  it('lets only an admin change the mode, and keeps an audit trail', async () => {
    const agent = await t.login('agent@example.com');
    const refused = await setMode(t, agent, 'polling');
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('FORBIDDEN');
    expect(
      (await fetch(`${t.url}/api/settings/transport`, { headers: { cookie: agent } })).status,
    ).toBe(403);
    expect((await setMode(t, '', 'polling')).status).toBe(401);
    expect((await setMode(t, admin, 'carrier-pigeon')).status).toBe(400);

    const changed = await setMode(t, admin, 'polling');
    expect(changed.status).toBe(200);
    expect(changed.body.mode).toBe('polling');
    expect(changed.body.changes[0]).toMatchObject({
      from: 'auto',
      to: 'polling',
      changedBy: { email: 'admin@example.com' },
    });
    expect(changed.body.tunables.pingIntervalMs + changed.body.tunables.pingTimeoutMs).toBeLessThan(
      changed.body.tunables.loadBalancerIdleTimeoutMs,
    );
    const stored = await t.prisma.setting.findUnique({ where: { key: 'transport.mode' } });
    expect(stored?.value).toBe('polling');
    const config = (await (
      await fetch(`${t.url}/api/widget/config?siteKey=${SITE_KEY}`)
    ).json()) as { transport: ClientTransportConfig };
    expect(config.transport).toMatchObject({
      mode: 'polling',
      transports: ['polling'],
      upgrade: false,
    });
  });

  it('in polling mode refuses every WebSocket request with a reason and advertises no upgrade', async () => {
    await setMode(t, admin, 'polling');
    const handshake = await pollingHandshake(t.url);
    expect(handshake.status).toBe(200);
    expect(handshake.text).toContain('"upgrades":[]');

    const raw = await rawUpgrade(t.url);
    expect(raw.status).toBe(400);
    expect(raw.body).toMatch(/long-polling only mode/);

    const socket = io(`${t.url}/widget`, {
      transports: ['websocket'],
      auth: { siteKey: SITE_KEY },
      reconnection: false,
      forceNew: true,
    });
    trackSocket(socket);
    const err = await connectError(socket);
    expect(err.message).toBe('websocket error');
    socket.disconnect();

    const polling = await t.connectWidget({ transports: ['polling', 'websocket'], upgrade: true });
    const upgraded = new Promise((resolve) => {
      polling.socket.io.engine.once('upgrade', resolve);
    });
    const sent = await emitAck<SendMessageResult>(polling.socket, Events.MessageSend, {
      clientMessageId: 'polling-mode-1',
      body: 'works on polling',
    });
    expect(sent.ok).toBe(true);
    expect(
      await Promise.race([
        upgraded,
        new Promise((r) => {
          setTimeout(() => {
            r('stayed');
          }, 500);
        }),
      ]),
    ).toBe('stayed');
    expect(polling.socket.io.engine.transport.name).toBe('polling');
    polling.socket.disconnect();
  });

  it('in auto and websocket modes accepts WebSocket clients; websocket mode refuses polling', async () => {
    const auto = await t.connectWidget({ transports: ['websocket'] });
    expect(auto.socket.io.engine.transport.name).toBe('websocket');
    auto.socket.disconnect();
    expect((await pollingHandshake(t.url)).text).toContain('"upgrades":["websocket"]');

    await setMode(t, admin, 'websocket');
    const ws = await t.connectWidget({ transports: ['websocket'] });
    expect(ws.socket.io.engine.transport.name).toBe('websocket');
    ws.socket.disconnect();

    const handshake = await pollingHandshake(t.url);
    expect(handshake.status).toBe(403);
    expect(JSON.parse(handshake.text)).toMatchObject({
      message: expect.stringMatching(/WebSocket only mode/),
    });
    const socket = io(`${t.url}/widget`, {
      transports: ['polling'],
      auth: { siteKey: SITE_KEY },
      reconnection: false,
      forceNew: true,
    });
    trackSocket(socket);
    await connectError(socket);
    socket.disconnect();
  });

  it('tells connected clients of a switch and moves those that ignore it', async () => {
    const visitor = await t.connectWidget({ transports: ['websocket'] });
    const told = nextEvent<ClientTransportConfig>(visitor.socket, Events.TransportChanged);
    const closed = new Promise<string>((resolve) => visitor.socket.once('disconnect', resolve));
    const started = Date.now();
    await setMode(t, admin, 'polling');
    expect(await told).toMatchObject({ mode: 'polling', transports: ['polling'], upgrade: false });
    // This client ignores the instruction: the server closes its WebSocket (a recoverable close).
    expect(await closed).toBe('transport close');
    expect(Date.now() - started).toBeLessThan(SWITCH_GRACE_MS + 1_000);
  });

  it('records refused requests for the diagnostics page, for admins only', async () => {
    await setMode(t, admin, 'polling');
    await rawUpgrade(t.url);
    const report = await fetch(`${t.url}/api/realtime/failures`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({
        client: 'widget',
        transport: 'websocket',
        phase: 'upgrade',
        reason: 'Unexpected response code: 400',
        statusCode: 400,
      }),
    });
    expect(report.status).toBe(204);
    const bad = await fetch(`${t.url}/api/realtime/failures`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"client":"x"}',
    });
    expect(bad.status).toBe(400);
    const visitor = await t.connectWidget({ transports: ['polling'] });
    const res = await fetch(`${t.url}/api/realtime/connections`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      connections: { namespace: string; transport: string }[];
      countsByTransport: { polling: number };
      failureCounts: { reason: string }[];
    };
    expect(body.connections).toContainEqual(
      expect.objectContaining({ namespace: '/widget', transport: 'polling' }),
    );
    expect(body.countsByTransport.polling).toBeGreaterThanOrEqual(1);
    expect(body.failureCounts.map((f) => f.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/long-polling only mode/),
        'Unexpected response code: 400',
      ]),
    );
    const agent = await t.login('agent@example.com');
    expect(
      (await fetch(`${t.url}/api/realtime/connections`, { headers: { cookie: agent } })).status,
    ).toBe(403);
    visitor.socket.disconnect();
  });

  it('declines WebSocket compression, which would keep zlib state on every idle socket', async () => {
    const answer = await rawUpgrade(t.url, {
      'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
    });
    expect(answer.status).toBe(101);
    expect(answer.headers?.['sec-websocket-extensions']).toBeUndefined();
  });

  it('shows a connection on the transport it upgraded to, with its visitor and times', async () => {
    const { socket, session } = await t.connectWidget();
    const listed = async () => {
      const res = await fetch(`${t.url}/api/realtime/connections`, { headers: { cookie: admin } });
      const body = (await res.json()) as { connections: ConnectionInfo[] };
      return body.connections.find((c) => c.id === socket.id);
    };
    // Polling first, then the upgrade: the page follows the connection onto WebSocket.
    await waitUntil(async () => (await listed())?.transport === 'websocket');
    const entry = await listed();
    expect(entry).toMatchObject({
      namespace: '/widget',
      principalId: session.visitorId,
      transport: 'websocket',
    });
    expect(Date.parse(entry?.connectedAt ?? '')).toBeLessThanOrEqual(
      Date.parse(entry?.lastActivityAt ?? ''),
    );
    socket.disconnect();
    await waitUntil(async () => (await listed()) === undefined);
  });
});
