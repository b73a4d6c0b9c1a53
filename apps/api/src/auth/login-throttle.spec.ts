import { describe, expect, it } from 'vitest';
import { FIRST_BACKOFF_MS, LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('lets the free attempts through, then backs off exponentially up to the window', () => {
    let now = 0;
    const throttle = new LoginThrottle({ limit: 3, windowMs: 15 * 60_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter('a')).toBe(0);
      throttle.fail('a');
    }
    expect(throttle.retryAfter('a')).toBe(FIRST_BACKOFF_MS);
    now += FIRST_BACKOFF_MS;
    expect(throttle.retryAfter('a')).toBe(0);
    throttle.fail('a');
    expect(throttle.retryAfter('a')).toBe(2 * FIRST_BACKOFF_MS);
    now += 2 * FIRST_BACKOFF_MS;
    throttle.fail('a');
    expect(throttle.retryAfter('a')).toBe(4 * FIRST_BACKOFF_MS);
    for (let i = 0; i < 5; i++) {
      now += throttle.retryAfter('a');
      throttle.fail('a');
    }
    // Capped at the window.
    expect(throttle.retryAfter('a')).toBe(15 * 60_000);
    expect(throttle.retryAfter('b')).toBe(0);
  });

  it('forgets failures after a quiet window following the wait, and on reset', () => {
    let now = 0;
    const window = 10 * 60_000;
    const throttle = new LoginThrottle({ limit: 1, windowMs: window }, () => now);
    throttle.fail('a');
    throttle.fail('b');
    expect(throttle.retryAfter('a')).toBe(FIRST_BACKOFF_MS);
    throttle.reset('a');
    expect(throttle.retryAfter('a')).toBe(0);
    // Still remembered just before the quiet window ends: one more failure doubles the wait.
    now = FIRST_BACKOFF_MS + window - 1;
    throttle.fail('b');
    expect(throttle.retryAfter('b')).toBe(2 * FIRST_BACKOFF_MS);
    // Quiet for the wait plus a window: forgotten, so a failure counts as the first again.
    now += 2 * FIRST_BACKOFF_MS + window;
    throttle.fail('b');
    expect(throttle.retryAfter('b')).toBe(FIRST_BACKOFF_MS);
  });

  it('never throttles when switched off', () => {
    const throttle = new LoginThrottle(null);
    for (let i = 0; i < 100; i++) throttle.fail('a');
    expect(throttle.retryAfter('a')).toBe(0);
  });
});
