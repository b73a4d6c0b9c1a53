#!/usr/bin/env node
/**
 * `npm run bench`: every scenario against Parley and, beside it, a bare socket.io relay driven by
 * the same generator with the same load; prints the table and writes docs/benchmarks.md, the
 * charts and the raw results. Stops by itself: each step is bounded, and so is the whole run.
 *
 * Options: --quick (small and short, written to bench/dist/report), --only steady,saturation,…,search,
 * --transports websocket,polling, --servers baseline,postgres,pglite (the chat scenarios' servers),
 * --out <dir>, --render <results.json> (rewrite the page from the raw figures of an earlier run,
 * measuring nothing), --merge-into <results.json> (with --only search: put this run's search
 * figures into an earlier run's and write the page from those).
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { FULL, QUICK, SCENARIOS, type BenchConfig, type ScenarioName } from './config';
import type { Transport } from './load/messages';
import { log } from './log';
import { describeMachine } from './machine';
import { API_MAIN, REPO_ROOT, WIDGET_DIST } from './paths';
import { writeReport } from './report/write';
import type { Failure, Results } from './results';
import { prepare, runRamp, runSteady, type Prepared } from './scenarios/chat';
import { runCluster } from './scenarios/cluster';
import { runIdle } from './scenarios/idle';
import { runSearch } from './scenarios/search';
import { runWidget } from './scenarios/widget';
import { BenchDatabases } from './servers/postgres';
import { startBaseline, startParley, type Target, type TargetKind } from './servers/targets';

function parseArgs(argv: string[]): BenchConfig {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only')?.split(',') ?? [...SCENARIOS];
  for (const name of only) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
    }
  }
  const transports: Transport[] = [];
  for (const t of value('--transports')?.split(',') ?? ['websocket', 'polling']) {
    if (t !== 'websocket' && t !== 'polling') throw new Error(`unknown transport "${t}"`);
    transports.push(t);
  }
  const servers = value('--servers')?.split(',') ?? ['baseline', 'postgres', 'pglite'];
  for (const server of servers) {
    if (!['baseline', 'postgres', 'pglite'].includes(server)) {
      throw new Error(`unknown server "${server}"; known: baseline, postgres, pglite`);
    }
  }
  return {
    quick,
    scenarios: new Set(only as ScenarioName[]),
    servers: new Set(servers as TargetKind[]),
    transports,
    outDir: resolve(
      value('--out') ??
        (quick ? resolve(REPO_ROOT, 'bench/dist/report') : resolve(REPO_ROOT, 'docs')),
    ),
    postgresAdminUrl:
      process.env.BENCH_DATABASE_URL ??
      process.env.DATABASE_URL ??
      'postgresql://postgres@127.0.0.1:5432/postgres',
    chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    ...(quick ? QUICK : FULL),
  };
}

/** The command as it was typed, so that a reader can run exactly that. */
function commandLine(): string {
  const args = process.argv.slice(2);
  const env = ['BENCH_PARLEY_ROOT', 'BENCH_DATABASE_URL', 'CHROMIUM_PATH']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name] ?? ''} `)
    .join('');
  const viaNpm = process.env.npm_lifecycle_event === 'bench';
  const base = viaNpm ? 'npm run bench' : 'node bench/dist/run.js';
  return `${env}${base}${args.length ? `${viaNpm ? ' --' : ''} ${args.join(' ')}` : ''}`;
}

/** Everything the run started, stopped on the way out whatever happens. */
const running = new Set<{ stop(): Promise<void> }>();

async function withTarget<T>(
  start: () => Promise<Target>,
  fn: (target: Target) => Promise<T>,
): Promise<T> {
  const target = await start();
  running.add(target);
  try {
    return await fn(target);
  } finally {
    running.delete(target);
    await target.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = parseArgs(process.argv.slice(2));
  const render = process.argv.indexOf('--render');
  if (render >= 0) {
    // Writes the page again from the raw figures of an earlier run (no measuring).
    const file = resolve(process.argv[render + 1] ?? '');
    const earlier = JSON.parse(readFileSync(file, 'utf8')) as Results;
    const written = await writeReport(earlier, config.outDir);
    log(`wrote ${written.join(', ')}`);
    return;
  }
  for (const built of [API_MAIN, resolve(WIDGET_DIST, 'loader/widget.js')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (npm run build)`);
  }
  const databases = new BenchDatabases(config.postgresAdminUrl);
  const postgresVersion = await databases.version();
  const machine = describeMachine(postgresVersion);
  log(
    `Parley benchmark${config.quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${postgresVersion ?? 'not reachable'}; load average ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const failures: Failure[] = [];
  const results: Results = {
    date: new Date(started).toISOString(),
    command: commandLine(),
    machine,
    config: { ...config, scenarios: [...config.scenarios], servers: [...config.servers] },
    steady: [],
    ramps: [],
    idle: [],
    widget: null,
    cluster: null,
    search: null,
    failures,
    loadDuring: { min: 0, max: 0, mean: 0 },
    durationMs: 0,
  };
  unfinished = { results, outDir: config.outDir, started };
  const loads: number[] = [];
  const loadTimer = setInterval(() => {
    loads.push(loadavg()[0] ?? 0);
  }, 5_000);
  const attempt = async (
    scenario: string,
    transport: Transport | null,
    kind: TargetKind | null,
    fn: () => Promise<void>,
  ) => {
    try {
      await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(
        `  FAILED: ${scenario} ${transport ?? ''} ${kind ?? ''}: ${message.split('\n')[0] ?? ''}`,
      );
      failures.push({
        scenario,
        transport,
        kind,
        error: message.split('\n').slice(0, 6).join('\n'),
      });
    }
  };
  const parleyEngines: ('postgres' | 'pglite')[] = postgresVersion
    ? ['postgres', 'pglite']
    : ['pglite'];
  if (!postgresVersion) {
    failures.push({
      scenario: 'all',
      transport: null,
      kind: 'postgres',
      error: `PostgreSQL was not reachable at ${new URL(config.postgresAdminUrl).host}: measured on PGlite only`,
    });
  }
  const starter = (kind: TargetKind) => () =>
    kind === 'baseline' ? startBaseline() : startParley(kind, postgresVersion ? databases : null);
  const steadyOn = config.scenarios.has('steady');
  const saturationOn = config.scenarios.has('saturation');

  if (steadyOn || saturationOn) {
    log('Chat: steady load, then saturation');
    for (const transport of config.transports) {
      for (const kind of ['baseline', ...parleyEngines] as TargetKind[]) {
        if (!config.servers.has(kind)) continue;
        // The steady scenario compares Parley in production (PostgreSQL, or PGlite without it).
        const steadyHere = steadyOn && (kind === 'baseline' || kind === parleyEngines[0]);
        if (!steadyHere && !saturationOn) continue;
        await attempt('chat', transport, kind, () =>
          withTarget(starter(kind), async (target) => {
            const { visitors, agents } = config.steady;
            const prepared: Prepared = await prepare(config, target, transport, visitors, agents);
            try {
              if (steadyHere) results.steady.push(await runSteady(config, prepared));
              if (saturationOn) results.ramps.push(await runRamp(config, prepared));
            } finally {
              await prepared.generator.close();
            }
          }),
        );
      }
    }
  }

  if (config.scenarios.has('idle')) {
    log('Idle capacity');
    for (const transport of config.transports) {
      for (const kind of ['baseline', parleyEngines[0] ?? 'pglite'] as TargetKind[]) {
        await attempt('idle', transport, kind, () =>
          withTarget(starter(kind), async (target) => {
            results.idle.push(await runIdle(config, target, transport));
          }),
        );
      }
    }
  }

  if (config.scenarios.has('widget')) {
    log('Widget');
    const kind = parleyEngines[0] ?? 'pglite';
    await attempt('widget', null, kind, async () => {
      results.widget = await runWidget(config, (env, fn) =>
        withTarget(() => startParley(kind, postgresVersion ? databases : null, env), fn),
      );
    });
  }

  if (config.scenarios.has('cluster')) {
    log('Cluster');
    // One node's sustained polling rate on this machine bounds what is worth offering: above it,
    // both configurations are overloaded and the difference between them means nothing.
    const ramp = results.ramps.find((r) => r.transport === 'polling' && r.kind === 'postgres');
    const lowest = ramp?.steps[0]?.rate ?? config.steady.rate;
    const base = ramp ? (ramp.best ?? lowest) : null;
    const half = base === null ? null : Math.max(1, Math.round(base / 2));
    const rate = half === null ? config.steady.rate : Math.min(config.steady.rate, half);
    const bound = ramp?.best
      ? `half the highest rate one node sustained over long-polling in this run (${ramp.best} msg/s), so that the difference between one node and three is not swamped by overload`
      : `half the lowest rate tried on one node over long-polling in this run (${lowest} msg/s), which one node did not sustain`;
    const rateReason =
      half === null
        ? "the steady scenario's rate"
        : rate < half
          ? `the steady scenario's rate, below ${bound}`
          : bound;
    await attempt('cluster', 'polling', 'postgres', async () => {
      results.cluster = await runCluster(
        config,
        postgresVersion ? databases : null,
        rate,
        rateReason,
      );
    });
  }

  if (config.scenarios.has('search')) {
    log('Search');
    if (postgresVersion) {
      await attempt('search', null, 'postgres', async () => {
        results.search = await runSearch(config, databases, results.command);
      });
    } else {
      failures.push({
        scenario: 'search',
        transport: null,
        kind: 'postgres',
        error: 'the search scenario runs on PostgreSQL only',
      });
    }
  }

  clearInterval(loadTimer);
  if (loads.length) {
    results.loadDuring = {
      min: Math.min(...loads),
      max: Math.max(...loads),
      mean: loads.reduce((a, b) => a + b, 0) / loads.length,
    };
  }
  results.durationMs = Date.now() - started;
  const mergeInto = process.argv.indexOf('--merge-into');
  if (mergeInto >= 0) {
    // Only the search scenario can be measured on its own and merged: it shares nothing with
    // the others (its own server and database, no load generator).
    if (config.scenarios.size !== 1 || !config.scenarios.has('search')) {
      throw new Error('--merge-into goes with --only search');
    }
    const file = resolve(process.argv[mergeInto + 1] ?? '');
    const earlier = JSON.parse(readFileSync(file, 'utf8')) as Results;
    earlier.search = results.search;
    earlier.failures = [
      ...earlier.failures.filter((f) => f.scenario !== 'search'),
      ...failures.filter((f) => f.scenario === 'search'),
    ];
    const written = await writeReport(earlier, config.outDir);
    log(`Search figures put into the run of ${file}; wrote ${written.join(', ')}`);
    await databases.dropAll();
    return;
  }
  const written = await writeReport(results, config.outDir);
  log(`Done in ${(results.durationMs / 60_000).toFixed(1)} min; wrote ${written.join(', ')}`);
  await databases.dropAll();
}

