/** The few raw-SQL operations the migrator and health checks need, on either engine. */
export interface SqlExecutor {
  /** Runs one or more statements with no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` inside one transaction on one connection. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
