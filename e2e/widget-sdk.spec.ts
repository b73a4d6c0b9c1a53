import { expect, test, type Page } from '@playwright/test';
import {
  agentReplies,
  chatFrame,
  closePages,
  launcher,
  openConsole,
  openConversation,
  openCustomerSite,
  unique,
  visitorSays,
} from './support/fixtures';

test.afterEach(closePages);

/** What the page's handlers (registered before the loader arrived) have seen, in order. */
function events(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { parleyEvents: string[] }).parleyEvents);
}

/** Calls `Parley(method, ...args)` in the page; the error message it threw, if any. */
function call(page: Page, method: string, ...args: unknown[]): Promise<string | null> {
  return page.evaluate(
    ([name, rest]) => {
      const parley = (window as unknown as { Parley: (...a: unknown[]) => void }).Parley;
      try {
        parley(name, ...rest);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    [method, args] as const,
  );
}

test('a page drives the widget through the SDK: its own button, events, navigation, reset and shutdown', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const page = await openCustomerSite(browser, '/sdk');

  // Handlers queued before the loader arrived are replayed; no default launcher is drawn.
  await expect.poll(() => events(page)).toContain('ready');
  await expect(launcher(page)).toHaveCount(0);

  await page.getByRole('button', { name: 'Need help?' }).click();
  const frame = chatFrame(page);
  await expect(frame.getByRole('textbox', { name: 'Message' })).toBeVisible();
  // The panel is on the left, as the snippet asked.
  const box = await page.locator('iframe[title="Parley chat"]').boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box && box.x + box.width / 2).toBeLessThan(width / 2);

  const question = unique('asked through the SDK');
  await visitorSays(frame, question);
  await openConversation(agent, question);
  const answer = unique('answered to the SDK page');
  await agentReplies(agent, answer);
  await expect(frame.getByRole('log')).toContainText(answer);

  // Single-page navigation: the agent sees the page the visitor is on now.
  await page.evaluate(() => {
    history.pushState({}, '', '/pricing?plan=pro');
  });
  // (The console keeps the open conversation in its URL.)
  await agent.reload();
  await expect(agent.getByRole('link', { name: /\/pricing\?plan=pro$/ })).toBeVisible();

  // Closed from the page; a reply now counts as unread.
  expect(await call(page, 'close')).toBeNull();
  await expect(page.locator('iframe[title="Parley chat"]')).toBeHidden();
  const later = unique('while the panel was closed');
  await agentReplies(agent, later);
  await expect.poll(() => events(page)).toContain('unreadCountChange 1');
  expect(await call(page, 'toggle')).toBeNull();
  await expect(frame.getByRole('log')).toContainText(later);

  expect(await events(page)).toEqual([
    'ready',
    'open',
    `message VISITOR:${question}`,
    `message AGENT:${answer}`,
    'close',
    `message AGENT:${later}`,
    'unreadCountChange 1',
    'open',
    'unreadCountChange 0',
  ]);

  // Invalid arguments throw errors that say what was expected.
  expect(await call(page, 'on', 'opened', null)).toBe(
    'Parley.on: unknown event "opened"; expected one of ready, open, close, message, unreadCountChange, error',
  );
  expect(await call(page, 'identify', { userId: 42 })).toBe(
    'Parley.identify: expected null or { userId, email, name, userHash } with string values',
  );
  expect(await call(page, 'launch')).toMatch(/^Parley: unknown method "launch"/);

  expect(await call(page, 'setAttributes', 'plan=pro')).toBe(
    'Parley.setAttributes: expected { name: text | number | boolean | null }',
  );

  // Custom attributes reach the server: 30 are stored; 30 more would pass 50 in all and are
  // refused there, which the page hears as an error event (and only that one).
  const seen = (await events(page)).length;
  const some = (prefix: string) =>
    Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${prefix}${i}`, i]));
  expect(await call(page, 'setAttributes', some('a'))).toBeNull();
  expect(await call(page, 'setAttributes', some('b'))).toBeNull();
  await expect
    .poll(async () => (await events(page)).slice(seen))
    .toEqual(['error VALIDATION_FAILED']);
  // A name the server would refuse is refused by the chat frame at once.
  expect(await call(page, 'setAttributes', { '1st plan': 'pro' })).toBeNull();
  await expect
    .poll(async () => (await events(page)).slice(seen))
    .toEqual(['error VALIDATION_FAILED', 'error VALIDATION_FAILED']);

  // Sign-out: the next person at this browser starts as a new visitor, without the history.
  expect(await call(page, 'reset')).toBeNull();
  await expect(frame.getByRole('log')).not.toContainText(question);
  await visitorSays(frame, unique('a new visitor after reset'));
  await page.goto(new URL('/sdk', page.url()).toString());
  await page.getByRole('button', { name: 'Need help?' }).click();
  await expect(frame.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await expect(frame.getByRole('log')).not.toContainText(question);

  // Shutdown removes the widget from the page.
  expect(await call(page, 'shutdown')).toBeNull();
  await expect(page.locator('parley-widget')).toHaveCount(0);
  await expect(page.locator('iframe[title="Parley chat"]')).toHaveCount(0);
});
