/**
 * Preloaded into a measured server (`node --expose-gc --require bench/dist/probe/probe.js …`),
 * Parley and the baseline alike, so both are observed the same way from inside: memory after a
 * full collection, event-loop lag and utilisation. It answers the benchmark runner over the IPC
 * channel the runner opened, and ends the server when the runner goes away, so no server outlives
 * a run. It changes nothing in the server's own behaviour.
 */
import {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type EventLoopUtilization,
} from 'node:perf_hooks';
import type { ProbeReply, ProbeRequest } from './messages';

if (process.send) {
  const send = process.send.bind(process);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let elu: EventLoopUtilization = performance.eventLoopUtilization();

  const gc = (globalThis as { gc?: () => void }).gc;

  // Garbage-collection pauses since the last reset: each one stops the whole server.
  let pauses = { count: 0, totalMs: 0, maxMs: 0, major: 0, majorMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.count++;
      pauses.totalMs += entry.duration;
      pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
      const kind = (entry as { detail?: { kind?: number } | null }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        pauses.major++;
        pauses.majorMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });

  process.on('message', (raw: ProbeRequest) => {
    if (raw.type === 'probe:reset') {
      delay.reset();
      elu = performance.eventLoopUtilization();
      pauses = { count: 0, totalMs: 0, maxMs: 0, major: 0, majorMs: 0 };
      send({ type: 'probe:reset', id: raw.id } satisfies ProbeReply);
      return;
    }
    // Read before the full collection below, which is the probe's, not the server's.
    const gcPauses = { ...pauses };
    if (raw.gc && gc) {
      // Twice: the first pass can leave objects that only the second frees (weak refs).
      gc();
      gc();
    }
    let memory: NodeJS.MemoryUsage;
    try {
      memory = process.memoryUsage();
    } catch (error) {
      // Reading memory opens /proc/self/stat: with every descriptor in use, it cannot.
      send({ type: 'probe:error', id: raw.id, message: String(error) } satisfies ProbeReply);
      return;
    }
    const used = performance.eventLoopUtilization(elu);
    const reply: ProbeReply = {
      type: 'probe:sample',
      id: raw.id,
      gcRan: Boolean(raw.gc && gc),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      lagMeanMs: delay.count ? delay.mean / 1e6 : 0,
      lagP99Ms: delay.count ? delay.percentile(99) / 1e6 : 0,
      lagMaxMs: delay.count ? delay.max / 1e6 : 0,
      eventLoopUtilization: used.utilization,
      gcPauses,
    };
    send(reply);
  });
  // The runner is gone (finished, crashed or killed): so is this server.
  process.on('disconnect', () => {
    process.exit(0);
  });
}
