import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new identity secret for a site (256 bits, base64url). */
export function newIdentitySecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `userHash` as the host's server computes it: hex HMAC-SHA256 of the user id, keyed with the secret. */
export function userHashOf(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Whether `userHash` proves `userId` for this secret (constant time, case-insensitive hex). */
export function isValidUserHash(secret: string, userId: string, userHash: string): boolean {
  const expected = Buffer.from(userHashOf(secret, userId), 'utf8');
  const given = Buffer.from(userHash.toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
