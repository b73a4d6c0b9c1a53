import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SqlExecutor } from './sql-executor';

/** The repository's migrations folder, from both `src/` (tests) and `dist/` (production). */
export const DEFAULT_MIGRATIONS_DIR = resolve(__dirname, '../../../../../prisma/migrations');

/** The key Prisma Migrate itself locks with, so the CLI and this migrator never run at once. */
const MIGRATION_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Reads `<timestamp>_<name>/migration.sql` folders in name order. */
export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations and records them in Prisma's `_prisma_migrations` table, with the
 * same columns and checksums as `prisma migrate deploy`, so either tool can take over.
 * Each migration runs in its own transaction; a failure leaves the database as it was.
 */
export async function migrate(
  db: SqlExecutor,
  dir = DEFAULT_MIGRATIONS_DIR,
): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  return db.transaction(async (tx) => {
    // Serialises nodes that start together; released when the transaction ends.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const rows = await tx.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const recorded = done.get(migration.name);
      if (recorded !== undefined) {
        if (recorded !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied (checksum ${recorded.slice(0, 12)}… ≠ ${migration.checksum.slice(0, 12)}…). Add a new migration instead of editing an applied one.`,
          );
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)',
        [randomUUID(), migration.checksum, migration.name],
      );
      result.applied.push(migration.name);
    }
    return result;
  });
}
