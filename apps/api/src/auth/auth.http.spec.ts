import { Limits } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../testing/test-app';

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    headers: res.headers,
  };
}

describe.each(ENGINES)('REST API on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine);
  });

  afterAll(async () => {
    await t.close();
  });

  it('signs in with the right password and sets an httpOnly SameSite cookie', async () => {
    const res = await post(`${t.url}/api/auth/login`, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agent: { email: ADMIN_EMAIL, role: 'ADMIN' } });
    expect(res.body).not.toHaveProperty('agent.passwordHash');
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^parley_session=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('answers bad sign-ins with a status and a JSON error', async () => {
    const wrong = await post(`${t.url}/api/auth/login`, {
      email: ADMIN_EMAIL,
      password: 'not-the-password',
    });
    expect(wrong).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'Wrong email or password.' } },
    });
    const unknown = await post(`${t.url}/api/auth/login`, {
      email: 'nobody@example.com',
      password: 'whatever',
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    const missing = await post(`${t.url}/api/auth/login`, { email: ADMIN_EMAIL });
    expect(missing).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', details: { password: expect.any(String) } } },
    });
    const types = await post(`${t.url}/api/auth/login`, { email: 5, password: [] });
    expect(types.status).toBe(400);
    expect(Object.keys((types.body.error as { details: object }).details).sort()).toEqual([
      'email',
      'password',
    ]);
    const notJson = await post(`${t.url}/api/auth/login`, '{"email": ');
    expect(notJson).toMatchObject({
      status: 400,
      body: {
        error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' },
      },
    });
    const huge = await post(`${t.url}/api/auth/login`, {
      email: ADMIN_EMAIL,
      password: 'x'.repeat(Limits.restBodyMaxBytes + 10),
    });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    // The server is still fine and the right password still works.
    expect(
      (await post(`${t.url}/api/auth/login`, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('slows down password guessing per account', async () => {
    const email = 'guessed@example.com';
    await t.createAgent('AGENT', email, 'the-real-password');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await post(`${t.url}/api/auth/login`, { email, password: `guess-${i}` })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await post(`${t.url}/api/auth/login`, { email, password: 'the-real-password' });
    expect(blocked).toMatchObject({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: expect.stringContaining('Try again') } },
    });
  });

  it('knows the agent behind the cookie and forgets it after logout', async () => {
    const cookie = await t.login();
    const me = await fetch(`${t.url}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ agent: { email: ADMIN_EMAIL } });
    const out = await post(`${t.url}/api/auth/logout`, {}, { cookie });
    expect(out).toMatchObject({ status: 200, body: { ok: true } });
    expect(out.headers.getSetCookie()[0]).toMatch(/parley_session=;.*Max-Age=0/);
    const after = await fetch(`${t.url}/api/me`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses conversations to anyone without a session and validates their parameters', async () => {
    expect((await fetch(`${t.url}/api/conversations`)).status).toBe(401);
    const forged = await fetch(`${t.url}/api/conversations`, {
      headers: { cookie: 'parley_session=forged' },
    });
    expect(forged.status).toBe(401);
    const cookie = await t.login();
    const list = await fetch(`${t.url}/api/conversations`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(await list.json()).toHaveProperty('conversations');
    const badStatus = await fetch(`${t.url}/api/conversations?status=DELETED`, {
      headers: { cookie },
    });
    expect(badStatus.status).toBe(400);
    const badSeq = await fetch(`${t.url}/api/conversations/abc/messages?afterSeq=-3`, {
      headers: { cookie },
    });
    expect(badSeq.status).toBe(400);
    expect(await badSeq.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { afterSeq: expect.any(String) } },
    });
    const missing = await fetch(`${t.url}/api/conversations/nope/messages`, {
      headers: { cookie },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('serves the public widget config to any origin, and a clear error for unknown sites', async () => {
    const ok = await fetch(`${t.url}/api/widget/config?siteKey=test-site`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(await ok.json()).toMatchObject({
      siteKey: 'test-site',
      widget: { title: expect.any(String), color: expect.stringMatching(/^#/) },
      transport: { mode: 'auto', transports: ['polling', 'websocket'], upgrade: true },
    });
    const unknown = await fetch(`${t.url}/api/widget/config?siteKey=nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_SITE' } });
    const missing = await fetch(`${t.url}/api/widget/config`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { siteKey: expect.any(String) } },
    });
  });

  it('reports health and readiness', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: { ok: true } });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await fetch(`${t.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
