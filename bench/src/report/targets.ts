import type { Results } from '../results';
import { SEARCH_P95_TARGET_MS } from '../scenarios/search';
import { kb, ms, rate, ratio } from './format';

/** One of the issue's targets, checked against this run's figures. */
export interface TargetCheck {
  target: string;
  measured: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export const STEADY_RATIO_TARGET = 2;
export const SATURATION_TARGET = 2000;
export const IDLE_MEMORY_TARGET = 50 * 1024;
export const LAUNCHER_TARGET_MS = 100;

export function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const transport of results.config.transports) {
    const base = results.steady.find((c) => c.transport === transport && c.kind === 'baseline');
    const parley = results.steady.find((c) => c.transport === transport && c.kind !== 'baseline');
    const target = `Steady chat over ${transport}: p99 at most ${STEADY_RATIO_TARGET}× bare socket.io's, 0 messages lost, no send failed`;
    if (!base || !parley) {
      checks.push({ target, measured: 'not measured in this run', met: null });
      continue;
    }
    const r = parley.result.endToEnd.p99 / base.result.endToEnd.p99;
    const errors = Object.values(parley.result.ackErrors).reduce((a, b) => a + b, 0);
    checks.push({
      target,
      measured: `p99 ${ms(parley.result.endToEnd.p99)} against ${ms(base.result.endToEnd.p99)} (${ratio(parley.result.endToEnd.p99, base.result.endToEnd.p99)}); ${parley.result.lost} lost; ${errors.toLocaleString('en-US')} of ${parley.result.sent.toLocaleString('en-US')} sends failed`,
      // Latency percentiles cover delivered messages only: a send that failed is a miss too.
      met: r <= STEADY_RATIO_TARGET && parley.result.lost === 0 && errors === 0,
    });
  }
  for (const transport of results.config.transports) {
    const ramp = results.ramps.find((r) => r.transport === transport && r.kind === 'postgres');
    const target = `At least ${rate(SATURATION_TARGET)} persisted and delivered on PostgreSQL before p99 passes ${results.config.saturation.thresholdMs} ms (${transport})`;
    if (!ramp) {
      checks.push({ target, measured: 'not measured in this run', met: null });
      continue;
    }
    checks.push({
      target,
      measured:
        ramp.best === null
          ? `no rate sustained (the lowest tried, ${rate(ramp.steps[0]?.rate ?? 0)}, failed)`
          : `${rate(ramp.best)} sustained${ramp.failure ? `; ${rate(ramp.failure.rate)} failed (${ramp.failure.reason})` : ''}`,
      met: ramp.best !== null && ramp.best >= SATURATION_TARGET,
    });
  }
  const idle = results.idle.find((c) => c.transport === 'websocket' && c.kind !== 'baseline');
  checks.push({
    target: `At most ${kb(IDLE_MEMORY_TARGET)} of server memory per idle WebSocket visitor`,
    measured: idle
      ? `${kb(idle.rssPerVisitor)} RSS per visitor (${kb(idle.heapPerVisitor)} of it JavaScript heap) with ${idle.visitors.toLocaleString('en-US')} visitors`
      : 'not measured in this run',
    met: idle ? idle.rssPerVisitor <= IDLE_MEMORY_TARGET : null,
  });
  const widget = results.widget;
  checks.push({
    target: `Launcher painted within ${LAUNCHER_TARGET_MS} ms of the loader's load (localhost, headless Chromium)`,
    measured: widget
      ? `median ${ms(widget.launcherPainted.p50)}, slowest ${ms(widget.launcherPainted.max)} over ${widget.samples} page loads`
      : 'not measured in this run',
    met: widget ? widget.launcherPainted.p50 <= LAUNCHER_TARGET_MS : null,
  });
  const search = results.search ?? null;
  checks.push({
    target: `Console search over 100,000 messages on PostgreSQL: p95 under ${SEARCH_P95_TARGET_MS} ms`,
    measured: search
      ? `p50 ${ms(search.latency.p50)}, p95 ${ms(search.latency.p95)} over ${search.latency.count.toLocaleString('en-US')} searches of ${search.messages.toLocaleString('en-US')} messages`
      : 'not measured in this run',
    met: search ? search.latency.p95 < SEARCH_P95_TARGET_MS && search.messages >= 100_000 : null,
  });
  return checks;
}

export function verdict(met: boolean | null): string {
  if (met === null) return 'not measured';
  return met ? 'met' : '**missed**';
}
