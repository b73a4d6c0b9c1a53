import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../testing/databases';
import { openConnection, type DatabaseConnection } from './connection';

describe('PostgreSQL connection pool', () => {
  let db: TestDatabase;
  let connection: DatabaseConnection;

  beforeAll(async () => {
    db = await freshDatabase('postgresql');
    connection = await openConnection({ databaseUrl: db.url });
  });

  afterAll(async () => {
    await connection.close();
    await db.drop();
  });

  /** The server processes serving this database, other than the one asking. */
  async function backends(): Promise<number[]> {
    const rows = await connection.sql.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid`,
    );
    return rows.map((r) => r.pid);
  }

  it('keeps the connections a burst opened, past the 10 s after which idle ones used to close', async () => {
    // Five statements at once need five connections.
    const pids = await Promise.all(
      Array.from({ length: 5 }, () =>
        connection.sql
          .query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)')
          .then((rows) => rows[0]?.pid),
      ),
    );
    expect(new Set(pids).size).toBe(5);

    await new Promise((resolve) => setTimeout(resolve, 11_000));
    // All five still there (the one asking is one of them, so four others): the next burst finds
    // them open, with their plans.
    const open = await backends();
    expect(open).toHaveLength(4);
    for (const pid of open) expect(pids).toContain(pid);
  }, 20_000);
});
