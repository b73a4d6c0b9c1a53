import { ApiException } from '../common/api-error';

/**
 * Typing notices per socket: clients send one every two seconds at most, so more than
 * `burst` within `windowMs` is refused with RATE_LIMITED (the socket stays connected).
 */
export class TypingThrottle {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly burst = 10,
    private readonly windowMs = 5_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  hit(socketId: string): void {
    const now = this.now();
    const recent = (this.hits.get(socketId) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.burst) {
      this.hits.set(socketId, recent);
      const wait = this.windowMs - (now - (recent[0] ?? now));
      throw ApiException.rateLimited('Too many typing notices. Slow down.', wait);
    }
    recent.push(now);
    this.hits.set(socketId, recent);
  }

  forget(socketId: string): void {
    this.hits.delete(socketId);
  }
}
