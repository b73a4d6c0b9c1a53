import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { RateLimitSpec } from '../common/rate-limit-spec';
import { RateLimiter } from '../common/rate-limiter';
import type { RedisService } from '../services/redis/redis.service';
import { FIRST_BACKOFF_MS, LoginThrottle } from './login-throttle';

/** Events per key in a sliding window: `hit` records one, both say how long to wait (0: allowed). */
export interface WindowCounter {
  hit(key: string): Promise<number>;
  retryAfter(key: string): Promise<number>;
  sweep(): void;
}

/** Failures per key with exponential backoff (see LoginThrottle). */
export interface FailureCounter {
  retryAfter(key: string): Promise<number>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  sweep(): void;
}

/**
 * A sliding window in one sorted set per key: old events are trimmed, the count compared with
 * the limit, and (for a hit) the event added, in one script, so that every node counts together.
 */
const WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], window)
end
return 0
`;

/** LoginThrottle's rule on a hash `{ count, last }`, shared by every node. */
const FAILURES_SCRIPT = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local first = tonumber(ARGV[4])
local function backoff(count)
  if count < limit then return 0 end
  return math.min(window, first * 2 ^ math.min(20, count - limit))
end
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if count > 0 and now - last >= backoff(count) + window then count = 0 end
if ARGV[5] == 'fail' then
  count = count + 1
  redis.call('HSET', KEYS[1], 'count', count, 'last', now)
  redis.call('PEXPIRE', KEYS[1], backoff(count) + window)
  return 0
end
if count == 0 then return 0 end
return math.max(0, last + backoff(count) - now)
`;

const logger = new Logger('RateLimits');
let warned = false;

/** Redis failed: the node falls back to counting alone (logged once per outage). */
function fallBack(error: unknown): void {
  if (warned) return;
  warned = true;
  logger.warn(`Counting limits on this node alone while Redis does not answer: ${String(error)}`);
}

function recovered(): void {
  warned = false;
}

class MemoryWindow implements WindowCounter {
  readonly limiter: RateLimiter;

  constructor(spec: RateLimitSpec) {
    this.limiter = new RateLimiter(spec.limit, spec.windowMs);
  }

  hit(key: string): Promise<number> {
    return Promise.resolve(this.limiter.hit(key));
  }

  retryAfter(key: string): Promise<number> {
    return Promise.resolve(this.limiter.retryAfter(key));
  }

  sweep(): void {
    this.limiter.sweep();
  }
}

class RedisWindow implements WindowCounter {
  private readonly local: MemoryWindow;

  constructor(
    private readonly redis: RedisService,
    private readonly name: string,
    private readonly spec: RateLimitSpec,
  ) {
    this.local = new MemoryWindow(spec);
  }

  hit(key: string): Promise<number> {
    return this.run(key, true);
  }

  retryAfter(key: string): Promise<number> {
    return this.run(key, false);
  }

  sweep(): void {
    this.local.sweep();
  }

  private async run(key: string, record: boolean): Promise<number> {
    try {
      const wait = await this.redis
        .client('command')
        .eval(
          WINDOW_SCRIPT,
          1,
          this.redis.key(`limit:${this.name}:${key}`),
          Date.now(),
          this.spec.limit,
          this.spec.windowMs,
          record ? '1' : '0',
          `${String(Date.now())}-${randomBytes(6).toString('hex')}`,
        );
      recovered();
      return Number(wait);
    } catch (error) {
      fallBack(error);
      return record ? this.local.hit(key) : this.local.retryAfter(key);
    }
  }
}

class MemoryFailures implements FailureCounter {
  readonly throttle: LoginThrottle;

  constructor(spec: RateLimitSpec | null) {
    this.throttle = new LoginThrottle(spec);
  }

  retryAfter(key: string): Promise<number> {
    return Promise.resolve(this.throttle.retryAfter(key));
  }

  fail(key: string): Promise<void> {
    this.throttle.fail(key);
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.throttle.reset(key);
    return Promise.resolve();
  }

  sweep(): void {
    this.throttle.sweep();
  }
}

class RedisFailures implements FailureCounter {
  private readonly local: MemoryFailures;

  constructor(
    private readonly redis: RedisService,
    private readonly name: string,
    private readonly spec: RateLimitSpec,
  ) {
    this.local = new MemoryFailures(spec);
  }

  async retryAfter(key: string): Promise<number> {
    try {
      const wait = await this.run(key, 'check');
      recovered();
      return wait;
    } catch (error) {
      fallBack(error);
      return this.local.retryAfter(key);
    }
  }

  async fail(key: string): Promise<void> {
    // Counted here too, so that an outage does not wipe the slate.
    await this.local.fail(key);
    try {
      await this.run(key, 'fail');
    } catch (error) {
      fallBack(error);
    }
  }

  async reset(key: string): Promise<void> {
    await this.local.reset(key);
    try {
      await this.redis.client('command').del(this.key(key));
    } catch (error) {
      fallBack(error);
    }
  }

  sweep(): void {
    this.local.sweep();
  }

  private key(key: string): string {
    return this.redis.key(`limit:${this.name}:${key}`);
  }

  private async run(key: string, mode: 'check' | 'fail'): Promise<number> {
    const wait = await this.redis
      .client('command')
      .eval(
        FAILURES_SCRIPT,
        1,
        this.key(key),
        Date.now(),
        this.spec.limit,
        this.spec.windowMs,
        FIRST_BACKOFF_MS,
        mode,
      );
    return Number(wait);
  }
}

/**
 * A window counter for `spec` (null when the limit is off): shared by every node through Redis
 * when it is configured, in this node's memory otherwise or while Redis does not answer.
 */
export function windowCounter(
  redis: RedisService,
  name: string,
  spec: RateLimitSpec | null,
): WindowCounter | null {
  if (!spec) return null;
  return redis.enabled ? new RedisWindow(redis, name, spec) : new MemoryWindow(spec);
}

/** A failure counter with backoff for `spec`, shared the same way. */
export function failureCounter(
  redis: RedisService,
  name: string,
  spec: RateLimitSpec | null,
): FailureCounter {
  return redis.enabled && spec ? new RedisFailures(redis, name, spec) : new MemoryFailures(spec);
}
