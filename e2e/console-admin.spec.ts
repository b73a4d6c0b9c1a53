import { expect, test, type Page } from '@playwright/test';
import { CUSTOMER_URL } from './support/env';
import {
  agentReplies,
  chatFrame,
  closePages,
  openChat,
  openConsole,
  openConversation,
  openCustomerSite,
  unique,
  visitorSays,
} from './support/fixtures';

test.afterEach(closePages);

function emailFor(name: string): string {
  return `${name.toLowerCase().replace(/\W+/g, '-')}@example.com`;
}

/** A site of its own (through the API), allowed on the customer's origin. */
async function createSite(admin: Page, name: string): Promise<{ id: string; publicKey: string }> {
  const res = await admin.request.post('/api/sites', {
    data: { name, allowedOrigins: [CUSTOMER_URL] },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { site: { id: string; publicKey: string } }).site;
}

test('an admin creates a site and an agent; the agent signs in with the one-time password, chooses a password and answers a visitor of the new site', async ({
  browser,
}) => {
  const admin = await openConsole(browser);

  // The site, from the Sites page: created, allowed on the customer's origin, its snippet shown.
  await admin.getByRole('link', { name: 'Sites' }).click();
  const siteName = unique('Outlet');
  await admin.getByLabel('New site name').fill(siteName);
  await admin.getByRole('button', { name: 'Create site' }).click();
  const site = admin.getByRole('region', { name: siteName });
  await expect(site).toBeVisible();
  const access = site.getByRole('form', { name: 'Access' });
  await access.getByLabel('Allowed origins, one per line').fill(CUSTOMER_URL);
  await access.getByRole('button', { name: 'Save' }).click();
  await expect(access.getByRole('status')).toContainText('Saved.');
  const siteKey = (await site.getByTestId('site-key').textContent()) ?? '';
  expect(siteKey).toMatch(/^pk_/);
  await expect(site.getByLabel('Install snippet')).toContainText(`data-site-key="${siteKey}"`);
  await site.getByRole('button', { name: 'Copy snippet' }).click();
  await expect(site.getByText('Copied.')).toBeVisible();

  // The agent, from the Agents page, with a one-time password shown once.
  await admin.getByRole('link', { name: 'Agents' }).click();
  const agentName = unique('Ada');
  const email = emailFor(agentName);
  await admin.getByLabel('Name', { exact: true }).fill(agentName);
  await admin.getByLabel('Email').fill(email);
  await admin.getByRole('button', { name: 'Add agent' }).click();
  const oneTime = (await admin.getByTestId('one-time-password').textContent()) ?? '';
  expect(oneTime.length).toBeGreaterThanOrEqual(20);
  const row = admin.getByRole('row', { name: agentName });
  await expect(row).toContainText('Invited (one-time password)');

  // The agent signs in with it and must choose a password before the inbox opens.
  const agent = await openConsole(browser, {
    email,
    password: oneTime,
    newPassword: 'ada-chose-this-1',
  });
  expect(
    (await agent.request.post('/api/auth/login', { data: { email, password: oneTime } })).status(),
  ).toBe(401);
  await agent.reload();
  await expect(agent.getByRole('heading', { name: 'Inbox' })).toBeVisible();

  // The agent's picture, set on its own profile, goes with its replies.
  await agent.getByRole('link', { name: new RegExp(agentName) }).click();
  const avatar = 'https://avatars.example/ada.png';
  await agent.getByLabel('Picture URL (https)').fill(avatar);
  await agent.getByRole('button', { name: 'Save profile' }).click();
  await expect(agent.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await agent.getByRole('link', { name: 'Inbox' }).click();

  // A visitor of the new site, on the customer's own origin, asks; the new agent answers.
  const visitor = await openCustomerSite(browser, `/embed?siteKey=${encodeURIComponent(siteKey)}`);
  const frame = await openChat(visitor);
  const question = unique('Do you ship to Oslo?');
  await visitorSays(frame, question);
  await openConversation(agent, question);
  const answer = unique('Yes, in three days.');
  await agentReplies(agent, answer);
  const log = frame.getByRole('log');
  await expect(log).toContainText(answer);
  await expect(log).toContainText(agentName);
  await expect(log.locator(`img[src="${avatar}"]`)).toHaveCount(1);
});

test('an appearance change reaches a widget that is open, chat and launcher, without a reload', async ({
  browser,
}) => {
  const admin = await openConsole(browser);
  const siteName = unique('Boutique');
  const { publicKey } = await createSite(admin, siteName);

  const visitor = await openCustomerSite(
    browser,
    `/embed?siteKey=${encodeURIComponent(publicKey)}`,
  );
  const frame = await openChat(visitor);
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Chat with us');
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'auto');

  await admin.getByRole('link', { name: 'Sites' }).click();
  await admin.getByLabel('Site', { exact: true }).selectOption({ label: siteName });
  const appearance = admin
    .getByRole('region', { name: siteName })
    .getByRole('form', { name: 'Appearance' });
  await appearance.getByLabel('Title').fill('Boutique help desk');
  await appearance.getByLabel('Greeting').fill('Bonjour! Ask us anything.');
  await appearance.getByLabel('Launcher label').fill('Help');
  await appearance.getByLabel('Colour code').fill('#aa3300');
  await appearance.getByLabel('Bottom left').check();
  await appearance.getByLabel('Theme').selectOption('dark');
  // The preview follows the form before anything is saved.
  const preview = appearance.getByRole('figure', { name: 'Widget preview' });
  await expect(preview).toHaveAttribute('data-theme', 'dark');
  await expect(preview).toHaveAttribute('data-position', 'left');
  await expect(preview).toContainText('Boutique help desk');
  await expect(preview).toContainText('Help');
  // An invalid colour is caught before saving.
  await appearance.getByLabel('Colour code').fill('#aa33');
  await expect(appearance.getByRole('button', { name: 'Save appearance' })).toBeDisabled();
  await appearance.getByLabel('Colour code').fill('#aa3300');
  await appearance.getByRole('button', { name: 'Save appearance' }).click();
  await expect(appearance.getByRole('status')).toContainText('Saved.');

  // The open widget changes at once: the chat's title, greeting and theme, and the launcher.
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Boutique help desk');
  await expect(frame.getByRole('log')).toContainText('Bonjour! Ask us anything.');
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');
  const launcher = visitor.getByRole('button', { name: /^Help/ });
  await expect(launcher).toBeVisible();
  await expect(launcher).toHaveCSS('background-color', 'rgb(170, 51, 0)');
  const box = await launcher.boundingBox();
  const width = visitor.viewportSize()?.width ?? 0;
  expect(box && box.x + box.width / 2).toBeLessThan(width / 2);
  await expect(chatFrame(visitor).locator('body')).toHaveCSS('background-color', 'rgb(22, 24, 29)');
});

test('deactivating an agent signs it out of the console at once; reactivated, it signs in again', async ({
  browser,
}) => {
  const admin = await openConsole(browser);
  const name = unique('Leo');
  const email = emailFor(name);
  const created = await admin.request.post('/api/agents', { data: { email, name } });
  expect(created.status()).toBe(201);
  const { password } = (await created.json()) as { password: string };
  const agent = await openConsole(browser, { email, password, newPassword: 'leo-own-password' });

  await admin.getByRole('link', { name: 'Agents' }).click();
  const row = admin.getByRole('row', { name });
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: `Deactivate ${name}` }).click();
  await expect(row).toContainText('Deactivated');

  // No reload and no action by the agent: the server closed its connection and its session.
  await expect(agent.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible({
    timeout: 5_000,
  });
  await expect(agent.getByText('Your session has ended.')).toBeVisible();
  await agent.getByLabel('Email').fill(email);
  await agent.getByLabel('Password').fill('leo-own-password');
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await expect(agent.getByRole('alert')).toContainText('This account is deactivated.');

  await row.getByRole('button', { name: `Reactivate ${name}` }).click();
  await expect(row).toContainText('Active');
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await expect(agent.getByRole('heading', { name: 'Inbox' })).toBeVisible();
});

