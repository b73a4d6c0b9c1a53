import { test, expect } from '@playwright/test';
import {
  agentReplies,
  chatFrame,
  closePages,
  openChat,
  openConsole,
  openConversation,
  openCustomerSite,
  visitorSays,
} from '../support/fixtures';

const OUT = 'docs/screenshots';

test.afterEach(closePages);

test('README pictures: the inbox, a conversation and the widget', async ({ browser }) => {
  const agent = await openConsole(browser);
  await agent.setViewportSize({ width: 1440, height: 800 });

  // A few visitors so that the inbox looks like a working day.
  const question = 'Hi! My order #4412 has not arrived yet, can you check?';
  const others = ['Do you ship to Canada?', 'How do I change the email on my account?'];
  for (const line of others) {
    const visitor = await openCustomerSite(browser);
    await visitorSays(await openChat(visitor), line);
  }
  const visitor = await openCustomerSite(browser);
  await visitor.setViewportSize({ width: 1100, height: 760 });
  const frame = await openChat(visitor);
  await visitorSays(frame, question);

  await openConversation(agent, question);
  await agentReplies(
    agent,
    'Hello! It left our warehouse yesterday; it should reach you tomorrow.',
  );
  await expect(chatFrame(visitor).getByRole('log')).toContainText('warehouse');
  await visitorSays(frame, 'Great, thank you!');
  await expect(agent.getByRole('log', { name: 'Messages' })).toContainText('Great, thank you!');

  await agent.screenshot({ path: `${OUT}/console-conversation.png` });
  await visitor.screenshot({ path: `${OUT}/widget.png` });
  await agent.goto('/');
  await expect(agent.getByRole('list', { name: 'Conversations' })).toContainText(others[0] ?? '');
  await expect(agent.getByRole('banner').getByRole('status')).toContainText('Connected');
  await agent.screenshot({ path: `${OUT}/console-inbox.png` });
});