/** The whole run is bounded: past this, everything started is stopped and the run fails. */
const DEADLINE_MS = 30 * 60_000;

/** The run in progress: what the watchdog writes, when it has to stop the run. */
let unfinished: { results: Results; outDir: string; started: number } | null = null;

/** Writes what was measured before the limit, with the limit among the failures. */
async function writeUnfinished(): Promise<void> {
  if (!unfinished) return;
  const { results, outDir, started } = unfinished;
  results.durationMs = Date.now() - started;
  results.failures.push({
    scenario: 'all',
    transport: null,
    kind: null,
    error: `the run reached its limit of ${DEADLINE_MS / 60_000} minutes and was stopped there: what it had not measured by then is missing`,
  });
  const written = await writeReport(results, outDir);
  log(`wrote what was measured: ${written.join(', ')}`);
}

async function stopEverything(): Promise<void> {
  await Promise.allSettled([...running].map((r) => r.stop()));
}

const watchdog = setTimeout(() => {
  console.error(
    `The benchmark did not finish within ${DEADLINE_MS / 60_000} minutes; stopping it.`,
  );
  void stopEverything()
    .then(writeUnfinished)
    .finally(() => process.exit(1));
}, DEADLINE_MS);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopEverything().finally(() => process.exit(130));
  });
}

main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    void stopEverything().finally(() => process.exit(1));
  },
);
