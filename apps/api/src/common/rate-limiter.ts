/**
 * Counts events per key in a sliding window held in memory.
 * `hit` records one event and says whether the key is still within its limit.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event; returns the ms to wait when over the limit, or 0 when allowed. */
  hit(key: string): number {
    const now = this.now();
    const recent = this.prune(key, now);
    if (recent.length >= this.limit) {
      const oldest = recent[0] ?? now;
      return Math.max(1, oldest + this.windowMs - now);
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }

  /** Ms to wait before the next event is allowed, without recording one. */
  retryAfter(key: string): number {
    const now = this.now();
    const recent = this.prune(key, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, (recent[0] ?? now) + this.windowMs - now);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  /** Forgets every key whose events have all left the window (call now and then: keys of clients never seen again stay otherwise). */
  sweep(): void {
    const now = this.now();
    for (const key of [...this.hits.keys()]) this.prune(key, now);
  }

  /** How many keys are held. */
  get size(): number {
    return this.hits.size;
  }

  private prune(key: string, now: number): number[] {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length) this.hits.set(key, recent);
    else this.hits.delete(key);
    return recent;
  }
}
