import type { BenchConfig } from '../config';
import { Generator } from '../load/driver';
import type { ConnectResult, LoadResult, OpenResult, Transport } from '../load/messages';
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
  serverRss: number;
  /** Messages in the database after the run, where it can be counted. */
  stored: number | null;
}

export async function measure(
  config: BenchConfig,
  prepared: Prepared,
  rate: number,
  durationMs: number,
  drainMs: number,
): Promise<Measured> {
  const { target, generator } = prepared;
  const cpuBefore = target.child.cpuSeconds();
  const dbBefore = await target.databaseCpuSeconds();
  const started = performance.now();
  const result = await generator.load({
    rate,
    durationMs,
    drainMs,
    ackTimeoutMs: config.ackTimeoutMs,
  });
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = (target.child.cpuSeconds() - cpuBefore) / seconds;
  const dbAfter = await target.databaseCpuSeconds();
  const databaseCpu = dbBefore !== null && dbAfter !== null ? (dbAfter - dbBefore) / seconds : null;
  const sample = await target.sample(false);
  return {
    result,
    serverCpu,
    databaseCpu,
    serverRss: sample.rss,
    stored: await target.storedMessages(),
  };
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
  const storedBefore = await target.storedMessages();
  log(`  steady: ${steady.rate} msg/s for ${steady.durationMs / 1000} s`);
  const measured = await measure(config, prepared, steady.rate, steady.durationMs, steady.drainMs);
  log(`    ${describe(measured.result)}, ${cpuOf(measured)}`);
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
export function failureOf(result: LoadResult, thresholdMs: number): string | null {
  const errors = Object.entries(result.ackErrors);
  if (errors.length) return `errors: ${errors.map(([code, n]) => `${n} ${code}`).join(', ')}`;
  if (result.lost) return `${result.lost} messages lost`;
  if (result.disconnects) return `${result.disconnects} disconnects`;
  if (result.endToEnd.p99 > thresholdMs) return `p99 ${result.endToEnd.p99.toFixed(0)} ms`;
  if (result.sentRate < result.rate * 0.95)
    return `generator sent only ${result.sentRate.toFixed(0)} msg/s`;
  return null;
}

export async function runRamp(config: BenchConfig, prepared: Prepared): Promise<Ramp> {
  const { saturation } = config;
  const steps: RampStep[] = [];
  let best: number | null = null;
  let failure: Ramp['failure'] = null;
  let generatorBound = false;
  const step = async (rate: number): Promise<boolean> => {
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

export function describe(r: LoadResult): string {
  const errors = Object.values(r.ackErrors).reduce((a, b) => a + b, 0);
  return `sent ${r.sent} (${r.sentRate.toFixed(0)}/s), e2e p50 ${r.endToEnd.p50.toFixed(1)} p99 ${r.endToEnd.p99.toFixed(1)} max ${r.endToEnd.max.toFixed(0)} ms, ack p99 ${r.ack.p99.toFixed(1)} ms, errors ${errors}, lost ${r.lost}, generator CPU ${(r.generatorCpu * 100).toFixed(0)}%`;
}

function cpuOf(m: Measured): string {
  const db = m.databaseCpu === null ? '' : `, database CPU ${(m.databaseCpu * 100).toFixed(0)}%`;
  return `server CPU ${(m.serverCpu * 100).toFixed(0)}%${db}`;
}
