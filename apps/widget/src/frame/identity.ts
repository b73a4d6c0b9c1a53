import { issuesToDetails, VisitorIdentitySchema, type VisitorIdentity } from '@parley/protocol';
import type { IdentityClaim } from '../shared/messages';

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

/** Whether two identities name the same user with the same proof and details. */
export function sameIdentity(a: VisitorIdentity | null, b: VisitorIdentity | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.userId === b.userId && a.userHash === b.userHash && a.email === b.email && a.name === b.name
  );
}
