import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from '../config';
import { Generator } from '../load/driver';
import type { ConnectResult, LoadResult, OpenResult, Transport } from '../load/messages';
import type { ProbeSample } from '../probe/messages';
import { timesBetween } from '../proc';
import { BenchDatabases } from '../servers/postgres';
import type { Target, TargetKind } from '../servers/targets';
import { log } from '../log';

/** A server with visitors and agents connected over one transport, each visitor in a conversation. */
export interface Prepared {
  target: Target;
  transport: Transport;
  generator: Generator;
  connect: ConnectResult;
  open: OpenResult;
}

export async function prepare(
  config: BenchConfig,
  target: Target,
  transport: Transport,
  visitors: number,
  agents: number,
): Promise<Prepared> {
  await target.setTransport(transport);
  const generator = new Generator();
  try {
    const cookies = await target.agentCookies(agents);
    const connect = await generator.connect(
      {
        url: target.url,
        siteKey: target.siteKey,
        transport,
        agentCookies: cookies,
        visitors,
        concurrency: config.connectConcurrency,
        timeoutMs: 20_000,
      },
      180_000,
    );
    log(
      `  ${target.label} over ${transport}: ${connect.visitors} visitors and ${connect.agents} agents connected in ${(connect.ms / 1000).toFixed(1)} s${connect.failed ? `, ${connect.failed} failed (${connect.errors.join('; ')})` : ''}`,
    );
    const open = await generator.open(
      { concurrency: config.connectConcurrency, timeoutMs: 20_000 },
      180_000,
    );
    if (open.failed)
      log(`  ${open.failed} conversations failed to open: ${open.errors.join('; ')}`);
    return { target, transport, generator, connect, open };
  } catch (error) {
    await generator.close();
    throw error;
  }
}

/** One measured load run, with the server's CPU use over it (1 = one core busy). */
export interface Measured {
  result: LoadResult;
  serverCpu: number;
  /** The database server's processes serving this target (PostgreSQL only; PGlite runs inside the server). */
  databaseCpu: number | null;
  /**
   * Seconds per second that the server's event loop, and the database's backends together, were
   * ready to run but waited for a core (Linux's schedstat): the cost of sharing the machine.
   */
  waiting: { server: number; database: number | null };
  serverRss: number;
  /** The server's event loop and garbage collector over the run. */
  server: Pick<ProbeSample, 'lagP99Ms' | 'lagMaxMs' | 'eventLoopUtilization' | 'gcPauses'>;
  /** Messages in the database after the run, where it can be counted. */
  stored: number | null;
  /** The server's first distinct error lines during the run (it logs at `warn` and above). */
  serverErrors: string[];
}

export async function measure(
  config: BenchConfig,
  prepared: Prepared,
  rate: number,
  durationMs: number,
  drainMs: number,
): Promise<Measured> {
  const { target, generator } = prepared;
  const mark = target.child.mark();
  const serverBefore = target.child.times();
  const dbBefore = await target.databaseTimes();
  await target.resetProbe();
  const started = performance.now();
  const result = await generator.load({
    rate,
    durationMs,
    drainMs,
    ackTimeoutMs: config.ackTimeoutMs,
  });
  const seconds = (performance.now() - started) / 1000;
  const server = timesBetween(serverBefore, target.child.times());
  const dbAfter = await target.databaseTimes();
  const database = dbBefore && dbAfter ? BenchDatabases.between(dbBefore, dbAfter) : null;
  const sample = await target.sample(false);
  return {
    result,
    serverCpu: server.cpu / seconds,
    databaseCpu: database ? database.cpu / seconds : null,
    waiting: {
      server: server.waiting / seconds,
      database: database ? database.waiting / seconds : null,
    },
    serverRss: sample.rss,
    server: {
      lagP99Ms: sample.lagP99Ms,
      lagMaxMs: sample.lagMaxMs,
      eventLoopUtilization: sample.eventLoopUtilization,
      gcPauses: sample.gcPauses,
    },
    stored: await target.storedMessages(),
    serverErrors: distinctErrors(target.child.linesSince(mark)),
  };
}

