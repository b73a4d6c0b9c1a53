import { describe, expect, it } from 'vitest';
import { Samples, summarize } from './samples';

describe('summarize', () => {
  it('reports nearest-rank percentiles: values that were measured', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(values)).toEqual({
      count: 100,
      mean: 50.5,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
    });
  });

  it('sorts numerically, not as text', () => {
    expect(summarize([10, 9, 100, 2]).max).toBe(100);
    expect(summarize([10, 9, 100, 2]).p50).toBe(9);
  });

  it('gives the only value for one sample and zeros for none', () => {
    expect(summarize([7])).toMatchObject({ p50: 7, p99: 7, max: 7 });
    expect(summarize([]).count).toBe(0);
  });
});

describe('Samples', () => {
  it('keeps every sample as it grows, and merges', () => {
    const a = new Samples();
    for (let i = 0; i < 5000; i++) a.push(i);
    const b = new Samples();
    b.push(-1);
    b.merge(a);
    expect(b.count).toBe(5001);
    expect(b.summary()).toMatchObject({ max: 4999, p50: 2499 });
  });
});
