/**
 * Machine-readable error codes shared by socket acks and REST error bodies.
 * Clients branch on `code`; `message` is for people.
 */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** An upload that is not one of the accepted file types (checked by its first bytes). */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited: 'RATE_LIMITED',
  UnknownSite: 'UNKNOWN_SITE',
  OriginNotAllowed: 'ORIGIN_NOT_ALLOWED',
  IdentityNotVerified: 'IDENTITY_NOT_VERIFIED',
  TransportNotAllowed: 'TRANSPORT_NOT_ALLOWED',
  /** The change would leave no active admin. */
  LastAdmin: 'LAST_ADMIN',
  /** The agent signed in with a one-time password and must choose a new one first. */
  PasswordChangeRequired: 'PASSWORD_CHANGE_REQUIRED',
  /** The server is overloaded (its database queue is full): nothing was written; try again. */
  ServiceBusy: 'SERVICE_BUSY',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
