import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('starts on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PING_INTERVAL_MS + config.PING_TIMEOUT_MS).toBeLessThan(
      config.LB_IDLE_TIMEOUT_MS,
    );
    expect(config.NODE_ID).toMatch(/^[0-9a-f]{8}$/);
  });

  it('refuses a heartbeat that outlives the load balancer idle timeout, naming the rule', () => {
    expect(() => loadConfig({ PING_INTERVAL_MS: '40000', PING_TIMEOUT_MS: '30000' })).toThrow(
      /must be below LB_IDLE_TIMEOUT_MS \(60000\)/,
    );
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', ADMIN_PASSWORD: 'short' });
      expect.unreachable('loadConfig accepted a bad environment');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as Error).message;
      expect(text).toContain('PORT');
      expect(text).toContain('DATABASE_URL');
      expect(text).toContain('ADMIN_PASSWORD');
    }
  });

  it('refuses reconnection delays in the wrong order', () => {
    expect(() =>
      loadConfig({ RECONNECTION_DELAY_MS: '5000', RECONNECTION_DELAY_MAX_MS: '1000' }),
    ).toThrow(/RECONNECTION_DELAY_MS must not exceed/);
  });
});