test('an admin adds, edits and deletes canned responses on their page', async ({ browser }) => {
  const admin = await openConsole(browser);
  await admin.getByRole('link', { name: 'Canned responses' }).click();
  const shortcut = `ret${Date.now().toString(36)}`;
  const form = admin.getByRole('form', { name: 'New canned response' });
  await form.getByLabel('Shortcut').fill(shortcut);
  await form.getByLabel('Text').fill('Returns are free for 30 days.');
  await form.getByRole('button', { name: 'Add' }).click();
  const item = admin.getByRole('listitem', { name: `/${shortcut}` });
  await expect(item).toContainText('Returns are free for 30 days.');

  // A second one with the same shortcut is refused with the server's reason.
  await form.getByLabel('Shortcut').fill(shortcut);
  await form.getByLabel('Text').fill('Duplicate');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(form.getByRole('alert')).toContainText('already uses this shortcut');

  await item.getByRole('button', { name: `Edit /${shortcut}` }).click();
  const edit = admin.getByRole('form', { name: `Edit /${shortcut}` });
  await edit.getByLabel('Text').fill('Returns are free for 60 days.');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(item).toContainText('Returns are free for 60 days.');

  // Every agent's composer gets the list from the API: the edit is what they insert.
  const listed = await admin.request.get('/api/canned-responses');
  expect(JSON.stringify(await listed.json())).toContain('Returns are free for 60 days.');

  admin.once('dialog', (dialog) => void dialog.accept());
  await item.getByRole('button', { name: `Delete /${shortcut}` }).click();
  await expect(item).toHaveCount(0);
  await admin.reload();
  await expect(admin.getByRole('heading', { name: 'Canned responses' })).toBeVisible();
  await expect(admin.getByRole('listitem', { name: `/${shortcut}` })).toHaveCount(0);
});
