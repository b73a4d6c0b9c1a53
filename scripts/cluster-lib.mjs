// Starts several Parley nodes (the production build) on one PostgreSQL and one Redis, behind
// real nginx round-robin balancers without stickiness. Used by `npm run cluster` and the tests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const ROOT = new URL('..', import.meta.url).pathname;

/** Creates the database named in `databaseUrl` when it does not exist yet. */
export async function ensureDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Drops a database (tests clean up after themselves). */
export async function dropDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function waitFor(url, { timeoutMs = 60_000, expectStatus = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === expectStatus) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await sleep(150);
  }
  throw new Error(`${url} did not answer ${expectStatus} within ${timeoutMs} ms (last: ${last})`);
}

class ClusterNode {
  constructor(options) {
    this.id = options.id;
    this.port = options.port;
    this.url = `http://127.0.0.1:${options.port}`;
    this.options = options;
    this.process = null;
  }

  async start() {
    const { env, logTo } = this.options;
    const child = spawn(process.execPath, [`${ROOT}apps/api/dist/main.js`], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        NODE_ID: this.id,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        INTERNAL_URL: this.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    const sink = logTo(this.id);
    child.stdout.pipe(sink, { end: false });
    child.stderr.pipe(sink, { end: false });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`node ${this.id} exited with code ${code} while starting`);
    });
    await Promise.race([waitFor(`${this.url}/readyz`), exited]);
    exited.catch(() => undefined);
  }

  /** Sends a signal and waits for the process to end; returns its exit code. */
  async stop(signal = 'SIGTERM') {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return child?.exitCode ?? null;
    const exit = once(child, 'exit');
    child.kill(signal);
    const [code] = await exit;
    return code;
  }

  get running() {
    return Boolean(
      this.process && this.process.exitCode === null && this.process.signalCode === null,
    );
  }
}

class Balancer {
  constructor(name, template, port, upstreams, logTo) {
    this.name = name;
    this.url = `http://127.0.0.1:${port}`;
    this.args = [
      `${ROOT}deploy/nginx/render.mjs`,
      `${ROOT}deploy/nginx/${template}`,
      `127.0.0.1:${port}`,
      ...upstreams,
    ];
    this.logTo = logTo;
    this.process = null;
  }

  async start() {
    this.process = spawn(process.execPath, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const sink = this.logTo(this.name);
    this.process.stdout.pipe(sink, { end: false });
    this.process.stderr.pipe(sink, { end: false });
    await waitFor(`${this.url}/healthz`);
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return;
    const exit = once(this.process, 'exit');
    this.process.kill('SIGTERM');
    await exit;
  }
}

/**
 * Starts `nodes` Parley nodes on ports basePort+1… and a round-robin nginx on basePort that drops
 * the WebSocket Upgrade; with `upgradePort`, a second nginx there that passes it.
 */
export async function startCluster({
  nodes = 3,
  basePort = 8080,
  upgradePort,
  databaseUrl,
  redisUrl,
  env = {},
  logFile,
}) {
  if (!databaseUrl) throw new Error('startCluster needs a PostgreSQL databaseUrl');
  if (!redisUrl) throw new Error('startCluster needs a redisUrl');
  await ensureDatabase(databaseUrl);
  const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
  const logTo = (name) => {
    if (file) return file;
    // Each line prefixed with its source, for a person at a terminal.
    let partial = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(`${name.padEnd(5)} | ${line}\n`);
        done();
      },
    });
    return sink;
  };
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    NODE_ENV: 'production',
    ...env,
  };
  const members = Array.from(
    { length: nodes },
    (_, i) => new ClusterNode({ id: `n${i + 1}`, port: basePort + i + 1, env: shared, logTo }),
  );
  // The first node applies migrations and creates the default site and admin; then the others.
  await members[0].start();
  await Promise.all(members.slice(1).map((node) => node.start()));
  const upstreams = members.map((node) => `127.0.0.1:${node.port}`);
  const balancers = [new Balancer('lb', 'no-websocket.conf.template', basePort, upstreams, logTo)];
  if (upgradePort) {
    balancers.push(new Balancer('lb-ws', 'websocket.conf.template', upgradePort, upstreams, logTo));
  }
  await Promise.all(balancers.map((b) => b.start()));
  return {
    url: balancers[0].url,
    upgradeUrl: balancers[1]?.url ?? null,
    nodes: members,
    node(id) {
      const found = members.find((n) => n.id === id);
      if (!found) throw new Error(`no node ${id}`);
      return found;
    },
    async stop() {
      await Promise.all(balancers.map((b) => b.stop()));
      await Promise.all(members.map((n) => n.stop('SIGTERM')));
      file?.end();
    },
  };
}
