import type { RateLimitSpec } from '../common/rate-limit-spec';

/** The first wait once the free attempts are used up; each further failure doubles it. */
export const FIRST_BACKOFF_MS = 60_000;

interface Failures {
  count: number;
  last: number;
}

/**
 * Failed sign-ins per key (an account or a client IP) with exponential backoff: `limit` failures
 * are free; after that every attempt must wait 1 minute, then 2, 4, 8… (capped at the window)
 * after the previous failure. Failures are forgotten once a whole window passes after the wait.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly spec: RateLimitSpec | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Ms to wait before the next attempt for this key, 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.current(key);
    if (!entry) return 0;
    return Math.max(0, entry.last + this.backoff(entry.count) - this.now());
  }

  fail(key: string): void {
    if (!this.spec) return;
    const entry = this.current(key) ?? { count: 0, last: 0 };
    this.failures.set(key, { count: entry.count + 1, last: this.now() });
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Forgets keys whose last failure is a whole window old. */
  sweep(): void {
    for (const key of [...this.failures.keys()]) this.current(key);
  }

  /** The wait after `count` failures: none for the free ones, then 1 minute doubling up to the window. */
  private backoff(count: number): number {
    if (!this.spec || count < this.spec.limit) return 0;
    return Math.min(
      this.spec.windowMs,
      FIRST_BACKOFF_MS * 2 ** Math.min(20, count - this.spec.limit),
    );
  }

  /** The key's failures, unless it stayed quiet for a whole window after its last wait ended. */
  private current(key: string): Failures | undefined {
    const entry = this.failures.get(key);
    if (!entry || !this.spec) return undefined;
    if (this.now() - entry.last >= this.backoff(entry.count) + this.spec.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
