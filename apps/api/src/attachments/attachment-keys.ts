import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a visitor's attachment key works; every new connection hands out a fresh one. */
export const ATTACHMENT_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A visitor's attachment key: `<visitorId>.<expiry ms>.<HMAC-SHA256>`, signed with a secret that
 * every node shares (kept in the database). It lets the chat frame upload files and show them in
 * `<img src>` (where no header can be sent) without handing out the visitor's long-lived token,
 * and it works for verified users, who have no token at all.
 */
export function signAttachmentKey(
  secret: string,
  visitorId: string,
  now = Date.now(),
  ttlMs = ATTACHMENT_KEY_TTL_MS,
): string {
  const expires = now + ttlMs;
  return `${visitorId}.${expires}.${mac(secret, visitorId, expires)}`;
}

/** The visitor id a key was signed for, or null when it is malformed, forged or expired. */
export function verifyAttachmentKey(secret: string, key: string, now = Date.now()): string | null {
  const [visitorId, expiresText, signature, ...rest] = key.split('.');
  if (rest.length > 0 || !visitorId || !expiresText || !signature) return null;
  if (!/^\d{1,15}$/.test(expiresText)) return null;
  const expires = Number(expiresText);
  if (expires <= now) return null;
  const expected = Buffer.from(mac(secret, visitorId, expires));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return visitorId;
}

function mac(secret: string, visitorId: string, expires: number): string {
  return createHmac('sha256', secret)
    .update(`attachment-key:${visitorId}:${expires}`)
    .digest('base64url');
}
