import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync } from 'node:fs';
import pg from 'pg';
import { ADMIN_EMAIL, ADMIN_PASSWORD, SITE_KEY } from './env';

/**
 * A Parley node (the production build) of its own, on a fresh PostgreSQL database that a test
 * fills with SQL: for data sets far too large to create through the API (100,000 messages) or
 * with times in the past (reports).
 */
export interface SeededServer {
  url: string;
  databaseUrl: string;
  /** The default site's id. */
  siteId: string;
  /** A client on the server's database, for seeding and for checking figures. */
  sql: pg.Client;
  stop(): Promise<void>;
}

function adminUrl(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
}

export async function startSeededServer(port: number, label: string): Promise<SeededServer> {
  const name = `parley_e2e_${label}_${String(process.pid)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();

  mkdirSync('test-results', { recursive: true });
  const log = openSync(`test-results/${label}-server.log`, 'w');
  // One node, no Redis.
  const { REDIS_URL: _redis, ...inherited } = process.env;
  const server: ChildProcess = spawn(process.execPath, ['apps/api/dist/main.js'], {
    stdio: ['ignore', log, log],
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '::',
      DATABASE_URL: databaseUrl,
      PARLEY_DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/parley-e2e-${label}-${String(process.pid)}`,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      DEFAULT_SITE_KEY: SITE_KEY,
      LOG_LEVEL: 'warn',
    },
  });
  const serverUrl = `http://localhost:${String(port)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the ${label} server exited; see its log`);
    const ready = await fetch(`${serverUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the ${label} server did not get ready`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  const { rows } = await sql.query<{ id: string }>('SELECT id FROM sites WHERE public_key = $1', [
    SITE_KEY,
  ]);
  const siteId = rows[0]?.id;
  if (!siteId) throw new Error('the default site is missing');

  return {
    url: serverUrl,
    databaseUrl,
    siteId,
    sql,
    async stop() {
      await sql.end();
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
      const drop = new pg.Client({ connectionString: adminUrl() });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** One conversation with its visitor and messages, written with SQL; returns its id. */
export async function insertConversation(
  sql: pg.Client,
  siteId: string,
  conversation: {
    key: string;
    name?: string | null;
    email?: string | null;
    status?: 'OPEN' | 'PENDING' | 'SNOOZED' | 'RESOLVED';
    createdAt?: Date;
    resolvedAt?: Date | null;
    assigneeId?: string | null;
    rating?: number | null;
    messages: { kind: 'VISITOR' | 'AGENT'; body: string; at?: Date }[];
  },
): Promise<string> {
  const id = `e2e-c-${conversation.key}`;
  const visitorId = `e2e-v-${conversation.key}`;
  const createdAt = conversation.createdAt ?? new Date();
  const last = conversation.messages.at(-1);
  await sql.query(
    `INSERT INTO visitors (id, site_id, token_hash, name, email, created_at)
     VALUES ($1, $2, md5($1), $3, $4, $5)`,
    [visitorId, siteId, conversation.name ?? null, conversation.email ?? null, createdAt],
  );
  await sql.query(
    `INSERT INTO conversations (id, site_id, visitor_id, status, assignee_id, last_seq,
       last_message_at, last_message_preview, created_at, updated_at)
     VALUES ($1, $2, $3, $4::conversation_status, $5, $6, $7, $8, $9, now())`,
    [
      id,
      siteId,
      visitorId,
      conversation.status ?? 'OPEN',
      conversation.assigneeId ?? null,
      conversation.messages.length,
      last ? (last.at ?? createdAt) : null,
      last ? last.body.slice(0, 140) : null,
      createdAt,
    ],
  );
  for (const [i, message] of conversation.messages.entries()) {
    await sql.query(
      `INSERT INTO messages (id, conversation_id, seq, author_kind, author_id, body,
         client_message_id, created_at)
       VALUES ($1, $2, $3, $4::author_kind, $5, $6, $1, $7)`,
      [
        `${id}-m${String(i + 1)}`,
        id,
        i + 1,
        message.kind,
        message.kind === 'VISITOR' ? visitorId : (conversation.assigneeId ?? null),
        message.body,
        message.at ?? createdAt,
      ],
    );
  }
  return id;
}
