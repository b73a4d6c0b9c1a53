import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from '@playwright/test';
import type { Message } from '@parley/protocol';
import pg from 'pg';
import { dropDatabase, startCluster, type Cluster } from '../scripts/cluster-lib.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, SITE_KEY } from './support/env';
import {
  emptyCounts,
  ScriptedAgent,
  ScriptedVisitor,
  type Counts,
} from './support/scripted-clients';

// A population of scripted clients over both transports writes numbered messages through
// three nodes while connections are cut, polls dropped, nodes killed and restarted and Redis
// restarted. At the end every side holds every message once, in seq order, and so does the
// database.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

const BASE_PORT = 4330;
const UPGRADE_PORT = 4334;
const REDIS_PORT = 4339;
const VISITORS_PER_TRANSPORT = 8;
const MESSAGES_PER_VISITOR = 40;
const WRITE_INTERVAL_MS = 250;
const REPLY_EVERY = 5;

const databaseUrl = (() => {
  const url = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test');
  url.pathname = `/parley_e2e_faults_${String(process.pid)}`;
  return url.toString();
})();

/** A Redis server of this suite's own, so that restarting it disturbs no other test. */
class OwnRedis {
  private child: ChildProcess | null = null;

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => {
        reject(new Error(`redis-server exited with ${String(code)}`));
      });
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

