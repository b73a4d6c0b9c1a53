import { Events, type SendMessageResult } from '@parley/protocol';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { ENGINES } from '../testing/databases';
import {
  agentHandshake,
  callApi,
  clientMessageId,
  handshake,
  rawWidget,
  testIp,
} from '../testing/security-clients';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  SITE_KEY,
  emitAck,
  startTestApp,
  trackSocket,
  type TestApp,
} from '../testing/test-app';

const LIMITS = {
  LIMIT_CONNECTIONS_PER_IP: '3/1m',
  LIMIT_MESSAGES_PER_VISITOR_SOCKET: '5/1m',
  LIMIT_CONVERSATIONS_PER_IP: '2/1h',
  LIMIT_UPLOADS_PER_IP: '3/10m',
  LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3/15m',
  LIMIT_LOGIN_FAILURES_PER_IP: '4/15m',
};

describe('rate limit settings', () => {
  it('have defaults and can be changed or switched off', () => {
    const defaults = loadConfig({});
    expect(defaults.LIMIT_CONVERSATIONS_PER_IP).toEqual({ limit: 10, windowMs: 3_600_000 });
    expect(defaults.LIMIT_MESSAGES_PER_VISITOR_SOCKET).toEqual({ limit: 30, windowMs: 60_000 });
    expect(defaults.LIMIT_CONNECTIONS_PER_IP).toEqual({ limit: 60, windowMs: 60_000 });
    expect(defaults.LIMIT_LOGIN_FAILURES_PER_ACCOUNT).toEqual({ limit: 5, windowMs: 900_000 });
    expect(defaults.LIMIT_UPLOADS_PER_IP).toEqual({ limit: 30, windowMs: 600_000 });
    const custom = loadConfig({
      LIMIT_CONVERSATIONS_PER_IP: '6/12h',
      LIMIT_CONNECTIONS_PER_IP: 'off',
    });
    expect(custom.LIMIT_CONVERSATIONS_PER_IP).toEqual({ limit: 6, windowMs: 12 * 3_600_000 });
    expect(custom.LIMIT_CONNECTIONS_PER_IP).toBeNull();
    expect(() => loadConfig({ LIMIT_MESSAGES_PER_VISITOR_SOCKET: 'lots' })).toThrow(
      /LIMIT_MESSAGES_PER_VISITOR_SOCKET: "<count>\/<window>"/,
    );
  });
});

