import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SESSION_COOKIE } from '@parley/protocol';
import { Redis } from 'ioredis';
import { createApp, listen } from '../app.factory';
import { loadConfig, type AppOptions } from '../config/config';
import { ADMIN_EMAIL, ADMIN_PASSWORD, SITE_KEY } from './test-app';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestNode {
  id: string;
  url: string;
  app: NestExpressApplication;
  close(): Promise<void>;
}

/** The repository root (where deploy/ lives), whichever folder the tests run from. */
export function repoRoot(): string {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'deploy', 'nginx'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (deploy/nginx)');
    dir = parent;
  }
  return dir;
}

/** A Redis key prefix of its own, so that suites running at once never see each other's nodes. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}:`;
}

/** Starts one real node (the whole app, listening on an ephemeral port) in this process. */
export async function startNode(
  id: string,
  env: Record<string, string>,
  options: AppOptions = {},
): Promise<TestNode> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEFAULT_SITE_KEY: SITE_KEY,
    NODE_ID: id,
    ...env,
  });
  const { app } = await createApp(config, options);
  const port = await listen(app, 0, '127.0.0.1');
  return {
    id,
    url: `http://127.0.0.1:${String(port)}`,
    app,
    async close() {
      await app.close();
      // As when the process exits: kept-alive connections (the balancer's) end too.
      app.getHttpServer().closeAllConnections();
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface Balancer {
  url: string;
  stop(): Promise<void>;
}

/** A real nginx doing plain round-robin over `upstreams`, from one of deploy/nginx's templates. */
export async function startBalancer(
  template: 'no-websocket' | 'websocket',
  upstreams: string[],
): Promise<Balancer> {
  const root = repoRoot();
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(root, 'deploy/nginx/render.mjs'),
      join(root, `deploy/nginx/${template}.conf.template`),
      `127.0.0.1:${String(port)}`,
      ...upstreams.map((u) => new URL(u).host),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // nginx is not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nginx (${template}) did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Signs in (the admin by default) through `url` and returns the session cookie (`name=value`). */
export async function loginCookie(
  url: string,
  email = ADMIN_EMAIL,
  password = ADMIN_PASSWORD,
): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${String(res.status)}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('login set no session cookie');
  return cookie.split(';')[0] ?? '';
}

/** Deletes every key under a prefix (what a suite's nodes left behind). */
export async function clearPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Polls `read` until it returns true; resolves with the milliseconds it took. */
export async function waitUntil(
  read: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<number> {
  const started = performance.now();
  while (!(await read())) {
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${what} not met within ${String(timeoutMs)} ms`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

/** The sum of a Prometheus series' samples whose labels include `labels`, from /metrics text. */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
