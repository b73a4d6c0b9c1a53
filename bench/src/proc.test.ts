import { describe, expect, it } from 'vitest';
import { processTimes, timesBetween } from './proc';

describe('processTimes', () => {
  it('counts the CPU a busy loop uses, and never a negative wait', () => {
    const before = processTimes(process.pid);
    const end = performance.now() + 200;
    while (performance.now() < end);
    const used = timesBetween(before, processTimes(process.pid));
    // /proc counts CPU in ticks of 10 ms: 200 ms of spinning is at least 0.1 s on a shared machine.
    expect(used.cpu).toBeGreaterThanOrEqual(0.1);
    expect(used.cpu).toBeLessThan(5);
    expect(used.waiting).toBeGreaterThanOrEqual(0);
    expect(used.waiting).toBeLessThan(5);
  });

  it('reads zeros for a process that does not exist', () => {
    expect(processTimes(2 ** 30)).toEqual({ cpu: 0, waiting: 0 });
  });
});