describe.each(ENGINES)('abuse limits on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine, LIMITS);
  });

  afterAll(async () => {
    await t.close();
  });

  /** A visitor connected from `ip`, with its session. */
  async function visitorFrom(ip: string, visitorToken?: string) {
    const socket = rawWidget(t, {
      auth: { siteKey: SITE_KEY, ...(visitorToken ? { visitorToken } : {}) },
      headers: { 'x-forwarded-for': ip },
    });
    const outcome = await handshake(socket);
    if (!outcome.ok) throw new Error(`handshake refused: ${outcome.code}`);
    return { socket, session: outcome.session };
  }

  it('refuses new connections from one IP past the limit, with a clear error, and keeps the others', async () => {
    const ip = testIp();
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await visitorFrom(ip));
    const refused = await handshake(
      rawWidget(t, { auth: { siteKey: SITE_KEY }, headers: { 'x-forwarded-for': ip } }),
    );
    expect(refused).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      message: expect.stringMatching(
        /^Too many new connections from your network\. Try again in \d+ (second|minute)s?\.$/,
      ),
      retryAfterMs: expect.any(Number),
    });
    if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    // The connections already open carry on.
    for (const { socket } of open) {
      expect(socket.connected).toBe(true);
      const list = await emitAck(socket, Events.ConversationList, {});
      expect(list).toEqual({ ok: true, data: { conversations: [] } });
    }
    // Another address is not affected.
    await expect(visitorFrom(testIp())).resolves.toMatchObject({ session: expect.any(Object) });
  });

  it('counts console connections too', async () => {
    const cookie = await t.login();
    const ip = testIp();
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      const socket = io(`${t.url}/agent`, {
        reconnection: false,
        forceNew: true,
        extraHeaders: { cookie, 'x-forwarded-for': ip },
      });
      trackSocket(socket);
      outcomes.push(await agentHandshake(socket));
    }
    expect(outcomes).toEqual([
      { ok: true },
      { ok: true },
      { ok: true },
      { ok: false, code: 'RATE_LIMITED' },
    ]);
  });

  it('limits messages per visitor socket with a failed ack, and the socket and data survive', async () => {
    const { socket, session } = await visitorFrom(testIp());
    const acks = [];
    for (let i = 0; i < 6; i++) {
      acks.push(
        await emitAck<SendMessageResult>(socket, Events.MessageSend, {
          clientMessageId: clientMessageId(),
          body: `burst ${i}`,
        }),
      );
    }
    expect(acks.slice(0, 5).every((a) => a.ok)).toBe(true);
    expect(acks[5]).toMatchObject({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(
          /^You are sending messages too quickly\. Wait \d+ (second|minute)s? and try again\.$/,
        ),
        retryAfterMs: expect.any(Number),
      },
    });
    expect(socket.connected).toBe(true);
    const stored = await t.prisma.message.findMany({
      where: { conversation: { visitorId: session.visitorId } },
      orderBy: { seq: 'asc' },
    });
    expect(stored.map((m) => m.body)).toEqual([
      'burst 0',
      'burst 1',
      'burst 2',
      'burst 3',
      'burst 4',
    ]);
    // The limit is per socket: the same visitor on a new connection may write again.
    const again = await visitorFrom(testIp(), session.visitorToken);
    const next = await emitAck<SendMessageResult>(again.socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'after reconnecting',
    });
    expect(next).toMatchObject({ ok: true, data: { seq: 6 } });
  });

  it('limits new conversations per IP, and still lets those visitors write in their own', async () => {
    const ip = testIp();
    const first = await visitorFrom(ip);
    const second = await visitorFrom(ip);
    for (const { socket } of [first, second]) {
      const sent = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
        clientMessageId: clientMessageId(),
        body: 'a new conversation',
      });
      expect(sent).toMatchObject({ ok: true, data: { seq: 1 } });
    }
    const third = await visitorFrom(ip);
    const refused = await emitAck<SendMessageResult>(third.socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'one too many',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(
          /^Too many new conversations from your network\. Try again in \d+ (minute|hour)s?\.$/,
        ),
      },
    });
    expect(third.socket.connected).toBe(true);
    expect(
      await t.prisma.conversation.count({ where: { visitorId: third.session.visitorId } }),
    ).toBe(0);
    // Writing in an existing conversation is not a new one.
    const more = await emitAck<SendMessageResult>(first.socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'a follow-up',
    });
    expect(more).toMatchObject({ ok: true, data: { seq: 2 } });
    // Another network may start one.
    const elsewhere = await visitorFrom(testIp(), third.session.visitorToken);
    const started = await emitAck<SendMessageResult>(elsewhere.socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'from another network',
    });
    expect(started).toMatchObject({ ok: true, data: { seq: 1 } });
  });

  it('limits the files visitors upload per IP with a 429 and stores nothing more; agents are not counted', async () => {
    const ip = testIp();
    const { session } = await visitorFrom(ip);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('x'),
    ]);
    const upload = (headers: Record<string, string>) =>
      fetch(`${t.url}/api/attachments?name=a.png`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', ...headers },
        body: png,
      });
    const visitor = {
      authorization: `Bearer ${session.visitorToken ?? ''}`,
      'x-forwarded-for': ip,
    };
    for (let i = 0; i < 3; i++) expect((await upload(visitor)).status).toBe(201);
    const before = await t.prisma.attachment.count();
    const refused = await upload(visitor);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(
          /^Too many files sent from your network\. Try again in \d+ (second|minute)s?\.$/,
        ),
      },
    });
    expect(await t.prisma.attachment.count()).toBe(before);
    // Another network may upload; so may an agent from the same one.
    expect((await upload({ ...visitor, 'x-forwarded-for': testIp() })).status).toBe(201);
    const cookie = await t.login();
    expect((await upload({ cookie, 'x-forwarded-for': ip })).status).toBe(201);
  });

  it('backs off failed sign-ins per account, whatever the address', async () => {
    const email = 'backoff-account@example.com';
    await t.createAgent('AGENT', email, 'the-real-password');
    const attempt = (password: string) =>
      callApi(t, 'POST', '/api/auth/login', {
        body: { email, password },
        headers: { 'x-forwarded-for': testIp() },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(`guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await attempt('the-real-password');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(
          /^Too many failed sign-in attempts\. Try again in 1 minute\.$/,
        ),
        retryAfterMs: expect.any(Number),
      },
    });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(50);
    // Other accounts are not affected.
    const admin = await callApi(t, 'POST', '/api/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      headers: { 'x-forwarded-for': testIp() },
    });
    expect(admin.status).toBe(200);
  });

  it('backs off failed sign-ins per IP, across accounts', async () => {
    const ip = testIp();
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await callApi(t, 'POST', '/api/auth/login', {
        body: { email: `nobody-${i}@example.com`, password: 'guess' },
        headers: { 'x-forwarded-for': ip },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401]);
    const fromThatIp = await callApi(t, 'POST', '/api/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      headers: { 'x-forwarded-for': ip },
    });
    expect(fromThatIp).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    const fromElsewhere = await callApi(t, 'POST', '/api/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      headers: { 'x-forwarded-for': testIp() },
    });
    expect(fromElsewhere.status).toBe(200);
  });
});
