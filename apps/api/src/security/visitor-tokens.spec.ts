import { createHmac } from 'node:crypto';
import {
  Events,
  type IdentitySecretResponse,
  type SendMessageResult,
  type SiteResponse,
} from '@parley/protocol';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { ENGINES } from '../testing/databases';
import { callApi, clientMessageId, handshake, rawWidget } from '../testing/security-clients';
import { SITE_KEY, emitAck, startTestApp, type TestApp } from '../testing/test-app';

const DAY = 86_400_000;

function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('disconnect', (reason) => {
      resolve(reason);
    });
  });
}

describe('visitor token settings', () => {
  it('expire after 30 idle days unless configured', () => {
    expect(loadConfig({}).VISITOR_TOKEN_IDLE_DAYS).toBe(30);
    expect(loadConfig({ VISITOR_TOKEN_IDLE_DAYS: '7' }).VISITOR_TOKEN_IDLE_DAYS).toBe(7);
    expect(() => loadConfig({ VISITOR_TOKEN_IDLE_DAYS: '0' })).toThrow(/VISITOR_TOKEN_IDLE_DAYS/);
  });
});

describe.each(ENGINES)('visitor tokens on %s', (engine) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { VISITOR_TOKEN_IDLE_DAYS: '7' });
    admin = await t.login();
  });

  afterAll(async () => {
    await t.close();
  });

  const reconnect = (visitorToken: string | undefined, siteKey = SITE_KEY) =>
    handshake(rawWidget(t, { auth: { siteKey, ...(visitorToken ? { visitorToken } : {}) } }));

  it('stops accepting a token left unused longer than the idle time', async () => {
    const { session, socket } = await t.connectWidget();
    const sent = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'before going quiet',
    });
    expect(sent.ok).toBe(true);
    socket.disconnect();
    const setIdle = (days: number) =>
      t.prisma.visitor.update({
        where: { id: session.visitorId },
        data: { lastSeenAt: new Date(Date.now() - days * DAY) },
      });
    // Within the idle time the token works, and using it restarts the clock.
    await setIdle(6.9);
    expect(await reconnect(session.visitorToken)).toMatchObject({
      ok: true,
      session: { visitorId: session.visitorId },
    });
    const touched = await t.prisma.visitor.findUniqueOrThrow({ where: { id: session.visitorId } });
    expect(Date.now() - (touched.lastSeenAt?.getTime() ?? 0)).toBeLessThan(60_000);
    await setIdle(7.1);
    expect(await reconnect(session.visitorToken)).toMatchObject({
      ok: false,
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/expired/),
    });
    // The widget then starts afresh: a new visitor, who does not see the old conversation.
    const fresh = await reconnect(undefined);
    expect(fresh).toMatchObject({ ok: true, session: { conversations: [] } });
    if (fresh.ok) expect(fresh.session.visitorId).not.toBe(session.visitorId);
    // The old conversation is still there for the agents.
    expect(
      await t.prisma.message.count({ where: { conversation: { visitorId: session.visitorId } } }),
    ).toBe(1);
  });

  it.each(['polling', 'websocket'] as const)(
    'lets an admin revoke a visitor: its live connection closes at once and its token stops working (%s)',
    async (transport) => {
      const { session, socket } = await t.connectWidget({ transports: [transport] });
      const sent = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
        clientMessageId: clientMessageId(),
        body: 'please help',
      });
      expect(sent.ok).toBe(true);
      const closed = disconnected(socket);
      const started = Date.now();
      const res = await callApi(t, 'POST', `/api/visitors/${session.visitorId}/revoke`, {
        cookie: admin,
      });
      expect(res).toMatchObject({
        status: 200,
        body: { visitor: { id: session.visitorId, revokedAt: expect.any(String) } },
      });
      expect(await closed).toBe('io server disconnect');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await reconnect(session.visitorToken)).toMatchObject({
        ok: false,
        code: 'UNAUTHORIZED',
        message: expect.stringMatching(/ended/),
      });
      // The conversation is kept for the agents.
      expect(
        await t.prisma.message.count({ where: { conversation: { visitorId: session.visitorId } } }),
      ).toBe(1);
    },
  );

  it('refuses every event of a revoked visitor whose connection is still open', async () => {
    const { session, socket } = await t.connectWidget();
    // Revoked behind the connection's back (as when the node that held it missed the news).
    await t.prisma.visitor.update({
      where: { id: session.visitorId },
      data: { revokedAt: new Date() },
    });
    const closed = disconnected(socket);
    const res = await emitAck(socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'still here?',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await closed).toBe('io server disconnect');
    expect(await t.prisma.conversation.count({ where: { visitorId: session.visitorId } })).toBe(0);
  });

  it('unlinks a revoked verified user: the next verified visit starts without that history', async () => {
    const created = await callApi(t, 'POST', '/api/sites', {
      cookie: admin,
      body: { name: 'Revocation', allowAnyOrigin: true },
    });
    const site = (created.body as unknown as SiteResponse).site;
    const secretRes = await callApi(t, 'POST', `/api/sites/${site.id}/identity-secret`, {
      cookie: admin,
    });
    const { secret } = secretRes.body as unknown as IdentitySecretResponse;
    const identity = {
      userId: 'user-7',
      userHash: createHmac('sha256', secret).update('user-7').digest('hex'),
    };
    const socket = rawWidget(t, { auth: { siteKey: site.publicKey, identity } });
    const first = await handshake(socket);
    if (!first.ok) throw new Error(first.code);
    await emitAck(socket, Events.MessageSend, { clientMessageId: clientMessageId(), body: 'hi' });
    const closed = disconnected(socket);
    await callApi(t, 'POST', `/api/visitors/${first.session.visitorId}/revoke`, { cookie: admin });
    await closed;
    const next = await handshake(rawWidget(t, { auth: { siteKey: site.publicKey, identity } }));
    expect(next).toMatchObject({ ok: true, session: { userId: 'user-7', conversations: [] } });
    if (next.ok) expect(next.session.visitorId).not.toBe(first.session.visitorId);
  });
});
