import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode, type ApiError } from '@parley/protocol';

/** An error with a protocol code, turned into `{ error: { code, message } }` over HTTP and into a failed ack over sockets. */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, string>,
    /** For rate limits: how long to wait (sent as `retryAfterMs` and the `Retry-After` header). */
    readonly retryAfterMs?: number,
  ) {
    super(message, status);
  }

  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: Math.ceil(this.retryAfterMs) }),
    };
  }

  static validation(message: string, details?: Record<string, string>): ApiException {
    return new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, message, details);
  }

  static unauthorized(message = 'Sign in to continue.'): ApiException {
    return new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.Unauthorized, message);
  }

  static forbidden(message = 'You do not have permission to do this.'): ApiException {
    return new ApiException(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, message);
  }

  static notFound(message: string): ApiException {
    return new ApiException(HttpStatus.NOT_FOUND, ErrorCode.NotFound, message);
  }

  static rateLimited(message: string, retryAfterMs?: number): ApiException {
    return new ApiException(
      HttpStatus.TOO_MANY_REQUESTS,
      ErrorCode.RateLimited,
      message,
      undefined,
      retryAfterMs,
    );
  }
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  429: ErrorCode.RateLimited,
};

/** Maps any thrown value to a status and a protocol error, hiding internals of unexpected errors. */
export function toApiError(error: unknown): { status: number; error: ApiError } {
  if (error instanceof ApiException)
    return { status: error.getStatus(), error: error.toApiError() };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      status,
      error: { code: STATUS_CODES[status] ?? ErrorCode.Internal, message: error.message },
    };
  }
  // Errors raised by Express's body parser carry a status and a type.
  if (
    typeof error === 'object' &&
    error !== null &&
    'status' in error &&
    typeof error.status === 'number'
  ) {
    const status = error.status;
    const type = 'type' in error ? error.type : undefined;
    if (type === 'entity.too.large') {
      return {
        status: 413,
        error: { code: ErrorCode.PayloadTooLarge, message: 'The request body is too large.' },
      };
    }
    if (type === 'entity.parse.failed') {
      return {
        status: 400,
        error: { code: ErrorCode.ValidationFailed, message: 'The request body is not valid JSON.' },
      };
    }
    if (status >= 400 && status < 500) {
      return {
        status,
        error: {
          code: STATUS_CODES[status] ?? ErrorCode.ValidationFailed,
          message: 'The request could not be read.',
        },
      };
    }
  }
  if (isDatabaseOverloaded(error)) {
    return {
      status: 503,
      error: {
        code: ErrorCode.ServiceBusy,
        message: 'The server is busy and saved nothing. Try again in a moment.',
      },
    };
  }
  return {
    status: 500,
    error: {
      code: ErrorCode.Internal,
      message: 'Something went wrong on our side. Please try again.',
    },
  };
}

/**
 * Prisma's "could not start a transaction in time" (P2028) and "no database connection free in
 * time" (P2024): the node is past its capacity; the request did nothing and can be retried.
 */
function isDatabaseOverloaded(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return error.code === 'P2028' || error.code === 'P2024';
}
