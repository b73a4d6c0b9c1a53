import { randomUUID } from 'node:crypto';
import {
  Events,
  Namespace,
  type Ack,
  type ConnectionsResponse,
  type Message,
  type SendMessageResult,
  type SyncResult,
  type TransportMode,
  type VisitorSession,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SettingsService } from '../settings/settings.service';
import { GracefulShutdown } from './graceful-shutdown';
import { NodeRegistry } from './node-registry';
import { SessionForwarder } from './session-forwarder';
import {
  clearPrefix,
  loginCookie,
  metricValue,
  REDIS_URL,
  startBalancer,
  startNode,
  uniquePrefix,
  waitUntil,
  type Balancer,
  type TestNode,
} from '../testing/cluster';
import { freshDatabase, type TestDatabase } from '../testing/databases';
import { emitAck, SITE_KEY } from '../testing/test-app';

type Transport = 'polling' | 'websocket';

const sockets = new Set<Socket>();

function widget(url: string, transports: Transport[], reconnection = false): Socket {
  const socket = io(`${url}${Namespace.Widget}`, {
    transports,
    rememberUpgrade: false,
    reconnection,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
    auth: { siteKey: SITE_KEY },
  });
  // As the widget does: reconnect as the same visitor.
  socket.on(Events.SessionReady, (session: VisitorSession) => {
    if (session.visitorToken)
      socket.auth = { siteKey: SITE_KEY, visitorToken: session.visitorToken };
  });
  sockets.add(socket);
  return socket;
}

function agent(url: string, cookie: string, transports: Transport[]): Socket {
  const socket = io(`${url}${Namespace.Agent}`, {
    transports,
    rememberUpgrade: false,
    reconnection: false,
    forceNew: true,
    extraHeaders: { cookie },
  });
  sockets.add(socket);
  return socket;
}

function ready(socket: Socket): Promise<VisitorSession> {
  return new Promise((resolve, reject) => {
    socket.once(Events.SessionReady, resolve);
    socket.once('connect_error', reject);
  });
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) resolve();
    socket.once('connect', () => {
      resolve();
    });
    socket.once('connect_error', reject);
  });
}

/** Every `message:new` a socket receives, in arrival order. */
function collect(socket: Socket): Message[] {
  const seen: Message[] = [];
  socket.on(Events.MessageNew, (m: Message) => seen.push(m));
  return seen;
}

async function send(socket: Socket, payload: Record<string, unknown>): Promise<SendMessageResult> {
  const ack = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
    clientMessageId: randomUUID(),
    ...payload,
  });
  if (!ack.ok) throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

async function metric(url: string, name: string, labels: Record<string, string> = {}) {
  return metricValue(await (await fetch(`${url}/metrics`)).text(), name, labels);
}

async function setMode(url: string, cookie: string, mode: TransportMode): Promise<void> {
  const res = await fetch(`${url}/api/settings/transport`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ mode }),
  });
  expect(res.status).toBe(200);
}

function ownerOf(socket: Socket): string {
  return socket.io.engine.id.split('.')[0] ?? '';
}

