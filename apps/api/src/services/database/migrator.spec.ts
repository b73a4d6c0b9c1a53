import { cp, mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase, type TestDatabase } from '../../testing/databases';
import { openConnection, type DatabaseConnection } from './connection';
import { DEFAULT_MIGRATIONS_DIR, migrate, readMigrations } from './migrator';

describe.each(ENGINES)('migrator on %s', (engine) => {
  let db: TestDatabase | undefined;
  let connection: DatabaseConnection | undefined;

  afterEach(async () => {
    await connection?.close();
    await db?.drop();
  });

  async function open() {
    db = await freshDatabase(engine);
    connection = await openConnection({ databaseUrl: db.url, inMemory: true });
    return connection;
  }

  it('applies every migration once and records it the way Prisma Migrate does', async () => {
    const c = await open();
    const files = await readMigrations();
    const first = await migrate(c.sql);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await migrate(c.sql);
    expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) });
    const rows = await c.sql.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(
      files.map((f) => [f.name, f.checksum]),
    );
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('rolls back a failing migration and refuses an edited one', async () => {
    const c = await open();
    const dir = await mkdtemp(join(tmpdir(), 'parley-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(c.sql, dir);
    await mkdir(join(dir, '29990101000000_broken'));
    await writeFile(
      join(dir, '29990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
    );
    await expect(migrate(c.sql, dir)).rejects.toThrow(/no_such_table/);
    const half = await c.sql.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'",
    );
    expect(half).toEqual([]);

    const [init] = await readMigrations(dir);
    await writeFile(join(dir, init?.name ?? '', 'migration.sql'), `${init?.sql ?? ''}\n-- edited`);
    await expect(migrate(c.sql, dir)).rejects.toThrow(/was changed after it was applied/);
  });
});
