import { SESSION_COOKIE } from '@parley/protocol';
import { parse, serialize } from 'cookie';
import type { IncomingMessage } from 'node:http';

/** Reads the agent session token from a request's Cookie header. */
export function readSessionToken(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[SESSION_COOKIE] ?? undefined;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: 0,
  });
}
