import { expect, test, type Page } from '@playwright/test';
import { seedSearchData } from '../scripts/search-seed.mjs';
import { SEARCH_PORT } from './support/env';
import { closePages, openConsole } from './support/fixtures';
import { insertConversation, startSeededServer, type SeededServer } from './support/seeded-server';

// One server on a database of 100,000 messages for the whole file.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let server: SeededServer;
const ids: Record<string, string> = {};

/** The open conversation's title (the visitor panel beside it has a heading of the same name). */
function conversationHeading(page: Page) {
  return page
    .getByRole('region', { name: 'Conversation' })
    .getByRole('heading', { name: 'Philippa Quarrington' });
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  server = await startSeededServer(SEARCH_PORT, 'search');
  // 10,000 conversations of 10 messages: 100,000 messages.
  await seedSearchData(server.sql, server.siteId, {
    conversations: 10_000,
    messagesPerConversation: 10,
  });
  const { rows } = await server.sql.query<{ n: string }>('SELECT count(*) AS n FROM messages');
  expect(Number(rows[0]?.n)).toBe(100_000);
  const now = Date.now();
  ids.philippa = await insertConversation(server.sql, server.siteId, {
    key: 'philippa',
    name: 'Philippa Quarrington',
    email: 'pq@lighthouse.example',
    createdAt: new Date(now - 60_000),
    messages: [
      { kind: 'VISITOR', body: 'My kayak paddle arrived cracked in two places.' },
      { kind: 'AGENT', body: 'Sorry to hear that! A new one is on its way.' },
    ],
  });
  ids.teal = await insertConversation(server.sql, server.siteId, {
    key: 'teal',
    createdAt: new Date(now - 120_000),
    messages: [
      {
        kind: 'VISITOR',
        body: 'Is the kayak available in teal? <img src=x onerror="window.__xss=1">',
      },
    ],
  });
});

test.afterEach(async () => {
  await closePages();
});

test.afterAll(async () => {
  await server.stop();
});

test('search over 100,000 messages finds the right conversations and opens one', async ({
  browser,
}) => {
  const page = await openConsole(browser, { url: server.url });
  const box = page.getByRole('searchbox', { name: 'Search conversations' });

  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await box.fill('kayak');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(page.getByRole('status').filter({ hasText: 'found' })).toHaveText(
    '2 conversations found',
  );
  await expect(results.getByRole('link')).toHaveCount(2);
  await expect(results.locator('mark').first()).toHaveText(/kayak/i);
  // The message's markup is shown as text: no image element, nothing run.
  await expect(results.getByText('<img src=x onerror="window.__xss=1">')).toBeVisible();
  expect(await results.locator('img').count()).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
  ).toBeUndefined();

  // A word of the seeded data: the count is the database's own.
  const { rows } = await server.sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM (
       SELECT conversation_id FROM messages WHERE search_vector @@ to_tsquery('simple', 'chargeback:*')
       UNION SELECT c.id FROM conversations c JOIN visitors v ON v.id = c.visitor_id
       WHERE v.search_vector @@ to_tsquery('simple', 'chargeback:*')) hits`,
  );
  const expected = Number(rows[0]?.n);
  expect(expected).toBeGreaterThan(20);
  await box.fill('chargeback');
  await expect(page.getByRole('status').filter({ hasText: 'found' })).toHaveText(
    `${String(expected)} conversations found`,
  );
  await expect(results.getByRole('link')).toHaveCount(20);
  await page.getByRole('button', { name: 'More results' }).click();
  await expect(results.getByRole('link')).toHaveCount(Math.min(40, expected));

  // Only punctuation: nothing to look for, no error.
  await box.fill('?!…');
  await expect(page.getByText('No conversations match.')).toBeVisible();

  // By surname: one result; clicking it opens the conversation.
  await box.fill('quarring');
  await expect(results.getByRole('link')).toHaveCount(1);
  await results.getByRole('link', { name: /Philippa Quarrington/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/conversations/${ids.philippa ?? ''}$`));
  await expect(conversationHeading(page)).toBeVisible();
  await expect(page.getByText('My kayak paddle arrived cracked in two places.')).toBeVisible();

  // By email, from the conversation page with Ctrl+K.
  await conversationHeading(page).click();
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await box.fill('pq@lighthouse.example');
  await expect(results.getByRole('link')).toHaveCount(1);
  await expect(results.locator('mark')).toHaveText(['pq', 'lighthouse', 'example']);
  // Escape clears the search and the inbox comes back.
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
});

test('keyboard shortcuts move through the inbox, assign, resolve and focus the reply; ? lists them', async ({
  browser,
}) => {
  const page = await openConsole(browser, { url: server.url });
  const inbox = page.getByRole('list', { name: 'Conversations' });
  const hrefs = await inbox
    .getByRole('link')
    .evaluateAll((links) => links.slice(0, 3).map((a) => a.getAttribute('href')));
  expect(hrefs[0]).toBe(`#/conversations/${ids.philippa ?? ''}`);

  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`${hrefs[0] ?? ''}$`));
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`${hrefs[1] ?? ''}$`));
  await page.keyboard.press('k');
  await expect(page).toHaveURL(new RegExp(`${hrefs[0] ?? ''}$`));
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page).toHaveURL(new RegExp(`${hrefs[1] ?? ''}$`));
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page).toHaveURL(new RegExp(`${hrefs[0] ?? ''}$`));
  await expect(conversationHeading(page)).toBeVisible();

  // Assign to me, then resolve.
  await page.keyboard.press('a');
  await expect(page.getByLabel('Assignee')).toHaveValue(/.+/);
  await expect(page.getByLabel('Assignee').locator('option:checked')).toHaveText(/^Me /);
  await page.keyboard.press('e');
  await expect(page.locator('.conversation-title .status-badge')).toHaveText('Resolved');
  const { rows } = await server.sql.query<{ status: string; assignee: string | null }>(
    `SELECT c.status, a.email AS assignee FROM conversations c
     LEFT JOIN agents a ON a.id = c.assignee_id WHERE c.id = $1`,
    [ids.philippa],
  );
  expect(rows[0]).toEqual({ status: 'RESOLVED', assignee: 'admin@example.com' });

  // r puts the cursor in the reply box; letters typed there stay there.
  const reply = page.getByRole('textbox', { name: /reply/i });
  await page.keyboard.press('r');
  await expect(reply).toBeFocused();
  await page.keyboard.type('jk?e');
  await expect(reply).toHaveValue('jk?e');
  await expect(page).toHaveURL(new RegExp(`${hrefs[0] ?? ''}$`));
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // ? opens the help as a modal dialog; Escape closes it and focus goes back.
  const resolveButton = page.getByRole('button', { name: 'Reopen' });
  await resolveButton.focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  for (const text of [
    'Next conversation',
    'Previous conversation',
    'Resolve the conversation',
    'Assign the conversation to me',
    'Write a reply',
    'Search conversations',
  ]) {
    await expect(dialog.getByRole('cell', { name: text })).toBeVisible();
  }
  // Shortcuts are off while it is open.
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`${hrefs[0] ?? ''}$`));
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(resolveButton).toBeFocused();

  // A mouse user finds the same list behind the header's button.
  const helpButton = page.getByRole('banner').getByRole('button', { name: 'Keyboard shortcuts' });
  await helpButton.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(helpButton).toBeFocused();
});