/** Up to three distinct error lines, shortened, with the volatile parts (ids, times) ignored. */
function distinctErrors(lines: string[]): string[] {
  const seen = new Map<string, string>();
  for (const line of lines) {
    let text = line;
    try {
      const parsed = JSON.parse(line) as { msg?: unknown; err?: { message?: unknown } };
      const err = typeof parsed.err?.message === 'string' ? parsed.err.message : '';
      text =
        [typeof parsed.msg === 'string' ? parsed.msg : '', err].filter(Boolean).join(': ') || line;
    } catch {
      // not JSON: the line as it is
    }
    // The message, not the stack trace (its frames name this machine's paths).
    text = (text.split(/\s+at\s/)[0] ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
    const key = text.replace(/[0-9a-f-]{8,}|\d+/gi, '#');
    if (text && !seen.has(key)) seen.set(key, text);
    if (seen.size >= 3) break;
  }
  return [...seen.values()];
}

export interface SteadyCell extends Measured {
  transport: Transport;
  kind: TargetKind;
  label: string;
  visitors: number;
  agents: number;
  rate: number;
  durationMs: number;
  /** Messages sent before this run (conversations opened, warm-up), for the stored-row check. */
  storedBefore: number | null;
}

export async function runSteady(config: BenchConfig, prepared: Prepared): Promise<SteadyCell> {
  const { steady } = config;
  const { target, transport } = prepared;
  if (steady.warmupMs > 0) {
    await prepared.generator.load({
      rate: steady.rate,
      durationMs: steady.warmupMs,
      drainMs: steady.drainMs,
      ackTimeoutMs: config.ackTimeoutMs,
    });
  }
  await waitForQuiet(target);
  const storedBefore = await target.storedMessages();
  log(`  steady: ${steady.rate} msg/s for ${steady.durationMs / 1000} s`);
  const measured = await measure(config, prepared, steady.rate, steady.durationMs, steady.drainMs);
  const { gcPauses, lagMaxMs } = measured.server;
  log(
    `    ${describe(measured.result)}, ${cpuOf(measured)}, GC ${gcPauses.count} pauses ${gcPauses.totalMs.toFixed(0)} ms (longest ${gcPauses.maxMs.toFixed(1)} ms, ${gcPauses.major} major ${gcPauses.majorMs.toFixed(0)} ms), lag max ${lagMaxMs.toFixed(1)} ms`,
  );
  return {
    ...measured,
    transport,
    kind: target.kind,
    label: target.label,
    visitors: prepared.connect.visitors,
    agents: prepared.connect.agents,
    rate: steady.rate,
    durationMs: steady.durationMs,
    storedBefore,
  };
}

export interface RampStep extends Measured {
  rate: number;
  pass: boolean;
  /** Why the step failed. */
  reason: string | null;
}

export interface Ramp {
  transport: Transport;
  kind: TargetKind;
  label: string;
  steps: RampStep[];
  /** The highest offered rate that passed, or null if none did. */
  best: number | null;
  /** The first failure, or null when every rate of the ladder passed. */
  failure: { rate: number; reason: string } | null;
  /** The failure came from the generator falling behind, not from the server. */
  generatorBound: boolean;
}

/** Why a step does not count as sustained, or null when it does. */
/**
 * Why a step does not count as sustained, or null when it does. When the generator itself fell
 * behind (its event loop stalled past half the threshold, or it could not send at the rate), the
 * reason says so: such a step measures the generator, not the server.
 */
export function failureOf(result: LoadResult, thresholdMs: number): string | null {
  const errors = Object.entries(result.ackErrors);
  let reason: string | null = null;
  if (errors.length) reason = `errors: ${errors.map(([code, n]) => `${n} ${code}`).join(', ')}`;
  else if (result.lost) reason = `${result.lost} messages lost`;
  else if (result.disconnects) reason = `disconnects: ${disconnectsOf(result)}`;
  else if (result.endToEnd.p99 > thresholdMs) reason = `p99 ${result.endToEnd.p99.toFixed(0)} ms`;
  if (result.sentRate < result.rate * 0.95) {
    return `generator sent only ${result.sentRate.toFixed(0)} msg/s${reason ? `; ${reason}` : ''}`;
  }
  if (reason && result.generatorLagP99Ms > thresholdMs / 2) {
    return `generator stalled (event-loop lag p99 ${result.generatorLagP99Ms.toFixed(0)} ms); ${reason}`;
  }
  return reason;
}

/** The lowest rate the saturation ladder goes down to. */
const MIN_RATE = 8;

export async function runRamp(config: BenchConfig, prepared: Prepared): Promise<Ramp> {
  const { saturation } = config;
  const steps: RampStep[] = [];
  let best: number | null = null;
  let failure: Ramp['failure'] = null;
  let generatorBound = false;
  const step = async (rate: number): Promise<boolean> => {
    await waitForQuiet(prepared.target);
    const measured = await measure(config, prepared, rate, saturation.stepMs, saturation.drainMs);
    const reason = failureOf(measured.result, saturation.thresholdMs);
    steps.push({ ...measured, rate, pass: reason === null, reason });
    log(
      `    ${String(rate).padStart(5)} msg/s: ${reason === null ? 'ok  ' : 'FAIL'} ${describe(measured.result)}, ${cpuOf(measured)}${reason ? ` (${reason})` : ''}`,
    );
    if (reason === null) {
      if (best === null || rate > best) best = rate;
    } else if (failure === null || rate < failure.rate) {
      failure = { rate, reason };
      generatorBound = reason.startsWith('generator');
    }
    return reason === null;
  };
  log(`  saturation: ${prepared.target.label} over ${prepared.transport}`);
  let lastPass: number | null = null;
  let firstFail: number | null = null;
  for (const rate of saturation.ladder) {
    if (await step(rate)) {
      lastPass = rate;
    } else {
      firstFail = rate;
      break;
    }
  }
  // Failing from the first rung: halve down the ladder until a rate passes.
  for (let rate = (firstFail ?? 0) / 2; lastPass === null && rate >= MIN_RATE; rate /= 2) {
    const rounded = Math.round(rate);
    if (await step(rounded)) lastPass = rounded;
    else firstFail = rounded;
  }
  // Between the last rate that passed and the first that failed, halve the gap (geometrically).
  if (lastPass !== null && firstFail !== null) {
    let low: number = lastPass;
    let high: number = firstFail;
    for (let i = 0; i < saturation.bisections; i++) {
      const mid = Math.round(Math.sqrt(low * high));
      if (mid <= low || mid >= high) break;
      if (await step(mid)) low = mid;
      else high = mid;
    }
  }
  return {
    transport: prepared.transport,
    kind: prepared.target.kind,
    label: prepared.target.label,
    steps: steps.sort((a, b) => a.rate - b.rate),
    best,
    failure,
    generatorBound,
  };
}

/** Waits until the server has been nearly idle for a second: an overloaded step leaves work queued. */
async function waitForQuiet(target: Target, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const before = target.child.cpuSeconds();
    await sleep(1_000);
    if (target.child.cpuSeconds() - before < 0.15) return;
  }
}

export function describe(r: LoadResult): string {
  const errors = Object.values(r.ackErrors).reduce((a, b) => a + b, 0);
  return `sent ${r.sent} (${r.sentRate.toFixed(0)}/s), e2e p50 ${r.endToEnd.p50.toFixed(1)} p99 ${r.endToEnd.p99.toFixed(1)} max ${r.endToEnd.max.toFixed(0)} ms, ack p99 ${r.ack.p99.toFixed(1)} ms, errors ${errors}, lost ${r.lost}${r.disconnects ? `, disconnects ${disconnectsOf(r)}` : ''}, generator CPU ${(r.generatorCpu * 100).toFixed(0)}%`;
}

/** `12 (io server disconnect: 10, ping timeout: 2)` */
export function disconnectsOf(r: LoadResult): string {
  const reasons = Object.entries(r.disconnectReasons).map(([reason, n]) => `${reason}: ${n}`);
  return `${r.disconnects}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
}

function cpuOf(m: Measured): string {
  const db = m.databaseCpu === null ? '' : `, database CPU ${(m.databaseCpu * 100).toFixed(0)}%`;
  return `server CPU ${(m.serverCpu * 100).toFixed(0)}%${db}`;
}