/** A small seeded generator, so that a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

let cluster: Cluster;
const redis = new OwnRedis();

test.beforeAll(async () => {
  test.setTimeout(120_000);
  mkdirSync('test-results', { recursive: true });
  await redis.start();
  cluster = await startCluster({
    nodes: 3,
    basePort: BASE_PORT,
    upgradePort: UPGRADE_PORT,
    databaseUrl,
    redisUrl: `redis://127.0.0.1:${String(REDIS_PORT)}`,
    logFile: 'test-results/fault-nodes.log',
    env: {
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      DEFAULT_SITE_KEY: SITE_KEY,
      LOG_LEVEL: 'warn',
      NODE_TTL_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '5000',
      // Faults, not limits, are under test: every client here comes from one address.
      LIMIT_CONNECTIONS_PER_IP: 'off',
      LIMIT_MESSAGES_PER_VISITOR_SOCKET: 'off',
      LIMIT_CONVERSATIONS_PER_IP: 'off',
      LIMIT_UPLOADS_PER_IP: 'off',
    },
  });
});

test.afterAll(async () => {
  await cluster.stop();
  await redis.stop();
  await dropDatabase(databaseUrl);
});

async function adminCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie()[0] ?? '';
  return cookie.split(';')[0] ?? '';
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${String(timeoutMs)} ms`);
    await sleep(100);
  }
}

test('every message arrives exactly once, in seq order, while connections, nodes and Redis fail', async () => {
  const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
  const rand = random(seed);
  const counts: Counts = emptyCounts();
  const faults: Record<string, number> = {};
  const fault = (name: string) => {
    faults[name] = (faults[name] ?? 0) + 1;
  };

  const cookie = await adminCookie(cluster.url);
  const visitors = [
    ...Array.from(
      { length: VISITORS_PER_TRANSPORT },
      (_, i) => new ScriptedVisitor(`vp${String(i)}`, cluster.url, 'polling', counts, SITE_KEY),
    ),
    ...Array.from(
      { length: VISITORS_PER_TRANSPORT },
      (_, i) =>
        new ScriptedVisitor(
          `vw${String(i)}`,
          cluster.upgradeUrl ?? '',
          'websocket',
          counts,
          SITE_KEY,
        ),
    ),
  ];
  // Each conversation has one answering agent; both agents see every conversation.
  const answers = (index: number) => (message: Message) => {
    let sum = 0;
    for (let i = 0; i < message.conversationId.length; i += 1) {
      sum += message.conversationId.charCodeAt(i);
    }
    return sum % 2 === index;
  };
  const agents = [
    new ScriptedAgent('agent-p', cluster.url, 'polling', counts, cookie, REPLY_EVERY, answers(0)),
    new ScriptedAgent(
      'agent-w',
      cluster.upgradeUrl ?? '',
      'websocket',
      counts,
      cookie,
      REPLY_EVERY,
      answers(1),
    ),
  ];
  const clients = [...visitors, ...agents];
  for (const client of clients) client.start();
  await until(() => clients.every((c) => c.connected), 30_000, 'everyone connected');

  // Faults while everyone writes: client-level cuts all along, node and Redis faults on a schedule.
  const phase = { writing: true };
  const chaos = (async () => {
    const schedule: [number, () => Promise<void>][] = [
      [
        2_000,
        async () => {
          fault('node killed (SIGKILL) and restarted');
          const node = cluster.node('n2');
          await node.stop('SIGKILL');
          await sleep(1_500);
          await node.start();
        },
      ],
      [
        5_000,
        async () => {
          fault('Redis restarted');
          await redis.stop();
          await sleep(1_000);
          await redis.start();
        },
      ],
      [
        8_000,
        async () => {
          fault('node drained (SIGTERM) and restarted');
          const node = cluster.node('n3');
          await node.stop('SIGTERM');
          await node.start();
        },
      ],
    ];
    const started = Date.now();
    const big = (async () => {
      for (const [at, action] of schedule) {
        await sleep(Math.max(0, at - (Date.now() - started)));
        await action();
      }
    })();
    while (phase.writing) {
      await sleep(150 + rand() * 350);
      const client = clients[Math.floor(rand() * clients.length)];
      if (!client) continue;
      if (client.transport === 'polling' && rand() < 0.5) {
        fault('poll dropped');
        client.dropHttp();
      } else {
        fault('connection closed');
        client.dropConnection();
      }
    }
    await big;
  })();

  for (let n = 1; n <= MESSAGES_PER_VISITOR; n += 1) {
    for (const visitor of visitors) visitor.write(n);
    await sleep(WRITE_INTERVAL_MS);
  }
  phase.writing = false;
  await chaos;

  // Quiet again: every outbox drains, then everyone catches up once more.
  await until(
    () => clients.every((c) => c.connected && c.pending() === 0),
    90_000,
    'every outbox drained',
  );
  const expectedReplies = Math.floor(MESSAGES_PER_VISITOR / REPLY_EVERY);
  const expectedPerConversation = MESSAGES_PER_VISITOR + expectedReplies;
  await until(
    () =>
      visitors.every((v) => v.conversationId !== null) && agents.every((a) => a.pending() === 0),
    30_000,
    'conversations started',
  );
  for (let round = 0; round < 20; round += 1) {
    for (const v of visitors) await v.sync(v.conversationId ?? '');
    for (const a of agents) for (const id of a.timelines.keys()) await a.sync(id);
    const complete =
      visitors.every((v) => v.messages().length === expectedPerConversation) &&
      agents.every((a) => a.pending() === 0);
    if (complete) break;
    await sleep(500);
  }

  // The database: each message once, seqs 1..n without a gap, per conversation.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query<{
    conversation_id: string;
    total: number;
    distinct_ids: number;
    max_seq: number;
  }>(
    `SELECT conversation_id, count(*)::int AS total,
            count(DISTINCT client_message_id)::int AS distinct_ids, max(seq)::int AS max_seq
       FROM messages GROUP BY conversation_id`,
  );
  const stored = await db.query<{ conversation_id: string; id: string; seq: number }>(
    'SELECT conversation_id, id, seq FROM messages ORDER BY conversation_id, seq',
  );
  await db.end();
  expect(rows).toHaveLength(visitors.length);
  for (const row of rows) {
    expect(row).toMatchObject({
      total: expectedPerConversation,
      distinct_ids: expectedPerConversation,
      max_seq: expectedPerConversation,
    });
  }
  const idsInDb = new Map<string, string[]>();
  for (const r of stored.rows) {
    idsInDb.set(r.conversation_id, [...(idsInDb.get(r.conversation_id) ?? []), r.id]);
  }

  // Every visitor: its own lines once and in the order written, each answer once, seq order.
  for (const visitor of visitors) {
    const messages = visitor.messages();
    expect(messages.map((m) => m.seq)).toEqual(
      Array.from({ length: expectedPerConversation }, (_, i) => i + 1),
    );
    expect(messages.map((m) => m.id)).toEqual(idsInDb.get(visitor.conversationId ?? ''));
    const own = messages.filter((m) => m.authorKind === 'VISITOR').map((m) => m.body);
    expect(own).toEqual(
      Array.from({ length: MESSAGES_PER_VISITOR }, (_, i) => `${visitor.name} #${String(i + 1)}`),
    );
    const answered = messages.filter((m) => m.authorKind === 'AGENT').map((m) => m.body);
    expect(answered).toHaveLength(expectedReplies);
    expect(new Set(answered).size).toBe(expectedReplies);
  }
  // Every agent: every conversation, exactly as stored.
  for (const agent of agents) {
    for (const visitor of visitors) {
      const id = visitor.conversationId ?? '';
      expect(
        agent.timelines
          .get(id)
          ?.ordered()
          .map((m) => m.id),
      ).toEqual(idsInDb.get(id));
    }
  }

  const delivered =
    visitors.reduce((sum, v) => sum + v.messages().length, 0) +
    agents.reduce(
      (sum, a) => sum + [...a.timelines.values()].reduce((s, t) => s + t.bySeq.size, 0),
      0,
    );
  const report = {
    seed,
    clients: `${String(visitors.length)} visitors (half polling, half WebSocket), ${String(agents.length)} agents`,
    ...counts,
    delivered,
    faults,
  };
  console.log(`Fault run: ${JSON.stringify(report, null, 2)}`);
  test.info().annotations.push({ type: 'fault run', description: JSON.stringify(report) });
  expect(Object.keys(faults)).toHaveLength(5);
  for (const client of clients) client.stop();
});
