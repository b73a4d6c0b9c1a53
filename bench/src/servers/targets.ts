import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SESSION_COOKIE, type TransportMode } from '@parley/protocol';
import type { ProbeReply, ProbeRequestBody, ProbeSample } from '../probe/messages';
import { API_MAIN } from '../paths';
import { Child } from './child';
import type { BenchDatabases } from './postgres';
import type { ProcessTimes } from '../proc';

export type Engine = 'postgres' | 'pglite';
export type TargetKind = 'baseline' | Engine;

export const TARGET_LABELS: Record<TargetKind, string> = {
  baseline: 'bare socket.io',
  postgres: 'Parley (PostgreSQL)',
  pglite: 'Parley (PGlite)',
};

/** A measured server: Parley on one database engine, or the bare socket.io relay. */
export interface Target {
  kind: TargetKind;
  label: string;
  url: string;
  siteKey: string;
  child: Child;
  /** Session cookies for `n` agents (empty strings for the baseline, which has no sign-in). */
  agentCookies(n: number): Promise<string[]>;
  /** Puts the server in a transport mode (Parley's admin setting; the baseline accepts both). */
  setTransport(mode: TransportMode): Promise<void>;
  sample(gc: boolean): Promise<ProbeSample>;
  resetProbe(): Promise<void>;
  /** The time so far of the database server's processes for this target (PostgreSQL). */
  databaseTimes(): Promise<Map<number, ProcessTimes> | null>;
  /** Messages stored in the database, where the runner can count them (PostgreSQL). */
  storedMessages(): Promise<number | null>;
  /** The server's own PostgreSQL database (null on PGlite and for the baseline). */
  databaseUrl: string | null;
  stop(): Promise<void>;
}

const PROBE = resolve(__dirname, '../probe/probe.js');
const RELAY = resolve(__dirname, '../baseline/relay.js');
/** The first admin and the default site of every Parley the benchmark starts. */
export const BENCH_ADMIN = {
  email: 'bench@example.com',
  password: 'bench-password-1',
  siteKey: 'bench-site',
} as const;
const ADMIN_EMAIL = BENCH_ADMIN.email;
const ADMIN_PASSWORD = BENCH_ADMIN.password;
const SITE_KEY = BENCH_ADMIN.siteKey;
/**
 * Every simulated client connects from 127.0.0.1, so per-address and per-socket abuse limits
 * would throttle the load generator itself rather than measure the server: they are off.
 */
export const ABUSE_LIMITS_OFF: Record<string, string> = {
  LIMIT_CONNECTIONS_PER_IP: 'off',
  LIMIT_MESSAGES_PER_VISITOR_SOCKET: 'off',
  LIMIT_CONVERSATIONS_PER_IP: 'off',
  LIMIT_UPLOADS_PER_IP: 'off',
};
/** Servers run with a full collection available to the probe; nothing else differs. */
const NODE_ARGS = ['--expose-gc', '--require', PROBE];

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited before it was ready\n${child.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${child.name} was not ready at ${url} within ${timeoutMs} ms\n${child.output()}`,
  );
}

function probeOf(child: Child) {
  return {
    sample: async (gc: boolean) => {
      const reply = await child.request<ProbeReply>(
        { type: 'probe:sample', gc } satisfies ProbeRequestBody,
        30_000,
      );
      if (reply.type !== 'probe:sample') {
        throw new Error(
          `${child.name} could not be sampled: ${reply.type === 'probe:error' ? reply.message : reply.type}`,
        );
      }
      return reply;
    },
    resetProbe: async () => {
      await child.request({ type: 'probe:reset' } satisfies ProbeRequestBody, 30_000);
    },
  };
}

export async function startBaseline(): Promise<Target> {
  const port = await freePort();
  const child = new Child({
    name: 'bare socket.io relay',
    nodeArgs: NODE_ARGS,
    script: RELAY,
    args: [String(port), 'base'],
  });
  const [, url = ''] = await child.waitForLine(/ready on (\S+)/, 30_000);
  await waitForHttp(`${url}/healthz`, child, 10_000);
  return {
    kind: 'baseline',
    label: TARGET_LABELS.baseline,
    url,
    siteKey: SITE_KEY,
    child,
    agentCookies: (n) => Promise.resolve(Array.from({ length: n }, () => '')),
    setTransport: () => Promise.resolve(),
    ...probeOf(child),
    databaseTimes: () => Promise.resolve(null),
    storedMessages: () => Promise.resolve(null),
    databaseUrl: null,
    stop: () => child.stop(),
  };
}

export async function startParley(
  engine: Engine,
  databases: BenchDatabases | null,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Target> {
  const port = await freePort();
  let database: { name: string; url: string } | null = null;
  let dataDir: string | null = null;
  if (engine === 'postgres') {
    if (!databases) throw new Error('PostgreSQL is not available');
    database = await databases.create();
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEFAULT_SITE_KEY: SITE_KEY,
    LOG_LEVEL: 'warn',
    NODE_ID: 'bench',
    ...ABUSE_LIMITS_OFF,
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (database) env.DATABASE_URL = database.url;
  if (dataDir) env.PARLEY_DATA_DIR = dataDir;
  const child = new Child({
    name: TARGET_LABELS[engine],
    nodeArgs: NODE_ARGS,
    script: API_MAIN,
    env,
  });
  const url = `http://127.0.0.1:${port}`;
  const cleanup = async () => {
    await child.stop();
    if (database && databases) await databases.drop(database.name);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/readyz`, child, 60_000);
  } catch (error) {
    await cleanup();
    throw error;
  }

  const login = async (): Promise<string> => {
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    if (!res.ok) throw new Error(`sign-in failed: HTTP ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error('sign-in set no session cookie');
    return cookie.split(';')[0] ?? '';
  };
  const admin = await login();

  return {
    kind: engine,
    label: TARGET_LABELS[engine],
    url,
    siteKey: SITE_KEY,
    child,
    async agentCookies(n) {
      // One sign-in per agent: each console holds its own session.
      const cookies: string[] = [];
      for (let i = 0; i < n; i++) cookies.push(await login());
      return cookies;
    },
    async setTransport(mode) {
      const res = await fetch(`${url}/api/settings/transport`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie: admin },
        body: JSON.stringify({ mode }),
      });
      if (!res.ok)
        throw new Error(`setting the transport failed: HTTP ${res.status} ${await res.text()}`);
    },
    ...probeOf(child),
    databaseTimes: async () =>
      database && databases ? databases.backendTimes(database.name) : null,
    storedMessages: async () =>
      database && databases ? databases.count(database.url, 'messages') : null,
    databaseUrl: database?.url ?? null,
    stop: cleanup,
  };
}
