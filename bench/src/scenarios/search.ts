import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { BenchConfig } from '../config';
import { Samples, type Summary } from '../load/samples';
import { log } from '../log';
import { REPO_ROOT } from '../paths';
import type { BenchDatabases } from '../servers/postgres';
import { startParley } from '../servers/targets';

/** What the benchmark uses of scripts/search-seed.mjs (shared with the browser tests). */
interface SearchSeed {
  SEARCH_QUERIES: string[];
  seedSearchData(
    client: pg.Client,
    siteId: string,
    size: { conversations: number; messagesPerConversation: number },
  ): Promise<void>;
}

export interface SearchQueryFigures {
  query: string;
  /** Conversations found (the response's `total`). */
  total: number;
  latency: Summary;
}

export interface SearchBenchResult {
  /** When and how this scenario ran (it can be run alone and merged into an earlier page). */
  date: string;
  command: string;
  loadAverage: number[];
  messages: number;
  conversations: number;
  seedMs: number;
  rounds: number;
  /** Every request of every round: the figure the target is checked against. */
  latency: Summary;
  perQuery: SearchQueryFigures[];
}

/** The scenario's p95 target, in milliseconds. */
export const SEARCH_P95_TARGET_MS = 100;

/**
 * Times `run` once per query per round, in turn, after one pass not counted; returns the
 * figures of all requests and of each query.
 */
export async function timeQueries(
  queries: string[],
  rounds: number,
  run: (query: string) => Promise<number>,
  now: () => number = () => performance.now(),
): Promise<{ latency: Summary; perQuery: SearchQueryFigures[] }> {
  const totals = new Map<string, number>();
  for (const query of queries) totals.set(query, await run(query));
  const all = new Samples();
  const each = new Map(queries.map((q) => [q, new Samples()]));
  for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      const started = now();
      await run(query);
      const took = now() - started;
      all.push(took);
      each.get(query)?.push(took);
    }
  }
  return {
    latency: all.summary(),
    perQuery: queries.map((query) => ({
      query,
      total: totals.get(query) ?? 0,
      latency: each.get(query)?.summary() ?? all.summary(),
    })),
  };
}

/**
 * Parley on a fresh PostgreSQL database filled with SQL (the seed the browser tests use), then
 * `GET /api/search` as a signed-in agent, one request at a time, for a mix of queries: the time
 * from sending the request to having parsed the JSON answer (HTTP, the query, the snippets).
 */
export async function runSearch(
  config: BenchConfig,
  databases: BenchDatabases,
  command: string,
): Promise<SearchBenchResult> {
  const { conversations, messagesPerConversation, rounds } = config.search;
  const seed = (await import(
    pathToFileURL(resolve(REPO_ROOT, 'scripts/search-seed.mjs')).href
  )) as SearchSeed;
  const target = await startParley('postgres', databases);
  try {
    if (!target.databaseUrl) throw new Error('the search scenario needs PostgreSQL');
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    let seedMs: number;
    let messages: number;
    try {
      const { rows } = await client.query<{ id: string }>(
        'SELECT id FROM sites WHERE public_key = $1',
        [target.siteKey],
      );
      const siteId = rows[0]?.id;
      if (!siteId) throw new Error('the default site is missing');
      const started = performance.now();
      await seed.seedSearchData(client, siteId, { conversations, messagesPerConversation });
      seedMs = performance.now() - started;
      const counted = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages');
      messages = Number(counted.rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
    log(`  seeded ${messages.toLocaleString('en-US')} messages in ${(seedMs / 1000).toFixed(1)} s`);
    const [cookie = ''] = await target.agentCookies(1);
    const search = async (query: string): Promise<number> => {
      const res = await fetch(`${target.url}/api/search?${new URLSearchParams({ q: query })}`, {
        headers: { cookie },
      });
      const body = (await res.json()) as { total?: number };
      if (!res.ok) throw new Error(`search "${query}" failed: HTTP ${res.status}`);
      return body.total ?? 0;
    };
    const figures = await timeQueries(seed.SEARCH_QUERIES, rounds, search);
    log(
      `  search p50 ${figures.latency.p50.toFixed(1)} ms, p95 ${figures.latency.p95.toFixed(1)} ms over ${figures.latency.count} requests`,
    );
    return {
      date: new Date().toISOString(),
      command,
      loadAverage: loadavg(),
      messages,
      conversations,
      seedMs,
      rounds,
      ...figures,
    };
  } finally {
    await target.stop();
  }
}
