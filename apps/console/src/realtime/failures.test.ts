import { describe, expect, it } from 'vitest';
import { must } from '../testing/fixtures';
import { FailureThrottle, handshakeFailure, isUnauthorized, upgradeFailure } from './failures';

function transportError(message: string, description?: unknown) {
  return Object.assign(new Error(message), { type: 'TransportError', description });
}

describe('handshakeFailure', () => {
  it('reports a polling error with its HTTP status', () => {
    expect(handshakeFailure(transportError('xhr poll error', 400), 'polling')).toEqual({
      client: 'console',
      transport: 'polling',
      phase: 'handshake',
      reason: 'xhr poll error',
      statusCode: 400,
    });
  });

  it('reports a WebSocket error without a status', () => {
    const report = handshakeFailure(transportError('websocket error', {}), 'websocket');
    expect(report).toMatchObject({
      transport: 'websocket',
      reason: 'websocket error',
      statusCode: null,
    });
  });

  it('does not report a refused session', () => {
    const error = new Error('UNAUTHORIZED');
    expect(isUnauthorized(error)).toBe(true);
    expect(handshakeFailure(error, 'polling')).toBeNull();
    const withData = Object.assign(new Error('Sign in first'), { data: { code: 'UNAUTHORIZED' } });
    expect(isUnauthorized(withData)).toBe(true);
  });

  it('never takes a transport error for a refused session', () => {
    expect(isUnauthorized(transportError('UNAUTHORIZED'))).toBe(false);
  });
});

describe('upgradeFailure', () => {
  it('reports a failed probe while the connection is open', () => {
    const error = Object.assign(new Error('probe error: Error: websocket error'), {
      transport: 'websocket',
    });
    expect(upgradeFailure(error, 'open')).toMatchObject({
      phase: 'upgrade',
      transport: 'websocket',
      reason: 'probe error: Error: websocket error',
    });
  });

  it('ignores probes cut short by closing the connection', () => {
    expect(upgradeFailure(new Error('probe error: socket closed'), 'open')).toBeNull();
    expect(upgradeFailure(new Error('probe error'), 'closing')).toBeNull();
  });
});

describe('FailureThrottle', () => {
  it('lets each reason through once per minute', () => {
    let now = 0;
    const throttle = new FailureThrottle(60_000, () => now);
    const a = must(handshakeFailure(transportError('xhr poll error', 400), 'polling'));
    const b = must(handshakeFailure(transportError('websocket error'), 'websocket'));
    expect(throttle.shouldReport(a)).toBe(true);
    expect(throttle.shouldReport(a)).toBe(false);
    expect(throttle.shouldReport(b)).toBe(true);
    now = 59_999;
    expect(throttle.shouldReport(a)).toBe(false);
    now = 60_000;
    expect(throttle.shouldReport(a)).toBe(true);
  });
});
