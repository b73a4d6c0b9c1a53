import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import { agentHandshake, callApi } from '../testing/security-clients';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startTestApp,
  trackSocket,
  type TestApp,
} from '../testing/test-app';

const CONSOLE_HTML =
  '<!doctype html><title>Parley console</title><script type="module" src="/assets/app.js"></script>';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name ?? '', values]),
  );
}

describe.each(ENGINES)('web security on %s', (engine) => {
  let t: TestApp;
  let secureApp: TestApp;
  let consoleDist: string;

  beforeAll(async () => {
    consoleDist = await mkdtemp(join(tmpdir(), 'parley-console-'));
    await writeFile(join(consoleDist, 'index.html'), CONSOLE_HTML);
    t = await startTestApp(engine, { CONSOLE_DIST: consoleDist });
    secureApp = await startTestApp(engine, { COOKIE_SECURE: 'true' });
  });

  afterAll(async () => {
    await t.close();
    await secureApp.close();
    await rm(consoleDist, { recursive: true, force: true });
  });

  const signIn = (app: TestApp, headers: Record<string, string> = {}) =>
    callApi(app, 'POST', '/api/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      headers,
    });

  const cookieOf = (res: { headers: Headers }) => res.headers.getSetCookie()[0] ?? '';

  it('sets the session cookie httpOnly and SameSite, and Secure when served over HTTPS', async () => {
    const plain = cookieOf(await signIn(t));
    expect(plain).toMatch(/; HttpOnly/);
    expect(plain).toMatch(/; SameSite=Lax/);
    expect(plain).not.toMatch(/; Secure/);
    // Over HTTPS as a trusted proxy reports it (TRUSTED_PROXIES includes loopback by default).
    const https = cookieOf(await signIn(t, { 'x-forwarded-proto': 'https' }));
    expect(https).toMatch(/; HttpOnly/);
    expect(https).toMatch(/; Secure/);
    // Forced by COOKIE_SECURE, for a balancer that terminates TLS without saying so.
    const forced = await signIn(secureApp);
    expect(cookieOf(forced)).toMatch(/; Secure/);
    const cookie = cookieOf(forced).split(';')[0] ?? '';
    const out = await callApi(secureApp, 'POST', '/api/auth/logout', { cookie, body: {} });
    expect(cookieOf(out)).toMatch(
      /^parley_session=; Max-Age=0;.*; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('refuses state-changing REST calls from other origins (CSRF), and changes nothing', async () => {
    const own = new URL(t.url).origin;
    const cookie = await t.login();
    const evil: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      // A sibling subdomain is the same site for SameSite cookies, but not the same origin.
      { 'sec-fetch-site': 'same-site', origin: 'http://other.localhost' },
    ];
    for (const headers of evil) {
      const label = JSON.stringify(headers);
      const put = await callApi(t, 'PUT', '/api/settings/transport', {
        cookie,
        body: { mode: 'polling' },
        headers,
      });
      expect(put.status, label).toBe(403);
      expect(put.body, label).toMatchObject({
        error: { code: 'ORIGIN_NOT_ALLOWED', message: expect.stringMatching(/was refused/) },
      });
      const login = await signIn(t, headers);
      expect(login.status, label).toBe(403);
      expect(login.headers.getSetCookie()).toEqual([]);
      const logout = await callApi(t, 'POST', '/api/auth/logout', { cookie, body: {}, headers });
      expect(logout.status, label).toBe(403);
    }
    expect((await callApi(t, 'GET', '/api/config')).body).toMatchObject({
      transport: { mode: 'auto' },
    });
    expect((await callApi(t, 'GET', '/api/me', { cookie })).status).toBe(200);
    // The console itself (same origin) goes through; so do reads from anywhere.
    const same = await callApi(t, 'PUT', '/api/settings/transport', {
      cookie,
      body: { mode: 'auto' },
      headers: { origin: own, 'sec-fetch-site': 'same-origin' },
    });
    expect(same.status).toBe(200);
    const read = await callApi(t, 'GET', '/api/me', {
      cookie,
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(read.status).toBe(200);
  });

  it("refuses a console socket opened from another site's page, even with the cookie", async () => {
    const cookie = await t.login();
    for (const transport of ['polling', 'websocket'] as const) {
      const outcome = async (origin: string) => {
        const socket = io(`${t.url}/agent`, {
          transports: [transport],
          reconnection: false,
          forceNew: true,
          extraHeaders: { cookie, origin },
        });
        trackSocket(socket);
        return agentHandshake(socket);
      };
      expect(await outcome('https://evil.example')).toEqual({
        ok: false,
        code: 'ORIGIN_NOT_ALLOWED',
      });
      expect(await outcome(new URL(t.url).origin)).toEqual({ ok: true });
    }
  });

  it('serves the console with a CSP without inline scripts, never framed', async () => {
    for (const path of ['/', '/conversations/some-id', '/settings/transport']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(CONSOLE_HTML);
      const csp = directives(res.headers.get('content-security-policy') ?? '');
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
