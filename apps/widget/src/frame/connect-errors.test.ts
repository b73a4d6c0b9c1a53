import { describe, expect, it } from 'vitest';
import { handshakeFailureOf, isInvalidVisitorTokenError } from './connect-errors';

describe('isInvalidVisitorTokenError', () => {
  it('recognises a refused visitor token by message or data', () => {
    expect(
      isInvalidVisitorTokenError({
        message: 'UNAUTHORIZED',
        data: {
          code: 'UNAUTHORIZED',
          message: 'This chat session is no longer valid; a new one will start.',
        },
      }),
    ).toBe(true);
    expect(isInvalidVisitorTokenError({ message: 'Invalid visitor token' })).toBe(true);
    expect(isInvalidVisitorTokenError({ message: 'unknown visitor token' })).toBe(true);
    expect(isInvalidVisitorTokenError({ message: 'visitor token not found' })).toBe(true);
    expect(
      isInvalidVisitorTokenError({
        message: 'Unauthorized',
        data: { code: 'INVALID_VISITOR_TOKEN' },
      }),
    ).toBe(true);
    expect(
      isInvalidVisitorTokenError({
        message: 'Unauthorized',
        data: { code: 'UNAUTHORIZED', message: 'The visitor token is invalid' },
      }),
    ).toBe(true);
  });

  it('leaves other refusals alone', () => {
    expect(isInvalidVisitorTokenError({ message: 'Origin not allowed' })).toBe(false);
    expect(
      isInvalidVisitorTokenError({
        message: 'UNKNOWN_SITE',
        data: { code: 'UNKNOWN_SITE', message: 'Unknown site key' },
      }),
    ).toBe(false);
    expect(
      isInvalidVisitorTokenError({
        message: 'VALIDATION_FAILED',
        data: { code: 'VALIDATION_FAILED', message: 'The widget handshake needs a valid siteKey' },
      }),
    ).toBe(false);
    expect(isInvalidVisitorTokenError({ message: 'Unknown site' })).toBe(false);
    expect(isInvalidVisitorTokenError({ message: 'xhr poll error', data: null })).toBe(false);
  });
});

describe('handshakeFailureOf', () => {
  it('reports transport errors with their HTTP status', () => {
    expect(
      handshakeFailureOf(
        { message: 'xhr poll error', type: 'TransportError', description: 502 },
        'polling',
      ),
    ).toEqual({
      transport: 'polling',
      phase: 'handshake',
      reason: 'xhr poll error',
      statusCode: 502,
    });
    expect(
      handshakeFailureOf(
        { message: 'websocket error', type: 'TransportError', description: {} },
        'websocket',
      ),
    ).toEqual({
      transport: 'websocket',
      phase: 'handshake',
      reason: 'websocket error',
      statusCode: null,
    });
    expect(handshakeFailureOf({ message: 'timeout' }, 'polling')?.reason).toBe('timeout');
  });

  it('does not report refusals by the server', () => {
    expect(
      handshakeFailureOf(
        { message: 'Origin not allowed', data: { code: 'ORIGIN_NOT_ALLOWED' } },
        'polling',
      ),
    ).toBeNull();
  });
});
