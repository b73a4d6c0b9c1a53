import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export type Engine = 'pglite' | 'postgresql';

/** PGlite always; the real PostgreSQL server too when DATABASE_URL is set (CI sets it). */
export const ENGINES: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgresql'] : ['pglite'];

export interface TestDatabase {
  /** Unset for PGlite (in memory). */
  url?: string;
  drop(): Promise<void>;
}

/** An empty database of its own for one suite, so suites run in parallel. */
export async function freshDatabase(engine: Engine): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (engine === 'pglite') return { drop: () => Promise.resolve() };
  if (!base) throw new Error('DATABASE_URL is required for PostgreSQL tests');
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
