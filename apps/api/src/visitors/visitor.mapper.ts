import type { VisitorDetails } from '@parley/protocol';
import type { Visitor } from '../generated/prisma/client';

/** Only text, numbers and booleans are stored as attributes; anything else is left out. */
function attributesOf(value: unknown): VisitorDetails['attributes'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: VisitorDetails['attributes'] = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      out[key] = item;
    }
  }
  return out;
}

/** What the console's visitor panel shows. */
export function toVisitorDetails(v: Visitor): VisitorDetails {
  return {
    id: v.id,
    name: v.name,
    email: v.email,
    verifiedUserId: v.externalUserId,
    pageUrl: v.pageUrl,
    referrer: v.referrer,
    userAgent: v.userAgent,
    language: v.language,
    timeZone: v.timeZone,
    attributes: attributesOf(v.attributes),
    lastSeenAt: v.lastSeenAt?.toISOString() ?? null,
    createdAt: v.createdAt.toISOString(),
  };
}
