import { expect, test } from '@playwright/test';
import { API_URL } from './support/env';
import {
  converse,
  chatFrame,
  launcher,
  openChat,
  openConsole,
  openConversation,
  openCustomerSite,
  unique,
  visitorSays,
  closePages,
} from './support/fixtures';

test.afterEach(closePages);

test('a visitor on a customer site chats live with a signed-in agent, and the history survives a reload', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const visitor = await openCustomerSite(browser);

  // The conversation appears in the agent's inbox without a reload, and the answer comes back.
  const { question, answer } = await converse(visitor, agent);

  await visitor.reload();
  const again = await openChat(visitor);
  await expect(again.getByRole('log')).toContainText(question);
  await expect(again.getByRole('log')).toContainText(answer);

  // And the visitor can go on in the same conversation.
  const more = unique('Thanks!');
  await visitorSays(again, more);
  await expect(agent.getByRole('log', { name: 'Messages' })).toContainText(more);
});

test('the chat frame comes from the Parley origin and a visitor who never opens it holds no socket', async ({
  browser,
}) => {
  const visitor = await openCustomerSite(browser);
  const socketRequests: string[] = [];
  visitor.on('request', (req) => {
    if (req.url().includes('/socket.io/')) socketRequests.push(req.url());
  });
  visitor.on('websocket', (ws) => socketRequests.push(ws.url()));
  await expect(launcher(visitor)).toBeVisible();
  await visitor.waitForLoadState('load');
  const src = await visitor.locator('iframe[title="Parley chat"]').getAttribute('src');
  expect(src).toMatch(new RegExp(`^${API_URL}/widget/`));
  // Give the lazily loaded frame every chance to connect; it must not.
  await expect(chatFrame(visitor).locator('body')).toBeAttached();
  await visitor.waitForTimeout(1_500);
  expect(socketRequests).toEqual([]);

  const frame = await openChat(visitor);
  await expect(frame.getByRole('textbox', { name: 'Message' })).toBeEditable();
  await expect.poll(() => socketRequests.length).toBeGreaterThan(0);
});

test('two copies of the snippet on a page make one widget', async ({ browser }) => {
  const page = await openCustomerSite(browser, '/twice');
  await expect(launcher(page)).toHaveCount(1);
  await page.waitForLoadState('load');
  await expect(page.locator('iframe[title="Parley chat"]')).toHaveCount(1);
});

test('a message rendered in the console and the widget is text, never markup', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const visitor = await openCustomerSite(browser);
  let dialogs = 0;
  for (const page of [agent, visitor])
    page.on('dialog', (d) => void d.dismiss().then(() => (dialogs += 1)));
  const hostile = unique('<img src=x onerror="alert(1)"><b>bold</b>');
  const frame = await openChat(visitor);
  await visitorSays(frame, hostile);
  await openConversation(agent, hostile);
  await expect(agent.getByRole('log', { name: 'Messages' }).locator('b')).toHaveCount(0);
  await expect(frame.getByRole('log').locator('img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});
