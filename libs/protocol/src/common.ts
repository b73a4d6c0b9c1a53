import { z } from 'zod';
import { Limits } from './limits';

/** Database ids are opaque strings (cuid/uuid); bounded so garbage never reaches a query. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');

/** Client-generated message id: makes a resent message idempotent. */
export const ClientMessageIdSchema = z
  .string()
  .min(8)
  .max(Limits.clientMessageIdMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "-" and "_"');

/** A message body: trimmed, non-empty, bounded. */
export const MessageBodySchema = z
  .string()
  .trim()
  .min(1, 'message is empty')
  .max(Limits.messageBodyMax, `message is longer than ${Limits.messageBodyMax} characters`);

/** A per-conversation sequence number; 0 means "nothing yet". */
export const SeqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** ISO-8601 timestamps on the wire. */
export const TimestampSchema = z.iso.datetime();