describe('three nodes behind nginx round-robin, on PostgreSQL and Redis', () => {
  let db: TestDatabase;
  const prefix = uniquePrefix();
  const nodes: TestNode[] = [];
  let balancer: Balancer;
  let upgradeBalancer: Balancer;
  let cookie: string;

  const node = (id: string): TestNode => {
    const found = nodes.find((n) => n.id === id);
    if (!found) throw new Error(`no node ${id}`);
    return found;
  };

  beforeAll(async () => {
    db = await freshDatabase('postgresql');
    const env = {
      DATABASE_URL: db.url ?? '',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      NODE_TTL_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: '3000',
    };
    // The first node migrates the empty database; the others find it ready.
    nodes.push(await startNode('a', env));
    nodes.push(...(await Promise.all([startNode('b', env), startNode('c', env)])));
    const upstreams = nodes.map((n) => n.url);
    [balancer, upgradeBalancer] = await Promise.all([
      startBalancer('no-websocket', upstreams),
      startBalancer('websocket', upstreams),
    ]);
    cookie = await loginCookie(balancer.url);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all([balancer.stop(), upgradeBalancer.stop()]);
    await Promise.all(nodes.map((n) => n.close()));
    await db.drop();
    await clearPrefix(prefix);
  });

  it('registers every node with the address the others reach it at', async () => {
    const live = await nodes[0]?.app.get(NodeRegistry).liveNodes();
    expect(live).toEqual(nodes.map((n) => ({ id: n.id, url: n.url })));
  });

  it('shows every node’s connections on the diagnostics page, whichever node answers', async () => {
    const visitors = nodes.map((n) => widget(n.url, ['polling']));
    await Promise.all(visitors.map(ready));
    const res = await fetch(`${nodes[0]?.url ?? ''}/api/realtime/connections`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ConnectionsResponse;
    const widgetNodes = body.connections
      .filter((c) => c.namespace === '/widget')
      .map((c) => c.node)
      .sort();
    expect(widgetNodes).toEqual(['a', 'b', 'c']);
    expect(body.countsByTransport.polling).toBeGreaterThanOrEqual(3);
    for (const v of visitors) v.disconnect();
  });

  it('holds a polling conversation although the balancer spreads every poll over the nodes', async () => {
    await setMode(balancer.url, cookie, 'polling');
    const visitor = widget(balancer.url, ['polling']);
    await ready(visitor);
    const desk = agent(balancer.url, cookie, ['polling']);
    await connected(desk);
    const atVisitor = collect(visitor);
    const atAgent = collect(desk);
    const forwardedBefore = await Promise.all(
      nodes.map((n) => metric(n.url, 'parley_forwarded_requests_total', { outcome: 'forwarded' })),
    );

    const first = await send(visitor, { body: 'Hello from the visitor' });
    const conversationId = first.conversationId;
    for (let i = 1; i <= 10; i += 1) {
      await send(visitor, { body: `visitor ${String(i)}` });
      await send(desk, { conversationId, body: `agent ${String(i)}` });
    }
    const expected = [
      'Hello from the visitor',
      ...Array.from({ length: 10 }, (_, i) => [
        `visitor ${String(i + 1)}`,
        `agent ${String(i + 1)}`,
      ]).flat(),
    ];
    await waitUntil(() => atVisitor.length >= 21 && atAgent.length >= 21, 10_000, 'delivery');
    for (const seen of [atVisitor, atAgent]) {
      expect(seen.map((m) => m.body)).toEqual(expected);
      expect(seen.map((m) => m.seq)).toEqual(expected.map((_, i) => i + 1));
    }
    // The sessions stayed on their nodes; the balancer's other picks were forwarded there.
    expect(visitor.io.engine.transport.name).toBe('polling');
    const forwardedAfter = await Promise.all(
      nodes.map((n) => metric(n.url, 'parley_forwarded_requests_total', { outcome: 'forwarded' })),
    );
    const forwarded = forwardedAfter.map((v, i) => v - (forwardedBefore[i] ?? 0));
    expect(forwarded.filter((v) => v > 0).length).toBeGreaterThanOrEqual(2);
    expect(
      await metric(node(ownerOf(visitor)).url, 'parley_connections', {
        namespace: '/widget',
        transport: 'polling',
      }),
    ).toBeGreaterThanOrEqual(1);
    visitor.disconnect();
    desk.disconnect();
  });

  it('pushes a new transport mode to every node within a second', async () => {
    const [a, b, c] = nodes;
    if (!a || !b || !c) throw new Error('three nodes expected');
    for (const mode of ['websocket', 'auto'] as const) {
      await setMode(a.url, cookie, mode);
      const elapsed = await Promise.all(
        [b, c].map((n) =>
          waitUntil(
            () => n.app.get(SettingsService).transportMode() === mode,
            1_000,
            `${mode} on ${n.id}`,
          ),
        ),
      );
      for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
      // The engine of each node enforces it too.
      expect(c.app.get(SettingsService).clientTransport().transports).toEqual(
        mode === 'websocket' ? ['websocket'] : ['polling', 'websocket'],
      );
    }
  });

  it('forwards a WebSocket upgrade that reaches another node to the node holding the session', async () => {
    await setMode(balancer.url, cookie, 'auto');
    const [a, b] = nodes;
    if (!a || !b) throw new Error('nodes expected');
    // A polling session on node a, with the client's own upgrade switched off…
    const visitor = io(`${a.url}${Namespace.Widget}`, {
      transports: ['polling'],
      upgrade: false,
      reconnection: false,
      forceNew: true,
      auth: { siteKey: SITE_KEY },
    });
    sockets.add(visitor);
    await ready(visitor);
    const sid = visitor.io.engine.id;
    expect(sid.startsWith('a.')).toBe(true);
    const forwardedBefore = await metric(b.url, 'parley_forwarded_requests_total', {
      kind: 'upgrade',
      outcome: 'forwarded',
    });
    // …then upgraded by hand through node b, speaking engine.io's probe.
    const ws = new WebSocket(
      `${b.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=${sid}`,
    );
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        ws.send('2probe');
      });
      ws.once('message', (data: Buffer) => {
        expect(data.toString()).toBe('3probe');
        ws.send('5');
        resolve();
      });
      ws.once('error', reject);
    });
    // Node a now serves that session over the WebSocket that node b forwarded.
    await waitUntil(
      async () =>
        (await metric(a.url, 'parley_connections', {
          namespace: '/widget',
          transport: 'websocket',
        })) === 1,
      3_000,
      'the upgrade on node a',
    );
    expect(
      await metric(b.url, 'parley_forwarded_requests_total', {
        kind: 'upgrade',
        outcome: 'forwarded',
      }),
    ).toBe(forwardedBefore + 1);
    ws.close();
    visitor.disconnect();
  });

  it('answers a poll for a session whose node is unknown as engine.io does, so the client reconnects', async () => {
    const res = await fetch(
      `${balancer.url}/socket.io/?EIO=4&transport=polling&sid=zz.${'x'.repeat(20)}`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 1, message: 'Session ID unknown' });
    expect(res.headers.get('x-parley-node')).toMatch(/^[abc]$/);
  });

  it('never forwards a request twice, even when a client forges the forwarding header', async () => {
    const [a, b] = nodes;
    if (!a || !b) throw new Error('nodes expected');
    const gone = { kind: 'polling', target: 'b', outcome: 'gone' };
    const forwarded = { kind: 'polling', target: 'b', outcome: 'forwarded' };
    const before = {
      gone: await metric(a.url, 'parley_forwarded_requests_total', gone),
      forwarded: await metric(a.url, 'parley_forwarded_requests_total', forwarded),
    };
    const res = await fetch(`${a.url}/socket.io/?EIO=4&transport=polling&sid=b.${'x'.repeat(20)}`, {
      headers: { 'x-parley-forwarded-by': 'c' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 1, message: 'Session ID unknown' });
    expect(await metric(a.url, 'parley_forwarded_requests_total', gone)).toBe(before.gone + 1);
    expect(await metric(a.url, 'parley_forwarded_requests_total', forwarded)).toBe(
      before.forwarded,
    );
  });

  it('drains a node on shutdown: its clients move to the others and every message arrives once', async () => {
    await setMode(balancer.url, cookie, 'polling');
    // Visitors until one sits on node b (the balancer alternates).
    let visitor: Socket | null = null;
    for (let i = 0; i < 6 && !visitor; i += 1) {
      const candidate = widget(balancer.url, ['polling'], true);
      await ready(candidate);
      if (ownerOf(candidate) === 'b') visitor = candidate;
      else candidate.disconnect();
    }
    if (!visitor) throw new Error('no session landed on node b');
    const desk = agent(nodes[0]?.url ?? '', cookie, ['polling']);
    await connected(desk);
    const atVisitor = collect(visitor);
    const atAgent = collect(desk);
    const { conversationId } = await send(visitor, { body: 'before the drain' });

    const b = node('b');
    const shutdown = b.app.get(GracefulShutdown);
    // Draining: b sends its clients away, and refuses new sessions with 503 (the balancer
    // retries them elsewhere) and readiness checks with 503 (the balancer stops choosing it).
    const moved = shutdown.beginDraining();
    expect(moved).toBeGreaterThanOrEqual(1);
    const handshake = await fetch(`${b.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(503);
    expect(await handshake.json()).toMatchObject({ code: 'NODE_DRAINING' });
    const readiness = await fetch(`${b.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: 'draining' });
    await send(desk, { conversationId, body: 'during the drain' });
    // A long-poll that b forwards for a session on node a would hold b for a ping interval.
    const a = node('a');
    const handshake2 = await (await fetch(`${a.url}/socket.io/?EIO=4&transport=polling`)).text();
    const { sid } = JSON.parse(handshake2.slice(1)) as { sid: string };
    const held = fetch(`${b.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`).then(
      (res) => res.status,
      () => 'cut',
    );
    await waitUntil(() => b.app.get(SessionForwarder).openForwards >= 1, 2_000, 'the held poll');
    const started = performance.now();
    const report = await shutdown.drain(b.app.getHttpServer());
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(report.pendingAtDeadline).toBe(0);
    expect(report.forwardedEnded).toBeGreaterThanOrEqual(1);
    expect(await held).toBe('cut');
    await b.close();
    nodes.splice(nodes.indexOf(b), 1);

    // The visitor is back, on another node, and catches up by seq.
    await waitUntil(() => visitor.connected && ownerOf(visitor) !== 'b', 10_000, 'reconnection');
    const afterSeq = Math.max(0, ...atVisitor.map((m) => m.seq));
    const sync = await emitAck<SyncResult>(visitor, Events.ConversationSync, {
      conversationId,
      afterSeq,
    });
    if (!sync.ok) throw new Error(sync.error.message);
    for (const m of sync.data.messages)
      if (!atVisitor.some((s) => s.id === m.id)) atVisitor.push(m);
    await send(visitor, { conversationId, body: 'after the drain' });
    await waitUntil(() => atVisitor.length >= 3 && atAgent.length >= 3, 10_000, 'delivery');
    const bodies = ['before the drain', 'during the drain', 'after the drain'];
    expect(atVisitor.map((m) => m.body).sort()).toEqual([...bodies].sort());
    expect(atAgent.map((m) => m.body)).toEqual(bodies);
    const live = await nodes[0]?.app.get(NodeRegistry).liveNodes();
    expect(live?.map((n) => n.id)).toEqual(['a', 'c']);
    visitor.disconnect();
    desk.disconnect();
  });
});

