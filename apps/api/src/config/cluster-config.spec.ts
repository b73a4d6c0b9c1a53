import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('settings for several nodes', () => {
  it('defaults to one node: no Redis, no sticky cookie, loopback proxies trusted', () => {
    const config = loadConfig({});
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.STICKY_COOKIE).toBeUndefined();
    expect(config.TRUSTED_PROXIES).toBe('loopback');
    expect(config.REDIS_PREFIX).toBe('parley:');
  });

  it.each([
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    [{ INTERNAL_URL: 'http://10.0.0.5:3000/api' }, /INTERNAL_URL: scheme, host and port only/],
    [{ TRUSTED_PROXIES: 'loopback, nonsense' }, /TRUSTED_PROXIES/],
    [{ NODE_ID: 'Node.1' }, /NODE_ID: 1 to 16 lower-case letters or digits/],
    [{ STICKY_COOKIE: 'a cookie' }, /STICKY_COOKIE: a cookie name/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: at least 16 characters/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts a production set-up', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://user:secret@redis.internal:6380/2',
      INTERNAL_URL: 'http://10.0.1.7:3000',
      TRUSTED_PROXIES: '10.0.0.0/8, 172.16.0.0/12',
      NODE_ID: 'web1',
    });
    expect(config.REDIS_URL).toBe('rediss://user:secret@redis.internal:6380/2');
    expect(config.NODE_ID).toBe('web1');
  });
});
