import type { VisitorIdentity } from '@parley/protocol';

/** Whether two identities name the same user with the same proof and details. */
export function sameIdentity(a: VisitorIdentity | null, b: VisitorIdentity | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.userId === b.userId && a.userHash === b.userHash && a.email === b.email && a.name === b.name
  );
}
