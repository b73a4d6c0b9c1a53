import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from '../config';
import { Generator } from '../load/driver';
import type { Transport } from '../load/messages';
import { log } from '../log';
import type { ProbeSample } from '../probe/messages';
import { fileLimit } from '../servers/child';
import type { Target, TargetKind } from '../servers/targets';

/** Descriptors left for everything but the visitors' sockets (files, database, listeners). */
const FILE_MARGIN = 500;

export interface IdleCell {
  transport: Transport;
  kind: TargetKind;
  label: string;
  visitors: number;
  failed: number;
  errors: string[];
  connectMs: number;
  /** After start-up and a few warm-up connections, after a full collection. */
  before: ProbeSample;
  /** With every visitor connected and settled, after a full collection. */
  after: ProbeSample;
  /** Event-loop figures over the idle window (no collection forced). */
  idle: ProbeSample;
  /** Server CPU over the idle window (1 = one core busy). */
  cpu: number;
  rssPerVisitor: number;
  heapPerVisitor: number;
  /** Still connected at the end of the idle window. */
  stillConnected: number;
  /** More visitors, as many as the machine allowed within the budget (WebSocket only). */
  extra: {
    visitors: number;
    failed: number;
    rssPerVisitor: number;
    heapPerVisitor: number;
    connectMs: number;
    stoppedBecause: string;
  } | null;
}

async function warmUp(target: Target, transport: Transport): Promise<void> {
  const generator = new Generator();
  try {
    await generator.connect(
      {
        url: target.url,
        siteKey: target.siteKey,
        transport,
        agentCookies: [],
        visitors: 20,
        concurrency: 10,
        timeoutMs: 20_000,
      },
      60_000,
    );
  } finally {
    await generator.close();
  }
  await sleep(1_000);
}

/** Visitors connected and doing nothing: memory per connection, event-loop lag, CPU. */
export async function runIdle(
  config: BenchConfig,
  target: Target,
  transport: Transport,
): Promise<IdleCell> {
  const { idle } = config;
  await target.setTransport(transport);
  await warmUp(target, transport);
  const before = await target.sample(true);
  const generator = new Generator();
  try {
    const request = {
      url: target.url,
      siteKey: target.siteKey,
      transport,
      agentCookies: [],
      concurrency: config.connectConcurrency,
      timeoutMs: 30_000,
    };
    const connect = await generator.connect({ ...request, visitors: idle.visitors }, 600_000);
    log(
      `  idle: ${target.label} over ${transport}: ${connect.visitors} visitors in ${(connect.ms / 1000).toFixed(1)} s${connect.failed ? `, ${connect.failed} failed (${connect.errors.join('; ')})` : ''}`,
    );
    await sleep(idle.settleMs);
    const after = await target.sample(true);
    await target.resetProbe();
    const cpuBefore = target.child.cpuSeconds();
    const windowStart = performance.now();
    await sleep(idle.windowMs);
    const cpu =
      (target.child.cpuSeconds() - cpuBefore) / ((performance.now() - windowStart) / 1000);
    const idleSample = await target.sample(false);
    const stats = await generator.stats();
    const n = connect.visitors;
    const cell: IdleCell = {
      transport,
      kind: target.kind,
      label: target.label,
      visitors: n,
      failed: connect.failed,
      errors: connect.errors,
      connectMs: connect.ms,
      before,
      after,
      idle: idleSample,
      cpu,
      rssPerVisitor: n ? (after.rss - before.rss) / n : 0,
      heapPerVisitor: n ? (after.heapUsed - before.heapUsed) / n : 0,
      stillConnected: stats.connected,
      extra: null,
    };
    log(
      `    RSS ${(cell.rssPerVisitor / 1024).toFixed(1)} KB and heap ${(cell.heapPerVisitor / 1024).toFixed(1)} KB per visitor, lag p99 ${idleSample.lagP99Ms.toFixed(1)} ms, CPU ${(cpu * 100).toFixed(1)}%, ${stats.connected} still connected`,
    );

    // One descriptor per connection in the server and in the generator, plus what each holds anyway.
    const limit = fileLimit();
    const cap = Math.min(idle.extraCap, limit - FILE_MARGIN);
    if (transport === 'websocket' && cap > n) {
      const started = performance.now();
      let total = n;
      let failed = 0;
      let stoppedBecause =
        cap < idle.extraCap
          ? `the open-file limit of ${limit.toLocaleString('en-US')} per process on this machine`
          : `reached the cap of ${idle.extraCap.toLocaleString('en-US')}`;
      while (total < cap) {
        if (performance.now() - started > idle.extraBudgetMs) {
          stoppedBecause = `time budget of ${idle.extraBudgetMs / 1000} s used`;
          break;
        }
        const batch = Math.min(idle.extraBatch, cap - total);
        const more = await generator.connect({ ...request, visitors: batch }, 600_000);
        total = more.visitors;
        failed += more.failed;
        if (more.failed > 0) {
          stoppedBecause = `connections failed: ${more.errors.join('; ')}`;
          break;
        }
      }
      const connectMs = performance.now() - started;
      await sleep(idle.settleMs);
      const end = await target.sample(true);
      cell.extra = {
        visitors: total,
        failed,
        rssPerVisitor: total ? (end.rss - before.rss) / total : 0,
        heapPerVisitor: total ? (end.heapUsed - before.heapUsed) / total : 0,
        connectMs,
        stoppedBecause,
      };
      log(
        `    then ${total} visitors: RSS ${(cell.extra.rssPerVisitor / 1024).toFixed(1)} KB per visitor (${stoppedBecause})`,
      );
    }
    return cell;
  } finally {
    await generator.close();
  }
}
