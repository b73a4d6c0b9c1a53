import type { IncomingMessage } from 'node:http';
import { OriginSchema } from '@parley/protocol';
import type { TrustProxy } from '../common/client-address';

/** What a site allows to embed its widget. */
export interface OriginPolicy {
  allowedOrigins: readonly string[];
  allowAnyOrigin: boolean;
}

/** `DEFAULT_SITE_ORIGINS`: `*` (any origin) or a comma-separated list of exact origins. */
export interface DefaultSiteOrigins {
  allowAnyOrigin: boolean;
  allowedOrigins: string[];
}

/** Parses `DEFAULT_SITE_ORIGINS`; returns the bad entries when there are any. */
export function parseOriginList(text: string): DefaultSiteOrigins | { invalid: string[] } {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 1 && entries[0] === '*')
    return { allowAnyOrigin: true, allowedOrigins: [] };
  const invalid = entries.filter((entry) => !OriginSchema.safeParse(entry).success);
  if (invalid.length) return { invalid };
  return { allowAnyOrigin: false, allowedOrigins: [...new Set(entries)] };
}

/** Whether a page on `origin` may embed the widget. An empty list allows nothing by itself. */
export function isOriginAllowed(policy: OriginPolicy, origin: string): boolean {
  return policy.allowAnyOrigin || policy.allowedOrigins.includes(origin);
}

/** The chat frame's `frame-ancestors` source list: this origin and the site's allowed origins. */
export function frameAncestors(policy: OriginPolicy): string {
  if (policy.allowAnyOrigin) return "'self' http: https:";
  return ["'self'", ...policy.allowedOrigins].join(' ');
}

/** The `Origin` header of a request, or undefined (non-browser clients, same-origin GETs). */
export function originHeader(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const value = req.headers.origin;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Whether `origin` is Parley's own: the host the request was sent to (as the browser saw it,
 * through a trusted proxy's `X-Forwarded-Host` when there is one) or `PUBLIC_URL`.
 */
export function isOwnOrigin(
  origin: string,
  req: Pick<IncomingMessage, 'headers' | 'socket'>,
  trust: TrustProxy,
  publicUrl: string | undefined,
): boolean {
  let host: string;
  try {
    const url = new URL(origin);
    if (url.origin !== origin) return false;
    host = url.host;
  } catch {
    return false;
  }
  if (publicUrl && new URL(publicUrl).origin === origin) return true;
  const hosts = [req.headers.host];
  const peer = req.socket.remoteAddress;
  const forwarded = req.headers['x-forwarded-host'];
  if (peer && trust(peer, 0) && typeof forwarded === 'string') {
    hosts.push(forwarded.split(',')[0]?.trim());
  }
  return hosts.some((h) => typeof h === 'string' && h.toLowerCase() === host);
}
