import { createHmac } from 'node:crypto';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { CUSTOMER_URL } from './support/env';
import {
  closePages,
  openChat,
  openConsole,
  openConversation,
  unique,
  visitorSays,
} from './support/fixtures';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await closePages();
});

function field(agent: Page, label: string) {
  return agent.getByRole('complementary', { name: 'Visitor' }).getByLabel(label, { exact: true });
}

test('the visitor panel shows who the visitor is, follows its page live, and lists its past conversations', async ({
  browser,
}) => {
  const agent = await openConsole(browser);

  // A site with an identity secret, so that the visitor is a verified user.
  const created = await agent.request.post('/api/sites', {
    data: { name: unique('Panel shop'), allowedOrigins: [CUSTOMER_URL] },
  });
  expect(created.status()).toBe(201);
  const site = ((await created.json()) as { site: { id: string; publicKey: string } }).site;
  const secretRes = await agent.request.post(`/api/sites/${site.id}/identity-secret`);
  expect(secretRes.status()).toBe(200);
  const { secret } = (await secretRes.json()) as { secret: string };
  const userId = unique('user').replace(/\s/g, '-');
  const identity = {
    userId,
    name: 'Ada Lovelace',
    email: 'ada@shop.example',
    userHash: createHmac('sha256', secret).update(userId).digest('hex'),
  };

  // The visitor arrives from a search engine, with a German browser on Windows, in Tokyo.
  const context = await browser.newContext({
    locale: 'de-DE',
    timezoneId: 'Asia/Tokyo',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  });
  contexts.push(context);
  const visitor = await context.newPage();
  await visitor.goto(
    `${CUSTOMER_URL}/identify?siteKey=${site.publicKey}&identity=${encodeURIComponent(JSON.stringify(identity))}`,
    { referer: 'https://search.example/?q=parley' },
  );
  await visitor.evaluate(() => {
    (window as unknown as { Parley: { push: (call: unknown[]) => void } }).Parley.push([
      'setAttributes',
      { plan: 'pro', seats: 3 },
    ]);
  });
  const frame = await openChat(visitor);
  const first = unique('My first question');
  await visitorSays(frame, first);

  // The agent answers and resolves; the visitor starts a second conversation.
  await openConversation(agent, first);
  await agent.getByRole('button', { name: 'Resolve', exact: true }).click();
  await frame.getByRole('button', { name: 'New conversation' }).click();
  const second = unique('My second question');
  await visitorSays(frame, second);
  await openConversation(agent, second);

  const panel = agent.getByRole('complementary', { name: 'Visitor' });
  await expect(panel.getByRole('heading', { name: /Ada Lovelace/ })).toBeVisible();
  await expect(panel.getByText('Verified', { exact: true })).toBeVisible();
  await expect(field(agent, 'Email')).toHaveText('ada@shop.example');
  await expect(field(agent, 'Referrer')).toHaveText('https://search.example/?q=parley');
  await expect(field(agent, 'Browser')).toHaveText('Chrome 120');
  await expect(field(agent, 'Operating system')).toHaveText('Windows');
  await expect(field(agent, 'Language')).toHaveText('de-DE');
  await expect(field(agent, 'Local time')).toHaveText(/^\d{2}:\d{2} \(Asia\/Tokyo\)$/);
  await expect(field(agent, 'plan')).toHaveText('pro');
  await expect(field(agent, 'seats')).toHaveText('3');
  await expect(field(agent, 'Current page')).toHaveText(
    `${CUSTOMER_URL}/identify?siteKey=${site.publicKey}&identity=${encodeURIComponent(JSON.stringify(identity))}`,
  );

  // A single-page-app navigation on the customer's site: the panel follows it live.
  await visitor.evaluate(() => {
    history.pushState({}, '', '/pricing?plan=pro');
  });
  await expect(field(agent, 'Current page')).toHaveText(`${CUSTOMER_URL}/pricing?plan=pro`);

  // The earlier conversation is listed and opens on a click.
  const past = panel.getByRole('list', { name: 'Past conversations' }).getByRole('link');
  await expect(past).toHaveCount(1);
  await expect(past).toContainText(first);
  await past.click();
  await expect(agent.getByRole('log', { name: 'Messages' })).toContainText(first);
  await expect(
    panel.getByRole('list', { name: 'Past conversations' }).getByRole('link'),
  ).toContainText(second);
});
