import { Logger } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { Pool, type PoolClient } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlExecutor } from './sql-executor';

/** An open database: the Prisma driver adapter, raw SQL access, and how to close it. */
export interface DatabaseConnection {
  kind: 'pglite' | 'postgresql';
  adapter: SqlMigrationAwareDriverAdapterFactory;
  sql: SqlExecutor;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  /** PostgreSQL server; when absent, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; ignored with `inMemory` or `databaseUrl`. */
  dataDir?: string;
  inMemory?: boolean;
}

export async function openConnection(options: ConnectionOptions): Promise<DatabaseConnection> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options);
}

async function openPglite(options: ConnectionOptions): Promise<DatabaseConnection> {
  let pg: PGlite;
  if (options.inMemory || !options.dataDir) {
    pg = new PGlite();
  } else {
    const dir = join(options.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    pg = new PGlite(dir);
  }
  await pg.waitReady;
  const executor = (q: PGlite | Transaction): SqlExecutor => ({
    exec: async (sql) => {
      await q.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await q.query<T>(sql, params)).rows,
    transaction: (work) => pg.transaction((tx) => work(executor(tx))),
  });
  return {
    kind: 'pglite',
    adapter: new PrismaPGlite(pg),
    sql: executor(pg),
    close: () => pg.close(),
  };
}

async function openPostgres(databaseUrl: string): Promise<DatabaseConnection> {
  // Connections stay open once made (node-postgres closes idle ones after 10 s by default). Under
  // a load that rises and falls, closing them meant a burst of messages opened new ones: each a
  // new server process, its authentication, and the commit function compiled and planned again,
  // which took the slowest sends from a few milliseconds to tens of them.
  const pool = new Pool({ connectionString: databaseUrl, max: 10, idleTimeoutMillis: 0 });
  // An idle connection that the server drops (restart, failover, admin) is replaced on next use;
  // without a listener its error would end the process.
  pool.on('error', (error) => {
    new Logger('Database').warn(`An idle database connection failed: ${error.message}`);
  });
  // Fail fast with the server's own message when the URL is wrong.
  const probe = await pool.connect();
  probe.release();
  const onClient = (client: PoolClient): SqlExecutor => ({
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) =>
      (await client.query(sql, params)).rows as T[],
    transaction: (work) => work(onClient(client)),
  });
  const sql: SqlExecutor = {
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <T>(text: string, params: unknown[] = []) =>
      (await pool.query(text, params)).rows as T[],
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
  };
  return {
    kind: 'postgresql',
    adapter: new PrismaPg(pool),
    sql,
    close: () => pool.end(),
  };
}
