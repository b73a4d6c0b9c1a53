import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A new primary key. */
export function newId(): string {
  return randomUUID();
}

/** A new opaque secret token (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256; a leaked database does not leak sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
