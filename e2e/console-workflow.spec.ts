import { expect, test, type Page } from '@playwright/test';
import {
  closePages,
  openChat,
  openConsole,
  openConversation,
  openCustomerSite,
  unique,
  visitorSays,
} from './support/fixtures';

test.afterEach(closePages);

function inboxItem(page: Page, text: string) {
  return page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: text });
}

/** A second agent, created by the admin through the API, with its one-time password. */
async function createAgent(
  admin: Page,
  name: string,
): Promise<{ email: string; password: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@example.com`;
  const res = await admin.request.post('/api/agents', { data: { email, name } });
  expect(res.status()).toBe(201);
  const { password } = (await res.json()) as { password: string };
  return { email, password };
}

test('two agents assign, leave notes the visitor never sees, use canned responses and move a conversation through its statuses', async ({
  browser,
}) => {
  const admin = await openConsole(browser);
  const beaName = unique('Bea');
  const bea = await openConsole(browser, await createAgent(admin, beaName));

  // A canned response, created by the admin; Bea's console loads it when it opens.
  const shortcut = `ship${Date.now().toString(36)}`;
  const cannedText = unique('Your parcel ships today.');
  const canned = await admin.request.post('/api/canned-responses', {
    data: { shortcut, body: cannedText },
  });
  expect(canned.status()).toBe(201);
  await bea.reload();
  await expect(bea.getByRole('heading', { name: 'Inbox' })).toBeVisible();

  const visitor = await openCustomerSite(browser);
  const frame = await openChat(visitor);
  const question = unique('Where is my parcel?');
  await visitorSays(frame, question);

  // The admin assigns it to Bea; Bea's "Mine" view shows it live.
  await openConversation(admin, question);
  await admin.getByLabel('Assignee').selectOption({ label: beaName });
  await bea.getByRole('button', { name: /^Mine/ }).click();
  await expect(inboxItem(bea, question)).toBeVisible();
  await bea.getByRole('button', { name: /^Unassigned/ }).click();
  await expect(inboxItem(bea, question)).toHaveCount(0);
  await bea.getByRole('button', { name: /^Mine/ }).click();
  await openConversation(bea, question);
  await expect(bea.getByLabel('Assignee')).toHaveValue(/.+/);

  // Bea leaves an internal note: the admin sees it, marked as a note.
  const note = unique('Internal: the carrier lost it');
  await bea.getByRole('button', { name: 'Internal note' }).click();
  const noteBox = bea.getByRole('textbox', { name: 'Internal note' });
  await noteBox.fill(note);
  await noteBox.press('Enter');
  const adminLog = admin.getByRole('log', { name: 'Messages' });
  await expect(adminLog).toContainText(note);
  await expect(adminLog.getByRole('listitem').filter({ hasText: note })).toContainText(
    'Internal note',
  );

  // Then a canned reply with /shortcut: the visitor gets the reply, never the note.
  await bea.getByRole('button', { name: 'Reply', exact: true }).click();
  const reply = bea.getByRole('textbox', { name: 'Reply' });
  // The whole shortcut: another canned response may share its first letters.
  await reply.fill(`/${shortcut}`);
  await expect(bea.getByRole('list', { name: 'Canned responses' })).toContainText(`/${shortcut}`);
  await reply.press('Enter');
  await expect(reply).toHaveValue(cannedText);
  await reply.press('Enter');
  await expect(frame.getByRole('log')).toContainText(cannedText);
  await expect(frame.getByRole('log')).not.toContainText(note);
  await visitor.reload();
  const again = await openChat(visitor);
  await expect(again.getByRole('log')).toContainText(cannedText);
  await expect(again.getByRole('log')).not.toContainText(note);

  // Pending: out of the admin's Open list; the visitor writing brings it back, live.
  await bea.getByRole('button', { name: 'Mark pending' }).click();
  await expect(inboxItem(admin, question)).toHaveCount(0);
  const more = unique('Any news?');
  await visitorSays(again, more);
  await expect(inboxItem(admin, more)).toBeVisible();

  // Snoozed, then resolved: each shows under its own status in the other agent's inbox.
  await bea.getByRole('button', { name: 'Snooze', exact: true }).click();
  await expect(inboxItem(admin, more)).toHaveCount(0);
  await admin.getByRole('button', { name: 'Snoozed' }).click();
  await expect(inboxItem(admin, more)).toBeVisible();
  await expect(admin.getByRole('main')).toContainText(/until/);
  await bea.getByRole('button', { name: 'Resolve', exact: true }).click();
  await admin.getByRole('button', { name: 'Resolved', exact: true }).click();
  await expect(inboxItem(admin, more)).toBeVisible();
});
