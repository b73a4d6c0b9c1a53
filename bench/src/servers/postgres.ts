import pg from 'pg';
import { processTimes, timesBetween, type ProcessTimes } from '../proc';

/**
 * The benchmark's own PostgreSQL databases: created empty for each measured server, dropped
 * after it. `adminUrl` is only used to create and drop them; nothing is written there.
 */
export class BenchDatabases {
  private readonly created = new Set<string>();
  private counter = 0;

  constructor(readonly adminUrl: string) {}

  /** The server's version string, or null when it cannot be reached. */
  async version(): Promise<string | null> {
    try {
      return await this.withClient(async (client) => {
        const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
        return rows[0]?.server_version ?? null;
      });
    } catch {
      return null;
    }
  }

  /** Creates an empty database and returns its URL. */
  async create(): Promise<{ name: string; url: string }> {
    const name = `parley_bench_${process.pid.toString(36)}_${Date.now().toString(36)}_${this.counter++}`;
    await this.withClient((client) => client.query(`CREATE DATABASE ${name}`));
    this.created.add(name);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  }

  async drop(name: string): Promise<void> {
    if (!this.created.has(name)) return;
    await this.withClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    this.created.delete(name);
  }

  /** Drops every database this run created and still holds. */
  async dropAll(): Promise<void> {
    for (const name of [...this.created]) {
      await this.drop(name).catch((error: unknown) => {
        console.error(`could not drop database ${name}: ${String(error)}`);
      });
    }
  }

  /** Rows in `table` of database `url` (to check that acknowledged messages were persisted). */
  async count(url: string, table: string): Promise<number> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      return Number(rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  }

  /**
   * The time so far of each PostgreSQL server process serving database `name` (this machine
   * only, from /proc), by pid: the share of the work that happens in the database.
   */
  async backendTimes(name: string): Promise<Map<number, ProcessTimes>> {
    const pids = await this.withClient(async (client) => {
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      return rows.map((r) => r.pid);
    });
    return new Map(pids.map((pid) => [pid, processTimes(pid)]));
  }

  /**
   * The backends' time between two readings, summed: a process that appeared in between counts
   * from zero; one that ended in between is missing from the second reading and cannot be counted.
   */
  static between(
    before: Map<number, ProcessTimes>,
    after: Map<number, ProcessTimes>,
  ): ProcessTimes {
    const total = { cpu: 0, waiting: 0 };
    for (const [pid, times] of after) {
      const used = timesBetween(before.get(pid) ?? { cpu: 0, waiting: 0 }, times);
      total.cpu += used.cpu;
      total.waiting += used.waiting;
    }
    return total;
  }

  private async withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({
      connectionString: this.adminUrl,
      connectionTimeoutMillis: 3_000,
    });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
}
