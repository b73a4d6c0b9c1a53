import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SESSION_COOKIE } from '@parley/protocol';
import type * as ClusterLibModule from '../../../scripts/cluster-lib.mjs';
import type { BenchConfig } from '../config';
import { Generator } from '../load/driver';
import type { ConnectResult, LoadResult } from '../load/messages';
import { log } from '../log';
import { PARLEY_ROOT } from '../paths';
import type { BenchDatabases } from '../servers/postgres';
import { ABUSE_LIMITS_OFF, BENCH_ADMIN } from '../servers/targets';

type ClusterLib = typeof ClusterLibModule;

/** One configuration behind nginx round-robin (no stickiness), long-polling. */
export interface ClusterRun {
  nodes: number;
  connect: ConnectResult;
  result: LoadResult;
  /** Polling requests and upgrades forwarded from the node nginx chose to the session's node. */
  forwarded: number;
  /** HTTP requests the clients made during the run. */
  requests: number;
}

/**
 * The steady chat through nginx round-robin over 3 nodes with Redis and PostgreSQL, long-polling
 * without sticky sessions, beside the same load through the same nginx to a single node: the
 * difference is what forwarding between nodes and the Redis adapter add.
 */
export type ClusterResult =
  | { measured: false; reason: string }
  | {
      measured: true;
      rate: number;
      /** Why this rate (the steady rate, or less when one node cannot sustain it). */
      rateReason: string;
      single: ClusterRun;
      cluster: ClusterRun;
    };

const CLUSTER_LIB = join(PARLEY_ROOT, 'scripts/cluster-lib.mjs');

function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      done(data.toString().startsWith('+PONG'));
    });
  });
}

/** `n + 1` ports in a row that are free now (the balancer, then the nodes). */
async function freeRange(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    let ok = true;
    for (let i = 0; i <= n && ok; i++) ok = await portFree(base + i);
    if (ok) return base;
  }
  throw new Error(`found no ${n + 1} free ports in a row`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () =>
      server.close(() => {
        resolve(true);
      }),
    );
  });
}

/** Sums `parley_forwarded_requests_total{outcome="forwarded"}` over the nodes' /metrics. */
async function forwardedSoFar(urls: string[]): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (
        line.startsWith('parley_forwarded_requests_total{') &&
        line.includes('outcome="forwarded"')
      ) {
        total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
      }
    }
  }
  return total;
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password }),
  });
  if (!res.ok) throw new Error(`sign-in through the balancer failed: HTTP ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie.split(';')[0] ?? '';
}

async function runOn(
  config: BenchConfig,
  lib: ClusterLib,
  databases: BenchDatabases,
  redisUrl: string,
  nodes: number,
  rate: number,
): Promise<ClusterRun> {
  const database = await databases.create();
  const basePort = await freeRange(nodes);
  const cluster = await lib.startCluster({
    nodes,
    basePort,
    databaseUrl: database.url,
    redisUrl,
    logFile: join(tmpdir(), `parley-bench-cluster-${process.pid}.log`),
    env: {
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      DEFAULT_SITE_KEY: BENCH_ADMIN.siteKey,
      // Its own keys and channels: other work may share this Redis.
      REDIS_PREFIX: `bench${process.pid.toString(36)}${nodes}:`,
      SHUTDOWN_TIMEOUT_MS: '2000',
      ...ABUSE_LIMITS_OFF,
    },
  });
  const generator = new Generator();
  try {
    const admin = await signIn(cluster.url);
    const mode = await fetch(`${cluster.url}/api/settings/transport`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ mode: 'polling' }),
    });
    if (!mode.ok)
      throw new Error(`setting polling mode failed: HTTP ${mode.status} ${await mode.text()}`);
    const cookies: string[] = [];
    for (let i = 0; i < config.steady.agents; i++) cookies.push(await signIn(cluster.url));
    const connect = await generator.connect(
      {
        url: cluster.url,
        siteKey: BENCH_ADMIN.siteKey,
        transport: 'polling',
        agentCookies: cookies,
        visitors: config.steady.visitors,
        concurrency: config.connectConcurrency,
        timeoutMs: 20_000,
      },
      180_000,
    );
    await generator.open({ concurrency: config.connectConcurrency, timeoutMs: 20_000 }, 180_000);
    await generator.load({
      rate,
      durationMs: config.cluster.warmupMs,
      drainMs: config.steady.drainMs,
      ackTimeoutMs: config.ackTimeoutMs,
    });
    const urls = cluster.nodes.map((n) => n.url);
    // Both counts over the same span: the load run also reconnects clients that the warm-up
    // left disconnected before it starts counting its own requests, and those reconnections
    // are forwarded like any other request.
    const requestsBefore = (await generator.stats()).httpRequests;
    const before = await forwardedSoFar(urls);
    const result = await generator.load({
      rate,
      durationMs: config.cluster.durationMs,
      drainMs: config.steady.drainMs,
      ackTimeoutMs: config.ackTimeoutMs,
    });
    const forwarded = (await forwardedSoFar(urls)) - before;
    const requests = (await generator.stats()).httpRequests - requestsBefore;
    log(
      `  cluster: ${nodes} node(s) behind nginx, polling, ${rate} msg/s: p50 ${result.endToEnd.p50.toFixed(1)} p99 ${result.endToEnd.p99.toFixed(1)} ms, ${forwarded} of ${requests} requests forwarded, lost ${result.lost}`,
    );
    return { nodes, connect, result, forwarded, requests };
  } finally {
    await generator.close();
    await cluster.stop();
    await databases.drop(database.name);
  }
}

export async function runCluster(
  config: BenchConfig,
  databases: BenchDatabases | null,
  rate: number,
  rateReason: string,
): Promise<ClusterResult> {
  if (!existsSync(CLUSTER_LIB)) {
    return {
      measured: false,
      reason:
        'Parley cannot be started as several nodes here: `scripts/cluster-lib.mjs` is missing.',
    };
  }
  if (!databases) return { measured: false, reason: 'PostgreSQL was not reachable.' };
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) {
    return { measured: false, reason: `Redis did not answer at ${new URL(redisUrl).host}.` };
  }
  const lib = (await import(pathToFileURL(CLUSTER_LIB).href)) as ClusterLib;
  const single = await runOn(config, lib, databases, redisUrl, 1, rate);
  const cluster = await runOn(config, lib, databases, redisUrl, 3, rate);
  return { measured: true, rate, rateReason, single, cluster };
}
