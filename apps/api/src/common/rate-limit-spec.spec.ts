import { describe, expect, it } from 'vitest';
import { describeWait, parseRateLimitSpec, rateLimitSetting } from './rate-limit-spec';

describe('rate limit settings', () => {
  it('reads "<count>/<window>" and "off"', () => {
    expect(parseRateLimitSpec('30/1m')).toEqual({ limit: 30, windowMs: 60_000 });
    expect(parseRateLimitSpec('6/12h')).toEqual({ limit: 6, windowMs: 12 * 3_600_000 });
    expect(parseRateLimitSpec('5 / 15m')).toEqual({ limit: 5, windowMs: 15 * 60_000 });
    expect(parseRateLimitSpec('100/s')).toEqual({ limit: 100, windowMs: 1_000 });
    expect(parseRateLimitSpec('OFF')).toBeNull();
  });

  it('refuses anything else with a message naming the setting', () => {
    for (const bad of ['', '30', '30/', '30/1y', '0/1m', '-1/1m', 'abc/1m', '1/0m']) {
      expect(parseRateLimitSpec(bad), bad).toBeUndefined();
    }
    const result = rateLimitSetting('LIMIT_X', '1/1m').safeParse('ten per minute');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^LIMIT_X: /);
    expect(rateLimitSetting('LIMIT_X', '3/1h').parse(undefined)).toEqual({
      limit: 3,
      windowMs: 3_600_000,
    });
  });
});

describe('describeWait', () => {
  it('rounds up to the unit people expect', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(40_000)).toBe('40 seconds');
    expect(describeWait(60_000)).toBe('1 minute');
    expect(describeWait(61_000)).toBe('2 minutes');
    expect(describeWait(3 * 3_600_000)).toBe('3 hours');
  });
});
