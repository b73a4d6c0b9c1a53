import type { SearchResponse, SearchResult } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../common/ids';
import { seedConversation } from '../testing/conversation-fixtures';
import { ENGINES } from '../testing/databases';
import { callApi } from '../testing/security-clients';
import { startTestApp, type TestApp } from '../testing/test-app';
import { highlightVisitor, snippetOf, toTsQuery } from './search.service';

describe('search helpers', () => {
  it('asks for every word, as a prefix from two letters on', () => {
    expect(toTsQuery(['refund', 'a', 'or'])).toBe('refund:* & a & or:*');
  });

  it('shows a message around its first match, marking every matching word', () => {
    expect(snippetOf('We will  refund\nyour refunds, Refundville!', ['refund'])).toEqual([
      { text: 'We will ', match: false },
      { text: 'refund', match: true },
      { text: ' your ', match: false },
      { text: 'refunds', match: true },
      { text: ', ', match: false },
      { text: 'Refundville', match: true },
      { text: '!', match: false },
    ]);
    const long = `${'word '.repeat(100)}refund ${'tail '.repeat(100)}`;
    const segments = snippetOf(long, ['refund']);
    const text = segments.map((s) => s.text).join('');
    expect(text.startsWith('…word')).toBe(true);
    expect(text.endsWith('tail …')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(165);
    expect(segments.filter((s) => s.match)).toEqual([{ text: 'refund', match: true }]);
  });

  it('marks the words of a name or email that start with a search term', () => {
    expect(highlightVisitor('Ada Lovelace · ada@shop.example', ['lov', 'shop'])).toEqual([
      { text: 'Ada ', match: false },
      { text: 'Lovelace', match: true },
      { text: ' · ada@', match: false },
      { text: 'shop', match: true },
      { text: '.example', match: false },
    ]);
  });
});

describe.each(ENGINES)('GET /api/search on %s', (engine) => {
  let t: TestApp;
  let cookie: string;
  let agentCookie: string;
  let siteId: string;
  let otherSiteId: string;
  const ids: Record<string, string> = {};

  const search = async (query: string, who = cookie) =>
    callApi(t, 'GET', `/api/search?${query}`, { cookie: who });
  const found = async (query: string): Promise<SearchResponse> => {
    const res = await search(query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as unknown as SearchResponse;
  };
  const idsOf = (results: SearchResult[]) => results.map((r) => r.conversation.id);

  beforeAll(async () => {
    t = await startTestApp(engine);
    await t.createAgent('AGENT', 'bea@example.com');
    cookie = await t.login();
    agentCookie = await t.login('bea@example.com');
    siteId = (await t.prisma.site.findFirstOrThrow()).id;
    otherSiteId = newId();
    await t.prisma.site.create({
      data: {
        id: otherSiteId,
        publicKey: 'other-site',
        name: 'Other shop',
        allowedOrigins: [],
        widgetSettings: {},
      },
    });
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 12));
    ids.ada = (
      await seedConversation(t.prisma, {
        siteId,
        visitor: { name: 'Ada Lovelace', email: 'ada@shop.example' },
        createdAt: day(1),
        messages: [
          { kind: 'VISITOR', body: 'Where is my parcel?' },
          { kind: 'VISITOR', body: 'I would like a refund for order 1234' },
          { kind: 'AGENT', body: 'Refund approved by finance', internal: true },
        ],
      })
    ).conversationId;
    ids.bob = (
      await seedConversation(t.prisma, {
        siteId: otherSiteId,
        visitor: { name: 'Bob Martin', email: 'bob@other.example' },
        status: 'RESOLVED',
        createdAt: day(2),
        messages: [
          { kind: 'VISITOR', body: 'Refund, refund, refund: the refund never came.' },
          { kind: 'AGENT', body: 'Sorry about that, it is on its way.' },
        ],
      })
    ).conversationId;
    ids.friend = (
      await seedConversation(t.prisma, {
        siteId,
        createdAt: day(3),
        messages: [{ kind: 'VISITOR', body: 'My friend Ada recommended your shoes' }],
      })
    ).conversationId;
    ids.markup = (
      await seedConversation(t.prisma, {
        siteId,
        visitor: { name: 'Mallory' },
        createdAt: day(4),
        messages: [
          {
            kind: 'VISITOR',
            body: '<img src=x onerror=alert(1)> invoice <b>please</b> thanks',
          },
        ],
      })
    ).conversationId;
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 401 without a session', async () => {
    const res = await callApi(t, 'GET', '/api/search?q=refund');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('finds conversations by visitor name, by email and by message text, for any agent', async () => {
    expect(idsOf((await found('q=lovel')).results)).toEqual([ids.ada]);
    expect(idsOf((await found('q=ada%40shop.example')).results)).toEqual([ids.ada]);
    expect(idsOf((await found('q=shop.example')).results)).toEqual([ids.ada]);
    expect(idsOf((await found('q=parcel')).results)).toEqual([ids.ada]);
    const asAgent = await search('q=martin', agentCookie);
    expect(asAgent.status).toBe(200);
    expect(idsOf((asAgent.body as unknown as SearchResponse).results)).toEqual([ids.bob]);
  });

  it('ranks a visitor match above a mention in a message', async () => {
    const res = await found('q=ada');
    expect(idsOf(res.results)).toEqual([ids.ada, ids.friend]);
    expect(res.results[0]?.snippet).toMatchObject({ source: 'visitor', seq: null });
    expect(res.results[0]?.snippet.segments).toContainEqual({ text: 'Ada', match: true });
    expect(res.results[1]?.snippet).toMatchObject({ source: 'message', seq: 1 });
  });

  it('ranks the conversation whose message says it most first and counts every matching message, notes included', async () => {
    const res = await found('q=refund');
    expect(idsOf(res.results)).toEqual([ids.bob, ids.ada]);
    expect(res.total).toBe(2);
    expect(res.results[0]?.messageHits).toBe(1);
    expect(res.results[1]?.messageHits).toBe(2);
    const snippet = res.results[1]?.snippet;
    expect(snippet?.source).toBe('message');
    expect(snippet?.segments.filter((s) => s.match).map((s) => s.text.toLowerCase())).toEqual([
      'refund',
    ]);
  });

  it('needs every word, in one message or in the name and email', async () => {
    expect(idsOf((await found('q=refund+order')).results)).toEqual([ids.ada]);
    expect(idsOf((await found('q=ada+lovelace')).results)).toEqual([ids.ada]);
    expect((await found('q=refund+shoes')).results).toEqual([]);
  });

  it('returns markup in a message as the text it is', async () => {
    const res = await found('q=invoice');
    expect(idsOf(res.results)).toEqual([ids.markup]);
    const segments = res.results[0]?.snippet.segments ?? [];
    expect(segments.map((s) => s.text).join('')).toContain('<img src=x onerror=alert(1)>');
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['invoice']);
    expect(segments.map((s) => s.text).join('')).toBe(
      '<img src=x onerror=alert(1)> invoice <b>please</b> thanks',
    );
  });

  it('narrows by site and by status', async () => {
    expect(idsOf((await found(`q=refund&siteId=${otherSiteId}`)).results)).toEqual([ids.bob]);
    expect(idsOf((await found(`q=refund&siteId=${siteId}`)).results)).toEqual([ids.ada]);
    expect(idsOf((await found('q=refund&status=OPEN')).results)).toEqual([ids.ada]);
  });

  it('pages through the results with limit and offset', async () => {
    const first = await found('q=refund&limit=1');
    const second = await found('q=refund&limit=1&offset=1');
    const past = await found('q=refund&limit=1&offset=5');
    expect(idsOf(first.results)).toEqual([ids.bob]);
    expect(idsOf(second.results)).toEqual([ids.ada]);
    expect(past.results).toEqual([]);
    expect([first.total, second.total, past.total]).toEqual([2, 2, 2]);
    expect(second).toMatchObject({ limit: 1, offset: 1 });
  });

  it('answers an empty result to text with no words and to tsquery syntax taken as text', async () => {
    for (const q of ['!!!', '...', '&|!():*', "'", '\\']) {
      const res = await found(`q=${encodeURIComponent(q)}`);
      expect(res, q).toMatchObject({ results: [], total: 0 });
    }
    const syntax = await found(`q=${encodeURIComponent("refund & | !( ':* <-> order")}`);
    expect(idsOf(syntax.results)).toEqual([ids.ada]);
  });

  it('refuses empty, too long and malformed searches with a clear 400', async () => {
    const cases = [
      '',
      'q=',
      'q=%20%20%20',
      `q=${'a'.repeat(201)}`,
      'q=refund&limit=0',
      'q=refund&limit=51',
      'q=refund&limit=ten',
      'q=refund&offset=-1',
      'q=refund&offset=1001',
      'q=refund&siteId=not%20an%20id',
      'q=refund&status=DONE',
      'q=%00',
    ];
    for (const query of cases) {
      const res = await search(query);
      expect(res.status, query).toBe(400);
      expect(res.body, query).toMatchObject({
        error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/\S/) as string },
      });
    }
  });
});
