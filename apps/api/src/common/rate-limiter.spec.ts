import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows up to the limit in a window, then says how long to wait', () => {
    let now = 1_000;
    const limiter = new RateLimiter(3, 10_000, () => now);
    expect([limiter.hit('a'), limiter.hit('a'), limiter.hit('a')]).toEqual([0, 0, 0]);
    expect(limiter.hit('a')).toBe(10_000);
    now += 4_000;
    expect(limiter.hit('a')).toBe(6_000);
    expect(limiter.hit('b')).toBe(0);
  });

  it('frees capacity as events leave the window', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 1_000, () => now);
    limiter.hit('k');
    now = 600;
    limiter.hit('k');
    expect(limiter.retryAfter('k')).toBe(400);
    now = 1_001;
    expect(limiter.hit('k')).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = new RateLimiter(1, 60_000);
    limiter.hit('k');
    expect(limiter.retryAfter('k')).toBeGreaterThan(0);
    limiter.reset('k');
    expect(limiter.hit('k')).toBe(0);
  });
});

describe('RateLimiter.sweep', () => {
  it('forgets keys whose events have all left the window', () => {
    let now = 0;
    const limiter = new RateLimiter(5, 1_000, () => now);
    limiter.hit('gone');
    now = 500;
    limiter.hit('recent');
    now = 1_200;
    limiter.sweep();
    expect(limiter.size).toBe(1);
    expect(limiter.retryAfter('recent')).toBe(0);
  });
});
