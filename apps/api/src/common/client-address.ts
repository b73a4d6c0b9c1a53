import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * Which peers may speak for the client through `X-Forwarded-*`: a comma-separated list of
 * addresses, CIDR ranges or the names `loopback`, `linklocal` and `uniquelocal`; empty trusts none.
 */
export function compileTrustedProxies(list: string): TrustProxy {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return proxyAddr.compile(entries);
}

/** The client's IP: the peer's address, or the forwarded one when every hop in between is trusted. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  if (!req.socket.remoteAddress) return 'unknown';
  return proxyAddr(req, trust);
}

/** Whether the client reached the edge over HTTPS (a trusted proxy's `X-Forwarded-Proto`). */
export function arrivedOverHttps(req: IncomingMessage, trust: TrustProxy): boolean {
  if ('encrypted' in req.socket && req.socket.encrypted) return true;
  const peer = req.socket.remoteAddress;
  if (!peer || !trust(peer, 0)) return false;
  const header = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
  return proto === 'https';
}
