import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { CUSTOMER_URL } from './support/env';
import {
  chatFrame,
  closePages,
  launcher,
  openChat,
  openConsole,
  openConversation,
  openCustomerSite,
  unique,
  visitorSays,
  adminApi,
} from './support/fixtures';

// Runs after the projects that open consoles (see playwright.config.ts): "no agent online" is
// true only while no other test has a console open.
let admin: APIRequestContext;

test.beforeAll(async () => {
  admin = await adminApi();
});

test.afterAll(async () => {
  await admin.dispose();
});

test.afterEach(closePages);

// The consoles of the earlier projects close as their tests end. A long-polling console that
// closes between two requests is heard of only when its heartbeat times out (20 s + 20 s here).
// Each test starts once nobody is online, and says who is if somebody stays longer.
test.beforeEach(async () => {
  test.setTimeout(100_000);
  const online = async () => {
    const presence = (await (await admin.get('/api/presence')).json()) as {
      agents: { agentId: string; status: string }[];
    };
    const { agents } = (await (await admin.get('/api/agents')).json()) as {
      agents: { id: string; email: string }[];
    };
    const ids = new Set(presence.agents.filter((a) => a.status === 'online').map((a) => a.agentId));
    return agents.filter((a) => ids.has(a.id)).map((a) => a.email);
  };
  await expect
    .poll(online, { timeout: 50_000, message: 'agents online before this test' })
    .toEqual([]);
});

/** A site of its own, allowed on the customer's origin, with these availability settings. */
async function siteWith(availability: Record<string, unknown>): Promise<string> {
  const created = await admin.post('/api/sites', {
    data: { name: unique('Availability site'), allowedOrigins: [CUSTOMER_URL] },
  });
  expect(created.status()).toBe(201);
  const { site } = (await created.json()) as { site: { id: string; publicKey: string } };
  const saved = await admin.put(`/api/sites/${site.id}/availability`, { data: availability });
  expect(saved.status()).toBe(200);
  return site.publicKey;
}

/** The launcher's button, found whether or not it is shown. */
function launcherButton(page: Page) {
  return page.locator('parley-widget button');
}

test('with no agent online the chat says so, asks for an email and still takes the message', async ({
  browser,
}) => {
  const key = await siteWith({ businessHours: null, hideLauncherWhenOffline: false });
  const visitor = await openCustomerSite(browser, `/embed?siteKey=${key}`);
  const frame = await openChat(visitor);
  await expect(frame.getByText('We’re away')).toBeVisible();
  await expect(
    frame.getByText('Leave a message and we’ll answer as soon as we can.'),
  ).toBeVisible();
  const email = `${unique('ada').replace(/\W+/g, '-')}@example.com`;
  await frame.getByLabel('Your email').fill(email);
  await frame.getByRole('button', { name: 'Save' }).click();
  await expect(frame.getByText(`We’ll reply to ${email}.`)).toBeVisible();
  const question = unique('Anyone there?');
  await visitorSays(frame, question);

  // An agent comes later: the open chat says so at once, and the conversation waits, open,
  // under the visitor's email.
  const agent = await openConsole(browser);
  await expect(frame.getByText('We typically reply in a few minutes')).toBeVisible();
  await expect(frame.getByLabel('Your email')).toHaveCount(0);
  await openConversation(agent, question);
  await expect(agent.getByRole('heading', { level: 2, name: email })).toBeVisible();

  // The agent leaves: the chat, opened again later, is back to "away", the email remembered.
  await agent.close();
  await expect(frame.getByText('We’re away')).toBeVisible();
  await frame.getByRole('button', { name: 'Close chat' }).click();
  await launcher(visitor).click();
  await expect(frame.getByText(`We’ll reply to ${email}.`)).toBeVisible();
});

test('a site can hide its launcher while nobody is online; it is back once an agent is', async ({
  browser,
}) => {
  const hidden = await siteWith({ businessHours: null, hideLauncherWhenOffline: true });
  const visitor = await openCustomerSite(browser, `/embed?siteKey=${hidden}`);
  // The frame has loaded and sent the launcher's look (its label), and the launcher stays hidden.
  await expect(launcherButton(visitor)).toHaveText('Chat');
  await expect(launcherButton(visitor)).toBeHidden();
  // The page can still open the chat itself.
  await visitor.evaluate(() => {
    (window as unknown as { Parley: { open(): void } }).Parley.open();
  });
  await expect(chatFrame(visitor).getByText('We’re away')).toBeVisible();

  // An agent comes online: the launcher is back at once, without a reload.
  await openConsole(browser);
  await expect(launcher(visitor)).toBeVisible();
  // And a page loaded now draws it from the start.
  await visitor.reload();
  await expect(launcher(visitor)).toBeVisible();
});

test('outside business hours the chat gives the next opening in the visitor’s own time', async ({
  browser,
}) => {
  // Open only one hour, two days from now (UTC): closed now, whoever is online.
  const now = new Date();
  const day = (now.getUTCDay() + 2) % 7;
  const key = await siteWith({
    businessHours: { timeZone: 'UTC', ranges: [{ day, open: '10:00', close: '11:00' }] },
    hideLauncherWhenOffline: true,
  });
  const opens = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2, 10, 0),
  );
  const inTokyo = new Intl.DateTimeFormat('en', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Tokyo',
  }).format(opens);

  await openConsole(browser);
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-US' });
  const visitor = await context.newPage();
  await visitor.goto(`${CUSTOMER_URL}/embed?siteKey=${key}`);
  // An agent is online: the launcher shows even though the site is closed.
  const frame = await openChat(visitor);
  await expect(frame.getByText('We’re away')).toBeVisible();
  await expect(
    frame.getByText(`We’ll be back ${inTokyo}. Leave a message and we’ll answer then.`),
  ).toBeVisible();
  await expect(frame.getByLabel('Your email')).toBeVisible();
  await visitorSays(frame, unique('Out of hours'));
  await context.close();
});
