import { Events, type ReportResponse } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../common/ids';
import { seedConversation, type FixtureMessage } from '../testing/conversation-fixtures';
import { ENGINES } from '../testing/databases';
import { callApi } from '../testing/security-clients';
import { emitAck, startTestApp, type TestApp } from '../testing/test-app';
import { daysBetween } from './reports.service';

describe('daysBetween', () => {
  it('lists every day of the period, both ends included', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(daysBetween('2026-11-01', '2026-11-01')).toEqual(['2026-11-01']);
  });
});

/** 2026-11-`day` at hh:mm:ss UTC. */
const at = (day: number, hh: number, mm = 0, ss = 0) =>
  new Date(Date.UTC(2026, 10, day, hh, mm, ss));
const visitor = (when: Date): FixtureMessage => ({ kind: 'VISITOR', body: 'Hello?', at: when });
const agent = (when: Date, internal = false): FixtureMessage => ({
  kind: 'AGENT',
  body: internal ? 'note' : 'Hi!',
  at: when,
  internal,
});

describe.each(ENGINES)('GET /api/reports on %s', (engine) => {
  let t: TestApp;
  let adminCookie: string;
  let agentCookie: string;
  let beaId: string;
  let adminId: string;
  let siteA: string;
  let siteB: string;

  const report = async (query: string, cookie = adminCookie) => {
    const res = await callApi(t, 'GET', `/api/reports?${query}`, { cookie });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as unknown as ReportResponse;
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    await t.createAgent('AGENT', 'bea@example.com');
    adminCookie = await t.login();
    agentCookie = await t.login('bea@example.com');
    beaId = (await t.prisma.agent.findUniqueOrThrow({ where: { email: 'bea@example.com' } })).id;
    adminId = (await t.prisma.agent.findFirstOrThrow({ where: { role: 'ADMIN' } })).id;
    siteA = (await t.prisma.site.findFirstOrThrow()).id;
    siteB = newId();
    await t.prisma.site.create({
      data: { id: siteB, publicKey: 'site-b', name: 'B', allowedOrigins: [], widgetSettings: {} },
    });
    const seed = (fixture: Parameters<typeof seedConversation>[1]) =>
      seedConversation(t.prisma, fixture);
    // 1 November: three conversations.
    await seed({
      siteId: siteA,
      assigneeId: beaId,
      createdAt: at(1, 10),
      messages: [visitor(at(1, 10)), agent(at(1, 10, 2))], // first response 120 s
      status: 'RESOLVED',
      resolvedAt: at(1, 11), // 3,600 s
      satisfactionRating: 5,
    });
    await seed({
      siteId: siteA,
      assigneeId: adminId,
      createdAt: at(1, 12),
      // The internal note is no response: 600 s.
      messages: [visitor(at(1, 12)), agent(at(1, 12, 1), true), agent(at(1, 12, 10))],
      status: 'RESOLVED',
      resolvedAt: at(1, 14), // 7,200 s
      satisfactionRating: 3,
    });
    await seed({
      siteId: siteB,
      createdAt: at(1, 15),
      // The agent's greeting before the visitor wrote does not count: 60 s.
      messages: [agent(at(1, 15)), visitor(at(1, 15, 5)), agent(at(1, 15, 6))],
    });
    // 3 November: two conversations.
    await seed({
      siteId: siteA,
      assigneeId: beaId,
      createdAt: at(3, 9),
      messages: [visitor(at(3, 9))], // never answered
      status: 'RESOLVED',
      resolvedAt: at(3, 9, 30), // 1,800 s
      satisfactionRating: 4,
    });
    await seed({
      siteId: siteA,
      assigneeId: beaId,
      createdAt: at(3, 23, 59),
      messages: [visitor(at(3, 23, 59)), agent(at(4, 0, 4))], // 300 s, counted on its creation day
      status: 'OPEN', // resolved once, then opened again: not resolved
      resolvedAt: at(4, 1),
    });
    // Outside the period.
    for (const createdAt of [at(0, 23), at(4, 0, 30)]) {
      await seed({
        siteId: siteA,
        createdAt,
        messages: [visitor(createdAt), agent(new Date(createdAt.getTime() + 1_000))],
        status: 'RESOLVED',
        resolvedAt: new Date(createdAt.getTime() + 2_000),
        satisfactionRating: 1,
      });
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 401 without a session', async () => {
    const res = await callApi(t, 'GET', '/api/reports?from=2026-11-01&to=2026-11-03');
    expect(res.status).toBe(401);
  });

  it('computes the period and each day, days with nothing included', async () => {
    const res = await report('from=2026-11-01&to=2026-11-03');
    expect(res.totals).toEqual({
      conversations: 5,
      responded: 4,
      medianFirstResponseSeconds: 210, // 60, 120, 300, 600
      resolved: 3,
      medianResolutionSeconds: 3600, // 1,800, 3,600, 7,200
      ratings: 3,
      satisfactionAverage: 4,
    });
    expect(res.days).toEqual([
      {
        date: '2026-11-01',
        conversations: 3,
        responded: 3,
        medianFirstResponseSeconds: 120,
        resolved: 2,
        medianResolutionSeconds: 5400,
        ratings: 2,
        satisfactionAverage: 4,
      },
      {
        date: '2026-11-02',
        conversations: 0,
        responded: 0,
        medianFirstResponseSeconds: null,
        resolved: 0,
        medianResolutionSeconds: null,
        ratings: 0,
        satisfactionAverage: null,
      },
      {
        date: '2026-11-03',
        conversations: 2,
        responded: 1,
        medianFirstResponseSeconds: 300,
        resolved: 1,
        medianResolutionSeconds: 1800,
        ratings: 1,
        satisfactionAverage: 4,
      },
    ]);
    expect(res).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-03',
      siteId: null,
      agentId: null,
    });
  });

  it("counts each conversation on its day in the reader's time zone", async () => {
    const counts = async (timeZone: string) => {
      const res = await report(`from=2026-11-01&to=2026-11-03&timeZone=${timeZone}`);
      expect(res.timeZone).toBe(decodeURIComponent(timeZone));
      return res.days.map((d) => d.conversations);
    };
    expect(await counts('UTC')).toEqual([3, 0, 2]);
    // Paris is an hour ahead: 31 October 23:00 UTC is 1 November there, 3 November 23:59 UTC the 4th.
    expect(await counts('Europe%2FParis')).toEqual([4, 0, 1]);
    // New York is five hours behind (summer time ended on 1 November): 4 November 00:30 UTC is
    // still the 3rd there.
    expect(await counts('America%2FNew_York')).toEqual([3, 0, 3]);
  });

  it('narrows by site and by assignee, for agents as well as admins', async () => {
    const onB = await report(`from=2026-11-01&to=2026-11-03&siteId=${siteB}`, agentCookie);
    expect(onB.totals).toEqual({
      conversations: 1,
      responded: 1,
      medianFirstResponseSeconds: 60,
      resolved: 0,
      medianResolutionSeconds: null,
      ratings: 0,
      satisfactionAverage: null,
    });
    const bea = await report(`from=2026-11-01&to=2026-11-03&agentId=${beaId}`, agentCookie);
    expect(bea.totals).toEqual({
      conversations: 3,
      responded: 2,
      medianFirstResponseSeconds: 210, // 120, 300
      resolved: 2,
      medianResolutionSeconds: 2700, // 1,800, 3,600
      ratings: 2,
      satisfactionAverage: 4.5,
    });
    const both = await report(`from=2026-11-01&to=2026-11-01&agentId=${adminId}&siteId=${siteA}`);
    expect(both.totals).toMatchObject({ conversations: 1, medianFirstResponseSeconds: 600 });
    expect(both.days).toHaveLength(1);
  });

  it('refuses a period that is missing, reversed, too long or not a date with a clear 400', async () => {
    for (const query of [
      '',
      'from=2026-11-01',
      'from=2026-11-03&to=2026-11-01',
      'from=2025-01-01&to=2026-11-01',
      'from=2026-13-01&to=2026-13-02',
      'from=yesterday&to=today',
      'from=2026-11-01&to=2026-11-03&agentId=not%20an%20id',
      'from=2026-11-01&to=2026-11-03&siteId=%27%3B--',
      'from=2026-11-01&to=2026-11-03&timeZone=Mars%2FOlympus',
      'from=2026-11-01&to=2026-11-03&timeZone=%27%3B--',
    ]) {
      const res = await callApi(t, 'GET', `/api/reports?${query}`, { cookie: adminCookie });
      expect(res.status, query).toBe(400);
      expect(res.body, query).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('records when an agent resolves a conversation, and again after it reopens', async () => {
    const { conversationId } = await seedConversation(t.prisma, {
      siteId: siteA,
      messages: [visitor(new Date())],
    });
    const socket = await t.connectAgent(adminCookie);
    const before = Date.now();
    const resolved = await emitAck(socket, Events.ConversationUpdate, {
      conversationId,
      status: 'RESOLVED',
    });
    expect(resolved.ok).toBe(true);
    const first = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(first.resolvedAt?.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(first.resolvedAt?.getTime()).toBeLessThanOrEqual(Date.now() + 5);
    // Resolving what is resolved already keeps the time; reopening and resolving moves it.
    await emitAck(socket, Events.ConversationUpdate, { conversationId, status: 'RESOLVED' });
    const again = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(again.resolvedAt).toEqual(first.resolvedAt);
    await emitAck(socket, Events.ConversationUpdate, { conversationId, status: 'OPEN' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await emitAck(socket, Events.ConversationUpdate, { conversationId, status: 'RESOLVED' });
    const later = await t.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(later.resolvedAt?.getTime()).toBeGreaterThan(first.resolvedAt?.getTime() ?? 0);
  });
});
