import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { CUSTOMER_URL } from './support/env';
import {
  agentReplies,
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

/**
 * The widget's conversation features, on a customer page served from another origin (production
 * build) with an agent in the console in a second browser context: typing both ways, read
 * receipts both ways, the launcher's badge, preview bubble, title count and chime while the chat
 * is closed, the satisfaction survey, the list of past conversations, the pre-chat form and
 * `Parley.setLocale`. Each test uses a site of its own, so no other test sees its settings.
 */

test.afterEach(closePages);

let admin: APIRequestContext;

test.beforeAll(async () => {
  admin = await adminApi();
});

test.afterAll(async () => {
  await admin.dispose();
});

async function createSite(): Promise<{ id: string; publicKey: string; name: string }> {
  const name = unique('Features site');
  const res = await admin.post('/api/sites', {
    data: { name, allowedOrigins: [CUSTOMER_URL] },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { site: { id: string; publicKey: string; name: string } }).site;
}

async function customerPage(browser: Browser) {
  const site = await createSite();
  const customer = await openCustomerSite(browser, `/embed?siteKey=${site.publicKey}`);
  return { site, customer };
}

test('typing, read receipts, the closed launcher’s notices, the survey and past conversations', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const agent = await openConsole(browser);
  const { customer } = await customerPage(browser);
  await customer.evaluate(() => {
    document.title = 'Shop';
  });
  const frame = await openChat(customer);
  const question = unique('Where is my order?');
  await visitorSays(frame, question);
  await openConversation(agent, question);

  // The visitor typing shows in the conversation and in the inbox; sending clears it.
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('It was ordered');
  await expect(agent.getByText('The visitor is typing…')).toBeVisible();
  await expect(
    agent.getByRole('list', { name: 'Conversations' }).getByText('Typing…'),
  ).toBeVisible();
  await box.press('Enter');
  await expect(agent.getByText('The visitor is typing…')).toBeHidden();

  // The agent typing shows in the widget, and the agent had the conversation open: "Seen".
  const reply = agent.getByLabel('Reply');
  await reply.click();
  await reply.pressSequentially('Let me check');
  await expect(frame.getByText('Admin is typing…')).toBeVisible();
  await expect(frame.locator('.msg--mine').last()).toContainText('Seen');
  await reply.fill('');
  const answer = unique('It ships tomorrow');
  await agentReplies(agent, answer);
  await expect(frame.getByRole('log')).toContainText(answer);
  await expect(frame.getByText('Admin is typing…')).toBeHidden();
  // The visitor has the chat open on a visible tab: the agent sees "Seen" under the reply.
  await expect(
    agent.getByRole('log', { name: 'Messages' }).locator('.message', { hasText: answer }),
  ).toContainText('Seen');

  // Closed (the click on the launcher is the visitor's interaction with the page): a new reply
  // counts on the badge, shows as text in a bubble, in the title, and chimes.
  await launcher(customer).click();
  await expect(customer.locator('iframe[title="Parley chat"]')).toBeHidden();
  const markup = `<b>${unique('bold?')}</b>`;
  await agentReplies(agent, markup);
  const bubble = customer.locator('parley-widget .v');
  await expect(bubble).toHaveText(markup);
  await expect(bubble.locator('b')).toHaveCount(0);
  await expect(customer.locator('parley-widget .n')).toHaveText('1');
  await expect(customer).toHaveTitle('(1) Shop');
  await expect(chatFrame(customer).locator('html')).toHaveAttribute('data-chimes', '1');
  await launcher(customer).click();
  await expect(frame.getByRole('log')).toContainText(markup);
  await expect(bubble).toBeHidden();
  await expect(customer).toHaveTitle('Shop');

  // Resolved by the agent: the visitor is asked for a rating once, and the agent sees it.
  await agent.getByRole('button', { name: 'Resolve', exact: true }).click();
  const survey = frame.getByRole('form', { name: 'How would you rate this conversation?' });
  await expect(survey).toBeVisible();
  await expect(survey.getByRole('button', { name: 'Send rating' })).toBeDisabled();
  await survey.getByLabel('4 out of 5').check();
  await survey.getByLabel('Comment (optional)').fill('Quick and kind');
  await survey.getByRole('button', { name: 'Send rating' }).click();
  await expect(frame.getByText('You rated this conversation 4 out of 5. Thank you!')).toBeVisible();
  await expect(survey).toBeHidden();
  await expect(agent.getByText('Rated 4 out of 5 by the visitor')).toBeVisible();
  await expect(agent.getByText('Quick and kind')).toBeVisible();

  // A new conversation, then the list: the old one with its last message and status, readable.
  await frame.getByRole('button', { name: 'New conversation' }).click();
  const second = unique('Another question');
  await visitorSays(frame, second);
  await frame.getByRole('button', { name: 'Your conversations' }).click();
  const list = frame.getByRole('navigation', { name: 'Your conversations' });
  const old = list.getByRole('button').filter({ hasText: markup });
  await expect(old).toContainText('Resolved');
  await expect(list.getByRole('button').filter({ hasText: second })).toContainText('Open');
  await old.click();
  await expect(frame.getByRole('log')).toContainText(question);
  await expect(frame.getByRole('log')).toContainText('This conversation was closed.');
  await expect(frame.getByRole('log')).not.toContainText(second);
});

test('the pre-chat form asks what the site’s admin chose, before the first message', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const site = await createSite();
  await agent.goto('/#/settings/sites');
  await agent.getByLabel('Site', { exact: true }).selectOption({ label: site.name });
  const editor = agent.getByRole('form', { name: `Pre-chat form · ${site.name}` });
  await editor.getByRole('group', { name: 'Name' }).getByLabel('Required').check();
  await editor.getByRole('group', { name: 'Email' }).getByLabel('Optional').check();
  await editor.getByRole('button', { name: 'Save pre-chat form' }).click();
  await expect(editor.getByRole('status')).toHaveText('Pre-chat form saved.');

  const customer = await openCustomerSite(browser, `/embed?siteKey=${site.publicKey}`);
  await launcher(customer).click();
  const frame = chatFrame(customer);
  await expect(frame.getByText('Before we start, please tell us who you are.')).toBeVisible();
  await expect(frame.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  await frame.getByRole('button', { name: 'Start the conversation' }).click();
  await expect(frame.getByRole('alert')).toHaveText('Please enter your name.');
  await frame.getByLabel('Email (optional)').fill('not an email');
  await frame.getByLabel('Name').fill('Grace Hopper');
  await frame.getByRole('button', { name: 'Start the conversation' }).click();
  await expect(frame.getByRole('alert')).toHaveText('Please enter a valid email address.');
  await frame.getByLabel('Email (optional)').fill('');
  await frame.getByRole('button', { name: 'Start the conversation' }).click();
  const question = unique('Hello from Grace');
  await visitorSays(frame, question);

  await agent.goto('/');
  await openConversation(agent, question);
  await expect(
    agent
      .getByRole('list', { name: 'Conversations' })
      .getByRole('link')
      .filter({ hasText: question }),
  ).toContainText('Grace Hopper');

  // The widget's config carries the form (the server's own check is in the API tests).
  const config = await admin.get(`/api/widget/config?siteKey=${site.publicKey}`);
  expect(((await config.json()) as { preChat: unknown }).preChat).toEqual({
    name: 'required',
    email: 'optional',
  });
});

test('Parley.setLocale switches the chat’s language and refuses a malformed tag', async ({
  browser,
}) => {
  const { customer } = await customerPage(browser);
  const frame = await openChat(customer);
  await expect(frame.getByRole('button', { name: 'Send' })).toBeVisible();
  const refused = await customer.evaluate(() => {
    const parley = (window as unknown as { Parley: { setLocale: (l: unknown) => void } }).Parley;
    try {
      parley.setLocale('not a tag!');
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  });
  expect(refused).toBe('Parley.setLocale: expected a language tag like "fr"');
  await customer.evaluate(() => {
    (window as unknown as { Parley: { setLocale: (l: string) => void } }).Parley.setLocale('fr-CA');
  });
  await expect(frame.getByRole('button', { name: 'Envoyer' })).toBeVisible();
  await expect(frame.getByRole('textbox', { name: 'Message' })).toHaveAttribute(
    'placeholder',
    'Écrivez un message…',
  );
  await customer.evaluate(() => {
    (window as unknown as { Parley: { setLocale: (l: string) => void } }).Parley.setLocale('en');
  });
  await expect(frame.getByRole('button', { name: 'Send' })).toBeVisible();
});
