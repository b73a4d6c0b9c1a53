import type { ConnectionFailureReport } from '@parley/protocol';

type Transport = ConnectionFailureReport['transport'];

/** What engine.io-client attaches to its transport errors. */
interface TransportErrorLike {
  message: string;
  type?: unknown;
  description?: unknown;
  data?: unknown;
}

const REASON_MAX = 300;

function asTransport(name: unknown): Transport {
  return name === 'websocket' ? 'websocket' : 'polling';
}

/** The code a server middleware rejected the handshake with (`next(new Error(code))`). */
export function rejectionCode(error: TransportErrorLike): string | null {
  if (error.type === 'TransportError' || error.message === 'timeout') return null;
  const data = error.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    'code' in data &&
    typeof data.code === 'string'
  ) {
    return data.code;
  }
  return error.message || null;
}

/** Whether a `connect_error` means the agent's session is gone. */
export function isUnauthorized(error: TransportErrorLike): boolean {
  return rejectionCode(error) === 'UNAUTHORIZED';
}

/**
 * Describes a failed connection attempt (`connect_error`) for `POST /api/realtime/failures`.
 * `transport` is the one the attempt started with. A rejected session is not a transport
 * failure and gives null.
 */
export function handshakeFailure(
  error: TransportErrorLike,
  transport: string | undefined,
): ConnectionFailureReport | null {
  if (isUnauthorized(error)) return null;
  const statusCode =
    typeof error.description === 'number' && error.description > 0 ? error.description : null;
  return {
    client: 'console',
    transport: asTransport(transport),
    phase: 'handshake',
    reason: (error.message || 'connection failed').slice(0, REASON_MAX),
    statusCode,
  };
}

/**
 * Describes a failed upgrade probe (`upgradeError` on the engine). Probes that fail because
 * the console itself closed the connection are not reported.
 */
export function upgradeFailure(
  error: { message: string; transport?: unknown },
  engineState: string,
): ConnectionFailureReport | null {
  if (engineState !== 'open' || /socket closed$/.test(error.message)) return null;
  return {
    client: 'console',
    transport: asTransport(error.transport ?? 'websocket'),
    phase: 'upgrade',
    reason: (error.message || 'upgrade failed').slice(0, REASON_MAX),
    statusCode: null,
  };
}

/** Lets each distinct failure through at most once per window (a minute by default). */
export class FailureThrottle {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  shouldReport(report: ConnectionFailureReport): boolean {
    const key = `${report.phase}|${report.transport}|${report.reason}`;
    const now = this.now();
    const last = this.lastSent.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.lastSent.set(key, now);
    return true;
  }
}
