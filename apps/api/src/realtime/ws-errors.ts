import { type ArgumentsHost, Catch, Logger, type WsExceptionFilter } from '@nestjs/common';
import type { ApiError, ErrorCode } from '@parley/protocol';
import { toApiError } from '../common/api-error';

/** socket.io `connect_error` payload: `err.message` is the code, `err.data` the full error. */
export class HandshakeError extends Error {
  readonly data: ApiError;

  constructor(code: ErrorCode, message: string, extra: Omit<ApiError, 'code' | 'message'> = {}) {
    super(code);
    this.data = { code, message, ...extra };
  }
}

export function handshakeErrorFrom(error: unknown): HandshakeError {
  if (error instanceof HandshakeError) return error;
  const { error: apiError } = toApiError(error);
  const { code, message, ...extra } = apiError;
  return new HandshakeError(code as ErrorCode, message, extra);
}

/**
 * Turns any exception thrown by a gateway handler (or its pipes) into a failed ack
 * `{ ok: false, error: { code, message } }`. The socket stays connected.
 */
@Catch()
export class WsAckExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger('Gateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, error } = toApiError(exception);
    if (status >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    // Nest calls handlers as (socket, payload, ack, pattern); the ack is the client's callback.
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') (ack as (res: unknown) => void)({ ok: false, error });
  }
}

/**
 * Runs `authenticate` for every handshake of a namespace; whatever it throws refuses the
 * connection with a `connect_error` whose message is the protocol code.
 */
export function guardHandshakes<S>(
  namespace: { use(fn: (socket: S, next: (err?: Error) => void) => void): unknown },
  authenticate: (socket: S) => Promise<void>,
): void {
  namespace.use((socket, next) => {
    authenticate(socket).then(
      () => {
        next();
      },
      (error: unknown) => {
        next(handshakeErrorFrom(error));
      },
    );
  });
}

/**
 * Runs a new connection's set-up (rooms, session). When it fails (the database did not answer,
 * say), the connection is closed the way a network failure closes it: the client reconnects and
 * catches up, instead of staying connected without its rooms or its session.
 */
export async function setUpConnection(
  socket: { id: string; conn: { close(): void } },
  logger: Logger,
  setUp: () => Promise<void>,
): Promise<void> {
  try {
    await setUp();
  } catch (error) {
    logger.warn(`Could not set up connection ${socket.id}, closing it: ${String(error)}`);
    socket.conn.close();
  }
}
