import { describe, expect, it } from 'vitest';
import { timeQueries } from './search';

describe('timeQueries', () => {
  it('runs one pass not counted, then times each query once per round', async () => {
    const calls: string[] = [];
    let clock = 0;
    const took: Record<string, number> = { refund: 10, martin: 30 };
    const figures = await timeQueries(
      ['refund', 'martin'],
      3,
      (query) => {
        calls.push(query);
        clock += took[query] ?? 0;
        return Promise.resolve(query.length);
      },
      () => clock,
    );
    expect(calls).toEqual(['refund', 'martin', ...Array(3).fill(['refund', 'martin']).flat()]);
    expect(figures.latency).toMatchObject({ count: 6, p50: 10, p95: 30, max: 30 });
    expect(figures.perQuery).toEqual([
      expect.objectContaining({
        query: 'refund',
        total: 6,
        latency: expect.objectContaining({ count: 3, p95: 10 }),
      }),
      expect.objectContaining({
        query: 'martin',
        total: 6,
        latency: expect.objectContaining({ count: 3, p95: 30 }),
      }),
    ]);
  });
});
