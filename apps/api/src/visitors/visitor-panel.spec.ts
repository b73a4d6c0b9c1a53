import { createHmac } from 'node:crypto';
import {
  Events,
  type IdentitySecretResponse,
  type SendMessageResult,
  type SiteListResponse,
  type VisitorDetails,
  type VisitorDetailsResponse,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import { callApi, clientMessageId, handshake, rawWidget } from '../testing/security-clients';
import { SITE_KEY, emitAck, nextEvent, startTestApp, type TestApp } from '../testing/test-app';
import { externalReferrer } from './visitors.service';

describe('externalReferrer', () => {
  it('keeps a referrer from another site and drops one from the page’s own', () => {
    expect(externalReferrer('https://search.example/?q=x', 'https://shop.example/a')).toBe(
      'https://search.example/?q=x',
    );
    expect(externalReferrer('https://shop.example/b', 'https://shop.example/a')).toBeUndefined();
    expect(externalReferrer('', 'https://shop.example/a')).toBeUndefined();
    expect(externalReferrer('not a url', 'https://shop.example/a')).toBeUndefined();
  });
});

describe.each(ENGINES)('the visitor panel on %s', (engine) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.login();
  });

  afterAll(async () => {
    await t.close();
  });

  it('gives agents the visitor’s details and conversations, and follows its page live', async () => {
    const sites = (await callApi(t, 'GET', '/api/sites', { cookie: admin }))
      .body as unknown as SiteListResponse;
    const site = sites.sites.find((s) => s.publicKey === SITE_KEY);
    if (!site) throw new Error('no default site');
    const secret = (
      (await callApi(t, 'POST', `/api/sites/${site.id}/identity-secret`, { cookie: admin }))
        .body as unknown as IdentitySecretResponse
    ).secret;
    const userHash = createHmac('sha256', secret).update('user-7').digest('hex');
    const widget = rawWidget(t, {
      auth: {
        siteKey: SITE_KEY,
        pageUrl: 'https://shop.example/pricing',
        referrer: 'https://search.example/?q=chat',
        language: 'fr-FR',
        timeZone: 'Europe/Paris',
        identity: { userId: 'user-7', name: 'Ada', email: 'ada@example.com', userHash },
      },
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Firefox/121.0' },
    });
    const ready = await handshake(widget);
    if (!ready.ok) throw new Error(ready.message);
    await emitAck(widget, Events.VisitorUpdate, { attributes: { plan: 'pro', seats: 3 } });
    const first = await emitAck<SendMessageResult>(widget, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'hello',
    });
    if (!first.ok) throw new Error(first.error.message);

    const res = await callApi(t, 'GET', `/api/visitors/${ready.session.visitorId}`, {
      cookie: admin,
    });
    expect(res.status).toBe(200);
    const body = res.body as unknown as VisitorDetailsResponse;
    expect(body.visitor).toMatchObject({
      name: 'Ada',
      email: 'ada@example.com',
      verifiedUserId: 'user-7',
      pageUrl: 'https://shop.example/pricing',
      referrer: 'https://search.example/?q=chat',
      language: 'fr-FR',
      timeZone: 'Europe/Paris',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Firefox/121.0',
      attributes: { plan: 'pro', seats: 3 },
    });
    expect(body.conversations.map((c) => c.id)).toEqual([first.data.conversationId]);

    const agent = await t.connectAgent(admin);
    const updated = nextEvent<VisitorDetails>(agent, Events.VisitorUpdated);
    await emitAck(widget, Events.VisitorUpdate, { pageUrl: 'https://shop.example/checkout' });
    expect(await updated).toMatchObject({
      id: ready.session.visitorId,
      pageUrl: 'https://shop.example/checkout',
    });

    expect((await callApi(t, 'GET', `/api/visitors/${ready.session.visitorId}`)).status).toBe(401);
    expect((await callApi(t, 'GET', '/api/visitors/nobody', { cookie: admin })).status).toBe(404);
  });
});
