import type { ClientTransportConfig } from '@parley/protocol';
import { ErrorCode } from '@parley/protocol/zod-free';
import type { FailureReport } from './failure-report';

/** A `connect_error` as socket.io-client delivers it. */
export interface ConnectErrorLike {
  message: string;
  /** Set by the server's middleware: `next(err)` with `err.data`. */
  data?: unknown;
  /** Set on engine.io transport errors: `TransportError`. */
  type?: unknown;
  /** For polling, the HTTP status of the failed request. */
  description?: unknown;
}

const TOKEN_REFUSED =
  /\b(invalid|unknown|expired|malformed|revoked)\b.*\btoken\b|\btoken\b.*\b(invalid|unknown|expired|malformed|revoked|not found)\b/i;

/**
 * True when the server refused the handshake because of the visitor token, so the widget should
 * forget it and connect as a new visitor. The `/widget` handshake refuses a token (unknown, from
 * another site) with `UNAUTHORIZED` as `err.message` and `err.data.code`; nothing else in that
 * handshake uses the code. Messages that name a bad token are recognised too. Only meaningful
 * when a token was sent.
 */
export function isInvalidVisitorTokenError(error: ConnectErrorLike): boolean {
  const data = (typeof error.data === 'object' && error.data !== null ? error.data : {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (data.code === ErrorCode.Unauthorized || error.message === ErrorCode.Unauthorized) return true;
  if (typeof data.code === 'string' && /VISITOR_TOKEN|INVALID_TOKEN/i.test(data.code)) return true;
  return [error.message, data.message].some(
    (text) => typeof text === 'string' && TOKEN_REFUSED.test(text),
  );
}

/**
 * The failure report for a handshake that failed in the transport (as opposed to a refusal by the
 * server's middleware, which is not a connectivity problem), or `null`.
 */
export function handshakeFailureOf(
  error: ConnectErrorLike,
  transport: ClientTransportConfig['transports'][number],
): FailureReport | null {
  if (error.type === 'TransportError' || error.message === 'timeout') {
    return {
      transport,
      phase: 'handshake',
      reason: error.message,
      statusCode: typeof error.description === 'number' ? error.description : null,
    };
  }
  return null;
}

/** What the server said when its middleware refused a handshake (`err.data`), if it said anything. */
export interface Refusal {
  code: string;
  message: string;
  retryAfterMs?: number;
}

export function refusalOf(error: ConnectErrorLike): Refusal | null {
  const data = error.data;
  if (typeof data !== 'object' || data === null) return null;
  const { code, message, retryAfterMs } = data as Partial<Record<string, unknown>>;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0
    ? { code, message, retryAfterMs }
    : { code, message };
}
