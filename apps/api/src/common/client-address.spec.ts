import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../testing/test-app';
import { arrivedOverHttps, clientAddress, compileTrustedProxies } from './client-address';

function request(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers, connection: { remoteAddress: peer } } as never;
}

describe('client addresses behind proxies', () => {
  it('believes X-Forwarded-For only from a trusted proxy', () => {
    const loopback = compileTrustedProxies('loopback');
    expect(
      clientAddress(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), loopback),
    ).toBe('203.0.113.9');
    // A client that writes the header itself gets its own address.
    expect(
      clientAddress(request('198.51.100.7', { 'x-forwarded-for': '203.0.113.9' }), loopback),
    ).toBe('198.51.100.7');
    // Several hops: stops at the first address that is not a trusted proxy.
    const lan = compileTrustedProxies('loopback, 10.0.0.0/8');
    expect(
      clientAddress(
        request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9, 198.51.100.7, 10.1.2.3' }),
        lan,
      ),
    ).toBe('198.51.100.7');
  });

  it('trusts no one with an empty list', () => {
    const none = compileTrustedProxies('');
    expect(clientAddress(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), none)).toBe(
      '127.0.0.1',
    );
    expect(arrivedOverHttps(request('127.0.0.1', { 'x-forwarded-proto': 'https' }), none)).toBe(
      false,
    );
  });

  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    const loopback = compileTrustedProxies('loopback');
    expect(arrivedOverHttps(request('127.0.0.1', { 'x-forwarded-proto': 'https' }), loopback)).toBe(
      true,
    );
    expect(
      arrivedOverHttps(request('198.51.100.7', { 'x-forwarded-proto': 'https' }), loopback),
    ).toBe(false);
    expect(arrivedOverHttps(request('127.0.0.1', { 'x-forwarded-proto': 'http' }), loopback)).toBe(
      false,
    );
  });

  it('refuses an unreadable proxy list at start-up', () => {
    expect(() => compileTrustedProxies('not-an-address')).toThrow();
  });

  it.each([
    ['loopback', true],
    ['', false],
  ])(
    'marks the session cookie Secure behind a TLS-terminating proxy only when it is trusted (TRUSTED_PROXIES=%j)',
    async (trusted, secure) => {
      const t = await startTestApp('pglite', { TRUSTED_PROXIES: trusted });
      try {
        const res = await fetch(`${t.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
          body: JSON.stringify({ email: 'admin@example.com', password: 'correct-horse-battery' }),
        });
        expect(res.status).toBe(200);
        const cookie = res.headers.getSetCookie().join('\n');
        expect(/;\s*Secure/i.test(cookie)).toBe(secure);
      } finally {
        await t.close();
      }
    },
  );
});
