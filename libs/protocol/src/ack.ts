import { z } from 'zod';
import type { ErrorCode } from './error-code';

/** The error half of every ack and the body of every REST error response (under `error`). */
export const ApiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** Field-level details for validation failures: path → message. */
  details: z.record(z.string(), z.string()).optional(),
  /** For `RATE_LIMITED`: how long to wait before trying again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** REST error response body. */
export const ErrorResponseSchema = z.object({ error: ApiErrorSchema });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** The result every client-to-server socket event acknowledges with. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** The callback a client passes as the last argument of every emit. */
export type AckCallback<T> = (res: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(
  code: ErrorCode,
  message: string,
  details?: Record<string, string>,
): Ack<never> {
  return details
    ? { ok: false, error: { code, message, details } }
    : { ok: false, error: { code, message } };
}

/** Builds an `Ack` schema around a data schema, for clients that validate what the server sends. */
export function ackSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ApiErrorSchema }),
  ]);
}

/**
 * Flattens zod issues into `path → message`, the shape of `ApiError.details`.
 * The root path is reported as `(root)`.
 */
export function issuesToDetails(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    if (!(key in details)) details[key] = issue.message;
  }
  return details;
}
