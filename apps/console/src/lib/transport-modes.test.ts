import { describe, expect, it } from 'vitest';
import { checkHeartbeat, formatBytes, formatDuration, modeLabel } from './transport-modes';

const tunables = {
  pingIntervalMs: 25_000,
  pingTimeoutMs: 20_000,
  maxHttpBufferSize: 1_000_000,
  reconnectionDelayMs: 1_000,
  reconnectionDelayMaxMs: 5_000,
  loadBalancerIdleTimeoutMs: 60_000,
};

describe('checkHeartbeat', () => {
  it('accepts a heartbeat below the idle timeout', () => {
    expect(checkHeartbeat(tunables)).toEqual({
      heartbeatMs: 45_000,
      idleTimeoutMs: 60_000,
      ok: true,
      marginMs: 15_000,
    });
  });

  it('flags a heartbeat that reaches the idle timeout', () => {
    const check = checkHeartbeat({ ...tunables, pingIntervalMs: 40_000 });
    expect(check.ok).toBe(false);
    expect(check.marginMs).toBe(0);
  });
});

describe('formatting', () => {
  it('formats durations and sizes for people', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(25_000)).toBe('25 s');
    expect(formatDuration(1_500)).toBe('1.5 s');
    expect(formatDuration(300_000)).toBe('5 min');
    expect(formatBytes(1024 * 1024)).toBe('1 MB');
    expect(formatBytes(64 * 1024)).toBe('64 KB');
    expect(formatBytes(512)).toBe('512 bytes');
  });

  it('names modes as the admin page does', () => {
    expect(modeLabel('polling')).toBe('Long-polling only');
    expect(modeLabel(null)).toBe('None (initial setting)');
  });
});