describe('plain socket.io nodes behind the same balancer (control)', () => {
  it('fail in polling mode without the forwarding: "Session ID unknown"', async () => {
    const { Server } = await import('socket.io');
    const { createServer } = await import('node:http');
    const servers = await Promise.all(
      [0, 1, 2].map(async () => {
        // Answers the balancer's health check; socket.io takes /socket.io/ itself.
        const http = createServer((_req, res) => {
          res.end('ok');
        });
        const server = new Server(http, { transports: ['polling'] });
        server.of('/widget').on('connection', (socket) => {
          socket.on('message:send', (_payload: unknown, ack: (res: Ack<null>) => void) => {
            ack({ ok: true, data: null });
          });
        });
        await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
        const address = http.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        return { server, url: `http://127.0.0.1:${String(port)}` };
      }),
    );
    const plain = await startBalancer(
      'no-websocket',
      servers.map((s) => s.url),
    );
    try {
      // One client at a time, so that round-robin alone decides where each request goes.
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        outcomes.push(
          await new Promise<string>((resolve) => {
            const socket = io(`${plain.url}/widget`, {
              transports: ['polling'],
              reconnection: false,
              forceNew: true,
            });
            sockets.add(socket);
            socket.once('connect_error', (err) => {
              resolve(`connect_error: ${err.message}`);
            });
            socket.once('disconnect', (reason) => {
              resolve(`disconnect: ${reason}`);
            });
            socket.once('connect', () => {
              socket
                .timeout(3_000)
                .emitWithAck('message:send', {})
                .then(
                  () => {
                    resolve('acked');
                  },
                  () => {
                    resolve('no ack');
                  },
                );
            });
          }),
        );
      }
      // Each session lives on one node and round-robin sends its next poll elsewhere: it breaks.
      expect(outcomes.filter((o) => o === 'acked')).toEqual([]);
      const unknownSession = await fetch(`${plain.url}/socket.io/?EIO=4&transport=polling&sid=abc`);
      expect(await unknownSession.json()).toEqual({ code: 1, message: 'Session ID unknown' });
    } finally {
      await plain.stop();
      await Promise.all(servers.map((s) => s.server.close()));
    }
  });
});
