/** Percentiles of a set of durations, in milliseconds. */
export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export const EMPTY_SUMMARY: Summary = { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };

/** Durations recorded one by one; every sample is kept, so percentiles are exact. */
export class Samples {
  private values = new Float64Array(1024);
  private length = 0;

  get count(): number {
    return this.length;
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  merge(other: Samples): void {
    for (const value of other.values.subarray(0, other.length)) this.push(value);
  }

  summary(): Summary {
    return summarize(this.values.subarray(0, this.length));
  }
}

/**
 * Nearest-rank percentiles (the smallest value with at least p% of the samples at or below it),
 * so that a reported p99 is a latency that was actually measured.
 */
export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  if (n === 0) return EMPTY_SUMMARY;
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  for (const v of sorted) total += v;
  const rank = (p: number) =>
    sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))] ?? 0;
  return {
    count: n,
    mean: total / n,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted[n - 1] ?? 0,
  };
}
