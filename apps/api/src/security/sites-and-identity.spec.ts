import { createHmac } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Events,
  type IdentitySecretResponse,
  type SendMessageResult,
  type Site,
  type SiteResponse,
  type SyncResult,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import { callApi, clientMessageId, handshake, rawWidget } from '../testing/security-clients';
import { emitAck, startTestApp, type TestApp, type Transport } from '../testing/test-app';

const SHOP = 'https://shop.example';
const EVIL = 'https://evil.example';
const FRAME_HTML = '<!doctype html><title>Chat</title><div id="root"></div>';

const hashFor = (secret: string, userId: string) =>
  createHmac('sha256', secret).update(userId).digest('hex');

describe.each(ENGINES)('sites and identity on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let widgetDist: string;

  beforeAll(async () => {
    widgetDist = await mkdtemp(join(tmpdir(), 'parley-widget-'));
    await mkdir(join(widgetDist, 'frame'));
    await writeFile(join(widgetDist, 'frame', 'index.html'), FRAME_HTML);
    t = await startTestApp(engine, { WIDGET_DIST: widgetDist });
    admin = await t.login();
  });

  afterAll(async () => {
    await t.close();
    await rm(widgetDist, { recursive: true, force: true });
  });

  async function createSite(body: Record<string, unknown>): Promise<Site> {
    const res = await callApi(t, 'POST', '/api/sites', { cookie: admin, body });
    expect(res.status).toBe(201);
    return (res.body as unknown as SiteResponse).site;
  }

  async function patchSite(id: string, body: Record<string, unknown>) {
    return callApi(t, 'PATCH', `/api/sites/${id}`, { cookie: admin, body });
  }

  /** A handshake from a page on `origin` itself (a page that connects without the frame). */
  function fromPage(siteKey: string, origin: string, transport: Transport) {
    return handshake(
      rawWidget(t, { auth: { siteKey }, headers: { origin }, transports: [transport] }),
    );
  }

  /** A handshake from the chat frame (Parley's own origin) embedded in a page on `pageOrigin`. */
  function fromFrame(siteKey: string, pageOrigin: string | undefined, extra = {}) {
    return handshake(
      rawWidget(t, {
        auth: { siteKey, ...(pageOrigin ? { pageOrigin } : {}), ...extra },
        headers: { origin: new URL(t.url).origin },
      }),
    );
  }

  it('lets admins create, list and edit sites, and validates what they send', async () => {
    const site = await createSite({ name: 'Shop', allowedOrigins: [SHOP] });
    expect(site).toMatchObject({
      name: 'Shop',
      publicKey: expect.stringMatching(/^pk_/),
      allowedOrigins: [SHOP],
      allowAnyOrigin: false,
      identity: { hasSecret: false, enforced: false },
    });
    const list = await callApi(t, 'GET', '/api/sites', { cookie: admin });
    expect((list.body.sites as Site[]).map((s) => s.id)).toContain(site.id);
    for (const bad of [
      { allowedOrigins: ['https://shop.example/path'] },
      { allowedOrigins: ['https://Shop.Example'] },
      { allowedOrigins: ['ftp://shop.example'] },
      { allowedOrigins: ['*'] },
      { allowedOrigins: Array.from({ length: 51 }, (_, i) => `https://s${i}.example`) },
      { allowAnyOrigin: 'yes' },
      { somethingElse: true },
    ]) {
      const res = await patchSite(site.id, bad);
      expect(res.status, JSON.stringify(bad).slice(0, 60)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    const enforceFirst = await patchSite(site.id, { enforceIdentity: true });
    expect(enforceFirst).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringMatching(/identity secret/) } },
    });
  });

  it.each(['polling', 'websocket'] as const)(
    'enforces the allowed origins at the widget handshake over %s',
    async (transport) => {
      const site = await createSite({ name: `Origins ${transport}`, allowedOrigins: [SHOP] });
      expect(await fromPage(site.publicKey, SHOP, transport)).toMatchObject({ ok: true });
      const refused = await fromPage(site.publicKey, EVIL, transport);
      expect(refused).toMatchObject({
        ok: false,
        code: 'ORIGIN_NOT_ALLOWED',
        message: expect.stringContaining(EVIL),
      });
      // The frame is on Parley's origin; the page it is embedded in is what counts.
      expect(await fromFrame(site.publicKey, SHOP)).toMatchObject({ ok: true });
      expect(await fromFrame(site.publicKey, EVIL)).toMatchObject({
        ok: false,
        code: 'ORIGIN_NOT_ALLOWED',
      });
      // Opened on its own (no embedding page), the frame is a Parley page.
      expect(await fromFrame(site.publicKey, undefined)).toMatchObject({ ok: true });
    },
  );

  it('treats an empty list as "no origin", and "any origin" only when an admin chose it', async () => {
    const site = await createSite({ name: 'Nothing yet' });
    expect(site).toMatchObject({ allowedOrigins: [], allowAnyOrigin: false });
    expect(await fromPage(site.publicKey, SHOP, 'polling')).toMatchObject({
      ok: false,
      code: 'ORIGIN_NOT_ALLOWED',
    });
    expect(await patchSite(site.id, { allowAnyOrigin: true })).toMatchObject({
      status: 200,
      body: { site: { allowAnyOrigin: true, allowedOrigins: [] } },
    });
    expect(await fromPage(site.publicKey, SHOP, 'polling')).toMatchObject({ ok: true });
    expect(await fromPage(site.publicKey, EVIL, 'websocket')).toMatchObject({ ok: true });
    await patchSite(site.id, { allowAnyOrigin: false, allowedOrigins: [] });
    expect(await fromPage(site.publicKey, SHOP, 'websocket')).toMatchObject({
      ok: false,
      code: 'ORIGIN_NOT_ALLOWED',
    });
  });

  it("sends the site's allowed origins as frame-ancestors on the frame's HTML", async () => {
    const site = await createSite({
      name: 'Framed',
      allowedOrigins: [SHOP, 'http://localhost:8080'],
    });
    const csp = async (query: string) => {
      const res = await fetch(`${t.url}/widget/${query}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(FRAME_HTML);
      return res.headers.get('content-security-policy') ?? '';
    };
    const listed = await csp(`?siteKey=${site.publicKey}&origin=${encodeURIComponent(SHOP)}`);
    expect(listed).toMatch(
      /(^|; )frame-ancestors 'self' https:\/\/shop\.example http:\/\/localhost:8080(;|$)/,
    );
    expect(listed).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(listed).not.toContain('unsafe-inline');
    expect(await csp(`index.html?siteKey=${site.publicKey}`)).toContain(
      "frame-ancestors 'self' https://shop.example",
    );
    await patchSite(site.id, { allowedOrigins: [] });
    expect(await csp(`?siteKey=${site.publicKey}`)).toMatch(/frame-ancestors 'self'(;|$)/);
    await patchSite(site.id, { allowAnyOrigin: true });
    expect(await csp(`?siteKey=${site.publicKey}`)).toMatch(/frame-ancestors 'self' http: https:/);
    for (const query of ['?siteKey=unknown-site', '?siteKey=%3Cscript%3E', '']) {
      expect(await csp(query)).toMatch(/frame-ancestors 'none'/);
    }
  });

  it('refuses the widget configuration to a page on another origin, readably', async () => {
    const site = await createSite({ name: 'Config', allowedOrigins: [SHOP] });
    const ok = await callApi(t, 'GET', `/api/widget/config?siteKey=${site.publicKey}`, {
      headers: { origin: SHOP },
    });
    expect(ok.status).toBe(200);
    const refused = await callApi(t, 'GET', `/api/widget/config?siteKey=${site.publicKey}`, {
      headers: { origin: EVIL },
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: 'ORIGIN_NOT_ALLOWED', message: expect.stringContaining(EVIL) } },
    });
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });

  describe('identity verification', () => {
    let site: Site;
    let secret: string;

    beforeAll(async () => {
      site = await createSite({ name: 'Identified', allowedOrigins: [SHOP] });
      const res = await callApi(t, 'POST', `/api/sites/${site.id}/identity-secret`, {
        cookie: admin,
      });
      expect(res.status).toBe(200);
      const body = res.body as unknown as IdentitySecretResponse;
      expect(body.site.identity).toEqual({ hasSecret: true, enforced: false });
      secret = body.secret;
      expect(
        (await callApi(t, 'GET', `/api/sites/${site.id}`, { cookie: admin })).body,
      ).not.toHaveProperty('site.secret');
    });

    const identify = (identity: Record<string, unknown>, visitorToken?: string) =>
      fromFrame(site.publicKey, SHOP, {
        identity,
        ...(visitorToken ? { visitorToken } : {}),
      });

    it("links a verified user to that user's conversations on every device", async () => {
      const userId = 'user-verified';
      const laptop = await identify({
        userId,
        email: 'ada@shop.example',
        name: 'Ada',
        userHash: hashFor(secret, userId),
      });
      if (!laptop.ok) throw new Error(laptop.code);
      expect(laptop.session).toMatchObject({ userId, name: 'Ada', email: 'ada@shop.example' });
      expect(laptop.session.visitorToken).toBeUndefined();
      const socket = rawWidget(t, {
        auth: {
          siteKey: site.publicKey,
          pageOrigin: SHOP,
          identity: { userId, userHash: hashFor(secret, userId) },
        },
      });
      await handshake(socket);
      const sent = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
        clientMessageId: clientMessageId(),
        body: 'where is my order?',
      });
      if (!sent.ok) throw new Error('send failed');
      // A second device, no token: the same user, the same history.
      const phone = await identify({ userId, userHash: hashFor(secret, userId).toUpperCase() });
      expect(phone).toMatchObject({
        ok: true,
        session: {
          visitorId: laptop.session.visitorId,
          conversations: [{ id: sent.data.conversationId }],
        },
      });
    });

    it('refuses a wrong hash, a hash for another user and a hash from an old secret', async () => {
      const userId = 'user-target';
      const first = await identify({ userId, userHash: hashFor(secret, userId) });
      if (!first.ok) throw new Error(first.code);
      for (const userHash of [
        hashFor(secret, 'someone-else'),
        hashFor('not-the-secret', userId),
        '0'.repeat(64),
      ]) {
        expect(await identify({ userId, userHash })).toMatchObject({
          ok: false,
          code: 'IDENTITY_NOT_VERIFIED',
          message: expect.stringContaining('userHash'),
        });
      }
      const malformed = await identify({ userId, userHash: 'not-hex' });
      expect(malformed).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      // Rotating the secret invalidates hashes made with the old one.
      const rotated = await callApi(t, 'POST', `/api/sites/${site.id}/identity-secret`, {
        cookie: admin,
      });
      const old = secret;
      secret = (rotated.body as unknown as IdentitySecretResponse).secret;
      expect(secret).not.toBe(old);
      expect(await identify({ userId, userHash: hashFor(old, userId) })).toMatchObject({
        ok: false,
        code: 'IDENTITY_NOT_VERIFIED',
      });
      expect(await identify({ userId, userHash: hashFor(secret, userId) })).toMatchObject({
        ok: true,
        session: { visitorId: first.session.visitorId },
      });
    });

    it('without enforcement, takes an unverified claim as details only, never as the user', async () => {
      const userId = 'user-claimed';
      const real = await identify({ userId, userHash: hashFor(secret, userId) });
      if (!real.ok) throw new Error(real.code);
      const socket = rawWidget(t, {
        auth: { siteKey: site.publicKey, identity: { userId, userHash: hashFor(secret, userId) } },
      });
      await handshake(socket);
      const sent = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
        clientMessageId: clientMessageId(),
        body: 'my account details',
      });
      if (!sent.ok) throw new Error('send failed');
      const claimed = await identify({ userId, name: 'Mallory', email: 'm@evil.example' });
      if (!claimed.ok) throw new Error(claimed.code);
      expect(claimed.session).toMatchObject({
        userId: null,
        name: 'Mallory',
        email: 'm@evil.example',
        conversations: [],
      });
      expect(claimed.session.visitorId).not.toBe(real.session.visitorId);
      const mallory = rawWidget(t, {
        auth: {
          siteKey: site.publicKey,
          visitorToken: claimed.session.visitorToken,
          identity: { userId },
        },
      });
      await handshake(mallory);
      const stolen = await emitAck<SyncResult>(mallory, Events.ConversationSync, {
        conversationId: sent.data.conversationId,
        afterSeq: 0,
      });
      expect(stolen).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });

    it('with enforcement, refuses a claim whose hash is missing or wrong, and admits a valid one', async () => {
      const userId = 'user-enforced';
      const before = await identify({ userId, userHash: hashFor(secret, userId) });
      if (!before.ok) throw new Error(before.code);
      const enforced = await patchSite(site.id, { enforceIdentity: true });
      expect(enforced.body).toMatchObject({ site: { identity: { enforced: true } } });
      const visitorsBefore = await t.prisma.visitor.count({ where: { siteId: site.id } });
      for (const identity of [
        { userId },
        { userId, name: 'Mallory', email: 'm@evil.example' },
        { userId, userHash: hashFor('guess', userId) },
      ]) {
        expect(await identify(identity), JSON.stringify(identity)).toMatchObject({
          ok: false,
          code: 'IDENTITY_NOT_VERIFIED',
        });
      }
      expect(await t.prisma.visitor.count({ where: { siteId: site.id } })).toBe(visitorsBefore);
      expect(await identify({ userId, userHash: hashFor(secret, userId) })).toMatchObject({
        ok: true,
        session: { visitorId: before.session.visitorId, userId },
      });
      // Visitors who claim no identity still chat anonymously.
      expect(await fromFrame(site.publicKey, SHOP)).toMatchObject({
        ok: true,
        session: { userId: null },
      });
      await patchSite(site.id, { enforceIdentity: false });
    });
  });
});
