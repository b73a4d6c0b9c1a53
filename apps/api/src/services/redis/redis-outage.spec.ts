import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  Events,
  Namespace,
  type Message,
  type SendMessageResult,
  type SyncResult,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, loginCookie, startNode, waitUntil, type TestNode } from '../../testing/cluster';
import { freshDatabase, type TestDatabase } from '../../testing/databases';
import { emitAck, nextEvent, SITE_KEY } from '../../testing/test-app';

/** A Redis server of this suite's own, so that stopping it disturbs nothing else. */
class OwnRedis {
  private process: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${String(this.port)}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => {
        reject(new Error(`redis-server exited with ${String(code)}`));
      });
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) resolve();
      });
    });
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

async function readiness(
  node: TestNode,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${node.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Redis outage', () => {
  let db: TestDatabase;
  let redis: OwnRedis;
  const nodes: TestNode[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    db = await freshDatabase('postgresql');
    const env = { DATABASE_URL: db.url ?? '', REDIS_URL: redis.url };
    nodes.push(await startNode('x', env));
    nodes.push(await startNode('y', env));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all(nodes.map((n) => n.close()));
    await redis.kill();
    await db.drop();
  });

  it(
    'is reported by /readyz, survived, and recovered from without a restart',
    { timeout: 90_000 },
    async () => {
      const [x, y] = nodes;
      if (!x || !y) throw new Error('two nodes expected');
      const cookie = await loginCookie(y.url);
      // A visitor on node x and an agent on node y: only Redis links them.
      const visitor = io(`${x.url}${Namespace.Widget}`, {
        transports: ['websocket'],
        forceNew: true,
        auth: { siteKey: SITE_KEY },
      });
      const desk = io(`${y.url}${Namespace.Agent}`, {
        transports: ['websocket'],
        forceNew: true,
        extraHeaders: { cookie },
      });
      sockets.push(visitor, desk);
      await Promise.all([nextEvent(visitor, Events.SessionReady), nextEvent(desk, 'connect')]);
      const atAgent: Message[] = [];
      desk.on(Events.MessageNew, (m: Message) => atAgent.push(m));
      const send = async (body: string) => {
        const ack = await emitAck<SendMessageResult>(visitor, Events.MessageSend, {
          clientMessageId: randomUUID(),
          body,
        });
        expect(ack.ok).toBe(true);
      };

      const told = { visitor: 0, desk: 0 };
      visitor.on(Events.SyncRequired, () => (told.visitor += 1));
      desk.on(Events.SyncRequired, () => (told.desk += 1));

      await send('before the outage');
      await waitUntil(() => atAgent.length === 1, 5_000, 'cross-node delivery');
      expect((await readiness(x)).status).toBe(200);

      await redis.kill();
      await waitUntil(async () => (await readiness(x)).status === 503, 10_000, 'x not ready');
      const down = await readiness(x);
      expect(down.body).toMatchObject({
        status: 'unavailable',
        database: { ok: true },
        redis: { ok: false },
      });
      // The node keeps serving its own clients: the message is stored and acknowledged.
      await send('during the outage');

      await redis.start();
      for (const node of nodes) {
        await waitUntil(
          async () => (await readiness(node)).status === 200,
          15_000,
          `${node.id} ready`,
        );
      }
      // Whatever was published during the outage may not have reached the other node: both sides
      // are told to catch up, and the agent's catch-up brings the message stored meanwhile.
      await waitUntil(() => told.visitor > 0 && told.desk > 0, 10_000, 'clients told to catch up');
      const conversationId = atAgent[0]?.conversationId ?? '';
      const caughtUp = await emitAck<SyncResult>(desk, Events.ConversationSync, {
        conversationId,
        afterSeq: 1,
      });
      expect(caughtUp.ok && caughtUp.data.messages.map((m) => m.body)).toEqual([
        'during the outage',
      ]);
      // Fan-out between the nodes works again, with no restart.
      await waitUntil(
        async () => {
          await send(`after the outage ${String(Date.now())}`);
          await new Promise((r) => setTimeout(r, 200));
          return atAgent.some((m) => m.body.startsWith('after the outage'));
        },
        10_000,
        'delivery after the outage',
      );
      const metrics = await (await fetch(`${x.url}/metrics`)).text();
      expect(metrics).toMatch(/^parley_redis_ping_seconds_count\{node="x"\} [1-9]/m);
    },
  );

  it('must be reachable at start-up: a node refuses to start without it, with a clear error', async () => {
    const closed = await freePort();
    await expect(
      startNode('z', {
        DATABASE_URL: db.url ?? '',
        REDIS_URL: `redis://127.0.0.1:${String(closed)}`,
        REDIS_CONNECT_TIMEOUT_MS: '500',
      }),
    ).rejects.toThrow(/Cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+ within 500 ms/);
  });
});
