import {
  issuesToDetails,
  VisitorAttributesSchema,
  VisitorIdentitySchema,
  VisitorUpdateSchema,
  type VisitorAttributes,
  type VisitorIdentity,
  type VisitorUpdate,
} from '@parley/protocol';
import type { IdentityClaim } from '../shared/messages';

/*
 * What the host page (`Parley.identify`, `Parley.setAttributes`) and the pre-chat form hand the
 * frame, checked with the contract's own schemas so that the page's developer reads the same
 * reasons the server would give. This module carries zod: the frame loads it on first use, never
 * before the chat is shown.
 */

export type IdentityReading =
  { ok: true; identity: VisitorIdentity | null } | { ok: false; error: string };

/**
 * Reads what the host page passed to `Parley.identify`: no fields means "no signed-in user";
 * otherwise it must be a valid identity (a `userId`, and `email`, `name`, `userHash` when given).
 */
export function readIdentity(claim: IdentityClaim): IdentityReading {
  if (Object.keys(claim).length === 0) return { ok: true, identity: null };
  const parsed = VisitorIdentitySchema.safeParse(claim);
  if (parsed.success) return { ok: true, identity: parsed.data };
  const details = Object.entries(issuesToDetails(parsed.error))
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ');
  return { ok: false, error: `Parley.identify() was ignored: ${details}` };
}

/** `Parley.setAttributes(value)`: the attributes, or why they are refused (every reason, joined). */
export function readAttributes(
  value: unknown,
): { ok: true; attributes: VisitorAttributes } | { ok: false; detail: string } {
  const parsed = VisitorAttributesSchema.safeParse(value);
  if (parsed.success) return { ok: true, attributes: parsed.data };
  const detail = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'attributes'}: ${issue.message}`)
    .join('; ');
  return { ok: false, detail };
}

/** The pre-chat form's name and email as a visitor update, or the first field that is wrong. */
export function readVisitorUpdate(
  update: VisitorUpdate,
): { ok: true; update: VisitorUpdate } | { ok: false; field: 'name' | 'email' } {
  const parsed = VisitorUpdateSchema.safeParse(update);
  if (parsed.success) return { ok: true, update: parsed.data };
  return { ok: false, field: parsed.error.issues[0]?.path[0] === 'name' ? 'name' : 'email' };
}
