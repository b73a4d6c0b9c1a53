import { expect, test } from '@playwright/test';
import { REPORTS_PORT } from './support/env';
import { closePages, openConsole } from './support/fixtures';
import { insertConversation, startSeededServer, type SeededServer } from './support/seeded-server';

// A node of its own on a database holding a known data set, with times in the past.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let server: SeededServer;

/** 2026-11-`day` at hh:mm UTC. */
const at = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh, mm));

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startSeededServer(REPORTS_PORT, 'reports');
  const { sql, siteId } = server;
  const { rows } = await sql.query<{ id: string }>("SELECT id FROM agents WHERE role = 'ADMIN'");
  const adminId = rows[0]?.id ?? null;
  const rated = async (id: string, resolvedAt: Date | null, rating: number | null) => {
    await sql.query(
      `UPDATE conversations SET resolved_at = $2, satisfaction_rating = $3,
         satisfaction_rated_at = $2 WHERE id = $1`,
      [id, resolvedAt, rating],
    );
  };
  // 1 November: first responses 2 min and 10 min, resolutions 1 h and 2 h, ratings 5 and 3.
  await rated(
    await insertConversation(sql, siteId, {
      key: 'r1',
      name: 'Ana',
      createdAt: at(1, 10),
      status: 'RESOLVED',
      assigneeId: adminId,
      messages: [
        { kind: 'VISITOR', body: 'Hello?', at: at(1, 10) },
        { kind: 'AGENT', body: 'Hi!', at: at(1, 10, 2) },
      ],
    }),
    at(1, 11),
    5,
  );
  await rated(
    await insertConversation(sql, siteId, {
      key: 'r2',
      name: 'Ben',
      createdAt: at(1, 12),
      status: 'RESOLVED',
      messages: [
        { kind: 'VISITOR', body: 'Hello?', at: at(1, 12) },
        { kind: 'AGENT', body: 'Hi!', at: at(1, 12, 10) },
      ],
    }),
    at(1, 14),
    3,
  );
  // 3 November: first response 5 min, still open.
  await insertConversation(sql, siteId, {
    key: 'r3',
    name: 'Cai',
    createdAt: at(3, 9),
    assigneeId: adminId,
    messages: [
      { kind: 'VISITOR', body: 'Hello?', at: at(3, 9) },
      { kind: 'AGENT', body: 'Hi!', at: at(3, 9, 5) },
    ],
  });
});

test.afterEach(async () => {
  await closePages();
});

test.afterAll(async () => {
  await server.stop();
});

test('the Reports page shows the figures and charts of a period, by site and by agent', async ({
  browser,
}) => {
  const page = await openConsole(browser, { url: server.url });
  await page.getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
  await page.getByLabel('From', { exact: true }).fill('2026-11-01');
  await page.getByLabel('To', { exact: true }).fill('2026-11-03');

  const figure = (label: string) =>
    page
      .getByLabel('Totals')
      .locator('.report-figure')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
  const value = (label: string) => figure(label).locator('.report-value');
  await expect(value('Conversations')).toHaveText('3');
  await expect(value('Median first response')).toHaveText('5 min'); // 2, 5, 10 min
  await expect(value('Median resolution time')).toHaveText('1 h 30 min'); // 1 h, 2 h
  await expect(value('Satisfaction')).toHaveText('4.0 / 5');
  await expect(figure('Satisfaction').locator('.report-detail')).toHaveText('2 ratings');

  const chart = (name: string) => page.getByRole('figure', { name });
  const bars = chart('Conversations per day').getByRole('img');
  await expect(bars).toHaveCount(3);
  await expect(bars.nth(0)).toHaveAccessibleName('2026-11-01: 2');
  await expect(bars.nth(1)).toHaveAccessibleName('2026-11-02: 0');
  await expect(bars.nth(2)).toHaveAccessibleName('2026-11-03: 1');
  await expect(chart('Median first response per day').getByRole('img')).toHaveText([
    '2026-11-01: 6 min',
    '2026-11-03: 5 min',
  ]);
  await expect(chart('Median resolution time per day').getByRole('img')).toHaveText([
    '2026-11-01: 1 h 30 min',
  ]);
  await expect(chart('Satisfaction per day').getByRole('img')).toHaveText(['2026-11-01: 4.0 / 5']);

  // Only the admin's conversations: 2 min and 5 min, one resolved in 1 h, one rating of 5.
  await page.getByLabel('Agent').selectOption({ label: 'Admin' });
  await expect(value('Conversations')).toHaveText('2');
  await expect(value('Median first response')).toHaveText('3 min 30 s');
  await expect(value('Median resolution time')).toHaveText('1 h');
  await expect(value('Satisfaction')).toHaveText('5.0 / 5');

  // A site with nothing in the period.
  await page.getByLabel('Agent').selectOption({ label: 'All agents' });
  const other = await server.sql.query<{ id: string }>(
    `INSERT INTO sites (id, public_key, name, allowed_origins, widget_settings, updated_at)
     VALUES ('e2e-site-empty', 'e2e-empty', 'Empty shop', ARRAY[]::text[], '{}', now()) RETURNING id`,
  );
  expect(other.rows).toHaveLength(1);
  await page.getByLabel('To', { exact: true }).fill('2026-11-02');
  await expect(value('Conversations')).toHaveText('2');
  await page.getByLabel('Site').selectOption({ label: 'Empty shop' });
  await expect(value('Conversations')).toHaveText('0');
  await expect(value('Median first response')).toHaveText('–');
  await expect(chart('Conversations per day').getByRole('img')).toHaveText([
    '2026-11-01: 0',
    '2026-11-02: 0',
  ]);
  await expect(chart('Satisfaction per day')).toContainText('Nothing in this period.');
});
