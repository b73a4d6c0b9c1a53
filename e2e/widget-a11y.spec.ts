import { expect, test, type BrowserContext } from '@playwright/test';
import { CUSTOMER_URL } from './support/env';
import { chatFrame, closePages, launcher, openCustomerSite, unique } from './support/fixtures';

const contexts: BrowserContext[] = [];

test.afterEach(async () => {
  await closePages();
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

test('the chat works from the keyboard alone: Tab to the launcher, focus kept in the panel, Escape closes', async ({
  browser,
}) => {
  const page = await openCustomerSite(browser);
  await expect(launcher(page)).toBeVisible();

  await page.keyboard.press('Tab');
  await expect(launcher(page)).toBeFocused();
  const ring = await launcher(page).evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(ring).not.toBe('none');

  await page.keyboard.press('Enter');
  const frame = chatFrame(page);
  const box = frame.getByRole('textbox', { name: 'Message' });
  await expect(box).toBeFocused();
  const text = unique('typed without a mouse');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await expect(frame.getByRole('log')).toContainText(text);
  // New messages are announced: the list is a polite live region.
  await expect(frame.getByRole('log')).toHaveAttribute('aria-live', 'polite');

  // Send is disabled with an empty box: Tab goes round the close button and the box, never out.
  const close = frame.getByRole('button', { name: 'Close chat' });
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  const closeRing = await close.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(closeRing).not.toBe('none');
  await page.keyboard.press('Tab');
  await expect(box).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(box).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(close).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(page.locator('iframe[title="Parley chat"]')).toBeHidden();
  await expect(launcher(page)).toBeFocused();
  await expect(launcher(page)).toHaveAttribute('aria-expanded', 'false');
});

test('on a phone-sized screen the open chat covers the screen and its text box does not make iOS zoom', async ({
  browser,
}) => {
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    hasTouch: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(CUSTOMER_URL);
  await launcher(page).click();
  const box = chatFrame(page).getByRole('textbox', { name: 'Message' });
  await expect(box).toBeVisible();
  expect(await page.locator('iframe[title="Parley chat"]').boundingBox()).toEqual({
    x: 0,
    y: 0,
    width: 375,
    height: 667,
  });
  expect(await box.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
});

test('a chat frame that fails to load leaves nothing over the page', async ({ browser }) => {
  const page = await openCustomerSite(browser, '/', (p) => {
    void p.route(/\/widget\/\?/, (route) => route.abort());
  });
  await page.waitForLoadState('load');
  await expect(page.locator('iframe[title="Parley chat"]')).toHaveCount(1);
  // Nothing of the widget is shown or catches a click, anywhere on the page.
  await expect(launcher(page)).toBeHidden();
  const size = page.viewportSize() ?? { width: 0, height: 0 };
  for (const [x, y] of [
    [size.width - 30, size.height - 30],
    [size.width - 200, size.height - 300],
    [size.width / 2, size.height / 2],
  ] as const) {
    const hit = await page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.tagName, [
      x,
      y,
    ] as const);
    expect(hit).not.toBe('PARLEY-WIDGET');
  }
});

test('a visitor whose browser prefers French gets the chat in French', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(CUSTOMER_URL);
  await launcher(page).click();
  const frame = chatFrame(page);
  const box = frame.getByRole('textbox', { name: 'Message' });
  await expect(box).toHaveAttribute('placeholder', 'Écrivez un message…');
  await expect(frame.getByRole('button', { name: 'Fermer la discussion' })).toBeVisible();
  await expect(frame.locator('html')).toHaveAttribute('lang', 'fr');
  const text = unique('bonjour');
  await box.fill(text);
  await frame.getByRole('button', { name: 'Envoyer' }).click();
  await expect(frame.getByRole('log')).toContainText(text);
  await expect(frame.getByRole('log')).toContainText('Envoyé');
});
