import { randomUUID } from 'node:crypto';
import { Events, Namespace, type VisitorSession } from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, startNode, waitUntil, type TestNode } from '../testing/cluster';
import { emitAck, nextEvent, SITE_KEY } from '../testing/test-app';

const METRICS_TOKEN = 'a-long-enough-metrics-token';

describe('operations: logs, metrics, sticky cookie', () => {
  let node: TestNode;
  const lines: Record<string, unknown>[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    node = await startNode(
      'obs1',
      {
        PARLEY_DATABASE_IN_MEMORY: 'true',
        LOG_LEVEL: 'info',
        METRICS_TOKEN,
        STICKY_COOKIE: 'parley_affinity',
      },
      {
        logDestination: {
          write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
        },
      },
    );
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await node.close();
  });

  async function visitor(): Promise<{ socket: Socket; session: VisitorSession }> {
    const socket = io(`${node.url}${Namespace.Widget}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { siteKey: SITE_KEY },
    });
    sockets.push(socket);
    const session = await nextEvent<VisitorSession>(socket, Events.SessionReady);
    return { socket, session };
  }

  const metrics = async () =>
    (
      await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();

  it('logs each connection as JSON with the node, connection and visitor ids', async () => {
    const { socket, session } = await visitor();
    await waitUntil(() => lines.some((l) => l.msg === 'connected' && l.connectionId === socket.id));
    const connected = lines.find((l) => l.msg === 'connected' && l.connectionId === socket.id);
    expect(connected).toMatchObject({
      level: 'info',
      node: 'obs1',
      context: 'Connections',
      namespace: '/widget',
      visitorId: session.visitorId,
      transport: 'websocket',
      ip: '127.0.0.1',
    });
    expect(typeof connected?.time).toBe('string');
    const id = socket.id;
    socket.disconnect();
    await waitUntil(() => lines.some((l) => l.msg === 'disconnected' && l.connectionId === id));
    expect(lines.find((l) => l.msg === 'disconnected' && l.connectionId === id)).toMatchObject({
      node: 'obs1',
      visitorId: session.visitorId,
      reason: 'client namespace disconnect',
    });
    // Framework start-up chatter stays out of the info level.
    expect(lines.some((l) => l.context === 'InstanceLoader')).toBe(false);
  });

  it('counts connections, messages, ack latency and unknown events in Prometheus format', async () => {
    const { socket } = await visitor();
    const ack = await emitAck(socket, Events.MessageSend, {
      clientMessageId: randomUUID(),
      body: 'hi',
    });
    expect(ack.ok).toBe(true);
    socket.emit('no-such:event', { anything: true });
    const widget = { namespace: '/widget', node: 'obs1' };
    await waitUntil(
      async () => metricValue(await metrics(), 'parley_unknown_events_total', widget) === 1,
    );
    const text = await metrics();
    expect(metricValue(text, 'parley_connections', { ...widget, transport: 'websocket' })).toBe(1);
    expect(metricValue(text, 'parley_messages_received_total', widget)).toBe(1);
    // The sender's own socket receives the committed message too.
    expect(metricValue(text, 'parley_messages_sent_total', widget)).toBe(1);
    expect(
      metricValue(text, 'parley_ack_duration_seconds_count', {
        ...widget,
        event: 'message:send',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      metricValue(text, 'parley_database_ping_seconds_count', { node: 'obs1' }),
    ).toBeGreaterThan(0);
    expect(text).toContain('process_resident_memory_bytes');
    // The socket survived the unknown event.
    expect(socket.connected).toBe(true);
  });

  it('keeps /metrics behind METRICS_TOKEN when one is set', async () => {
    const without = await fetch(`${node.url}/metrics`);
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const wrong = await fetch(`${node.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${node.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toContain('text/plain');
  });

  it('sets the sticky cookie on every handshake for balancers that stick on it', async () => {
    const res = await fetch(`${node.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    const sid = (JSON.parse((await res.text()).slice(1)) as { sid: string }).sid;
    expect(sid.startsWith('obs1.')).toBe(true);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('parley_affinity='));
    expect(cookie).toContain(`parley_affinity=${sid}`);
    expect(cookie).toContain('HttpOnly');
    expect(res.headers.get('x-parley-node')).toBe('obs1');
  });
});
