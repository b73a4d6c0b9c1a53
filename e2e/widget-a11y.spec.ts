import { expect, request, test, type BrowserContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_URL, CUSTOMER_URL } from './support/env';
import { chatFrame, closePages, launcher, openCustomerSite, unique } from './support/fixtures';

const contexts: BrowserContext[] = [];

test.afterEach(async () => {
  await closePages();
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/**
 * A site of its own that is never open, so that the chat always asks for an email, whoever is
 * online meanwhile: the panel's controls are the same on every run.
 */
async function closedSite(): Promise<string> {
  const admin = await request.newContext({ baseURL: API_URL });
  try {
    expect(
      (
        await admin.post('/api/auth/login', {
          data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
        })
      ).status(),
    ).toBe(200);
    const created = await admin.post('/api/sites', {
      data: { name: unique('Keyboard site'), allowedOrigins: [CUSTOMER_URL] },
    });
    expect(created.status()).toBe(201);
    const { site } = (await created.json()) as { site: { id: string; publicKey: string } };
    const hours = await admin.put(`/api/sites/${site.id}/availability`, {
      data: { businessHours: { timeZone: 'UTC', ranges: [] }, hideLauncherWhenOffline: false },
    });
    expect(hours.status()).toBe(200);
    return site.publicKey;
  } finally {
    await admin.dispose();
  }
}

test('the chat works from the keyboard alone: Tab to the launcher, focus kept in the panel, Escape closes', async ({
  browser,
}) => {
  const page = await openCustomerSite(browser, `/embed?siteKey=${await closedSite()}`);
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

  // Send is disabled with an empty box: Tab goes round the conversation list button, the close
  // button, the email question (the site is closed), the box and the attach button (enabled once
  // the session is known), never out.
  const threads = frame.getByRole('button', { name: 'Your conversations' });
  const close = frame.getByRole('button', { name: 'Close chat' });
  const email = frame.getByLabel('Your email');
  const save = frame.getByRole('button', { name: 'Save' });
  const attach = frame.getByLabel('Attach a file');
  await expect(attach).toBeEnabled();
  // The list button shows once the visitor has a conversation (the one just started).
  await expect(threads).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(attach).toBeFocused();
  const attachRing = await frame
    .locator('.composer__attach')
    .evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(attachRing).not.toBe('none');
  await page.keyboard.press('Tab');
  await expect(threads).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  const closeRing = await close.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(closeRing).not.toBe('none');
  await page.keyboard.press('Tab');
  await expect(email).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(save).toBeFocused();
  const saveRing = await save.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(saveRing).not.toBe('none');
  await page.keyboard.press('Tab');
  await expect(box).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(attach).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(threads).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(attach).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(box).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(save).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(email).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(threads).toBeFocused();

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

test('an accessibility scan of the open chat finds no serious or critical violation', async ({
  browser,
}) => {
  const page = await openCustomerSite(browser, `/embed?siteKey=${await closedSite()}`);
  await launcher(page).click();
  const frame = chatFrame(page);
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.fill(unique('checked by axe'));
  await box.press('Enter');
  await expect(frame.getByRole('log')).toContainText('checked by axe');
  await expect(frame.getByLabel('Attach a file')).toBeEnabled();

  // axe runs inside the frame as well as on the host page: the launcher and the whole panel.
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  // The scan did look at the chat: its controls are among the passing checks.
  const checked = results.passes.flatMap((p) => p.nodes.map((n) => JSON.stringify(n.target)));
  expect(checked.some((target) => target.includes('chat__close'))).toBe(true);
});
