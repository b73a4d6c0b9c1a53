import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { API_URL } from './support/env';
import {
  closePages,
  openChat,
  openConsole,
  signIn,
  openConversation,
  openCustomerSite,
  unique,
  visitorSays,
} from './support/fixtures';

test.afterEach(closePages);

/** A new agent, created by the admin through the API, with its one-time password. */
async function createAgent(admin: Page, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@example.com`;
  const res = await admin.request.post('/api/agents', { data: { email, name } });
  expect(res.status()).toBe(201);
  const { password } = (await res.json()) as { password: string };
  return { email, password };
}

function teammate(page: Page, name: string) {
  return page.getByRole('region', { name: 'Team' }).getByRole('listitem').filter({ hasText: name });
}

interface Recorded {
  notifications: { title: string; body: string }[];
  sounds: number;
}

/** What the page's notifications and chimes did, recorded by the init script below. */
function recorded(page: Page): Promise<Recorded> {
  return page.evaluate(() => (window as unknown as { __parley: Recorded }).__parley);
}

/**
 * Records every Notification the console constructs (the real one is still created) and every
 * WebAudio oscillator it starts, before any of the console's code runs.
 */
async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.grantPermissions(['notifications'], { origin: API_URL });
  await context.addInitScript(() => {
    const record: { notifications: { title: string; body: string }[]; sounds: number } = {
      notifications: [],
      sounds: 0,
    };
    (window as unknown as { __parley: typeof record }).__parley = record;
    const Original = window.Notification;
    class RecordingNotification extends Original {
      constructor(title: string, options?: NotificationOptions) {
        record.notifications.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    window.Notification = RecordingNotification;
    // `start` lives on the base class of oscillators (and the console plays only oscillators).
    const scheduled = AudioScheduledSourceNode.prototype;
    const original = Object.getOwnPropertyDescriptor(scheduled, 'start')?.value as (
      this: AudioScheduledSourceNode,
      when?: number,
    ) => void;
    scheduled.start = function (this: AudioScheduledSourceNode, when?: number) {
      record.sounds += 1;
      original.call(this, when);
    };
  });
}

test('agents see each other come online, go away and leave, live', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await openConsole(browser);
  const beaName = unique('Bea');
  const bea = await openConsole(browser, await createAgent(admin, beaName));
  // The admin's console loads the team when it starts: Bea exists now.
  await admin.reload();
  await expect(teammate(admin, beaName)).toHaveAttribute('data-status', 'online');

  // Bea switches to away: the admin sees it at once; Bea's switch stays on after a reload.
  const away = bea.getByRole('button', { name: 'Away' });
  await expect(away).toHaveAttribute('aria-pressed', 'false');
  await away.click();
  await expect(away).toHaveAttribute('aria-pressed', 'true');
  await expect(teammate(admin, beaName)).toHaveAttribute('data-status', 'away');
  await expect(teammate(admin, beaName)).toContainText('Away');
  await bea.reload();
  await expect(bea.getByRole('button', { name: 'Away' })).toHaveAttribute('aria-pressed', 'true');
  await bea.getByRole('button', { name: 'Away' }).click();
  await expect(teammate(admin, beaName)).toHaveAttribute('data-status', 'online');

  // A second console tab of Bea's closes: still online. The last one closes: offline.
  const beaSecondTab = await bea.context().newPage();
  await beaSecondTab.goto('/');
  await expect(beaSecondTab.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await bea.close();
  await expect(teammate(admin, beaName)).toHaveAttribute('data-status', 'online');
  await beaSecondTab.close();
  // Usually at once; a connection whose end the server did not see (closed between two polls)
  // is ended by the heartbeat: PING_INTERVAL_MS + PING_TIMEOUT_MS, 40 s by default.
  await expect(teammate(admin, beaName)).toHaveAttribute('data-status', 'offline', {
    timeout: 45_000,
  });
  await expect(teammate(admin, beaName)).toContainText('Offline');
});

test('the agent hears of new conversations and visitor messages, not of their own, the open one or colleagues’ conversations', async ({
  browser,
}) => {
  const admin = await openConsole(browser);
  const agentName = unique('Cy');
  const credentials = await createAgent(admin, agentName);
  const context = await browser.newContext();
  await recordNotifications(context);
  const agent = await context.newPage();
  await agent.goto('/');
  await signIn(agent, credentials.email, credentials.password);

  // Both are on by default; permission is granted, so no button asks for it.
  await agent.getByText('Notifications', { exact: true }).click();
  await expect(agent.getByLabel('Browser notifications')).toBeChecked();
  await expect(agent.getByLabel('Sound')).toBeChecked();
  await expect(agent.getByRole('button', { name: 'Allow browser notifications' })).toHaveCount(0);
  await agent.getByText('Notifications', { exact: true }).click();

  const bodies = async () => (await recorded(agent)).notifications.map((n) => n.body);

  // A new conversation: a notification, a chime, a count in the tab title.
  const visitor = await openCustomerSite(browser);
  const frame = await openChat(visitor);
  const first = unique('Is anyone there?');
  await visitorSays(frame, first);
  await expect.poll(bodies).toContain(first);
  const { notifications, sounds } = await recorded(agent);
  expect(notifications.find((n) => n.body === first)?.title).toMatch(/^New conversation: /);
  expect(sounds).toBeGreaterThan(0);
  await expect(agent).toHaveTitle(/^\(\d+\) Parley console$/);

  // Looking at the conversation: nothing for what the visitor writes there.
  await openConversation(agent, first);
  const seen = unique('I can wait');
  await visitorSays(frame, seen);
  await expect(agent.getByRole('log', { name: 'Messages' })).toContainText(seen);
  // The agent's own reply never notifies either.
  const reply = unique('Hello, how can I help?');
  await agent.getByLabel('Reply').fill(reply);
  await agent.getByLabel('Reply').press('Enter');
  await expect(frame.getByRole('log')).toContainText(reply);

  // Back on the inbox: the visitor's next message notifies.
  await agent.getByRole('link', { name: 'Inbox' }).click();
  const later = unique('My order number is 42');
  await visitorSays(frame, later);
  await expect.poll(bodies).toContain(later);
  expect((await bodies()).filter((b) => b === seen || b === reply)).toEqual([]);
  expect((await recorded(agent)).notifications.find((n) => n.body === later)?.title).toMatch(
    /^New message from /,
  );

  // Assigned to a colleague: none.
  await openConversation(agent, later);
  await agent.getByLabel('Assignee').selectOption({ label: 'Admin' });
  await expect(agent.getByTestId('assignee-presence')).toHaveText('Online');
  await agent.getByRole('link', { name: 'Inbox' }).click();
  const forAdmin = unique('Still there?');
  await visitorSays(frame, forAdmin);
  await agent.getByRole('button', { name: /^All/ }).click();
  await expect(
    agent
      .getByRole('list', { name: 'Conversations' })
      .getByRole('link')
      .filter({ hasText: forAdmin }),
  ).toBeVisible();
  expect(await bodies()).not.toContain(forAdmin);

  // The visitor's presence shows in the inbox and goes when the chat closes.
  const item = agent
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: forAdmin });
  await expect(item.getByText('Visitor online')).toBeAttached();
  await visitor.close();
  await expect(item.getByText('Visitor offline')).toBeAttached();

  // Settings are kept on the server: sound off survives a reload.
  await agent.getByText('Notifications', { exact: true }).click();
  await agent.getByLabel('Sound').uncheck();
  await expect(agent.getByLabel('Sound')).not.toBeChecked();
  await agent.reload();
  await agent.getByText('Notifications', { exact: true }).click();
  await expect(agent.getByLabel('Sound')).not.toBeChecked();
  await expect(agent.getByLabel('Browser notifications')).toBeChecked();
  await context.close();
});

test('a large team keeps to a bounded strip under the inbox, folds away, and the inbox stays usable', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const admin = await openConsole(browser);
  const names = Array.from({ length: 30 }, (_, i) => unique(`Crew ${String(i)}`));
  for (const name of names) await createAgent(admin, name);
  const customer = await openCustomerSite(browser);
  const text = unique('Hello from a busy afternoon');
  await visitorSays(await openChat(customer), text);

  const [first, last] = [names[0] ?? '', names[29] ?? ''];
  await admin.reload();
  const team = admin.getByRole('region', { name: 'Team' });
  await expect(teammate(admin, last)).toBeVisible();
  const list = admin.getByRole('list', { name: 'Conversations' });
  const [listBox, teamBox] = await Promise.all([list.boundingBox(), team.boundingBox()]);
  if (!listBox || !teamBox) throw new Error('the inbox list and the team are both on screen');
  // The team scrolls inside its own strip; the list keeps room and nothing lies over it.
  expect(teamBox.height).toBeLessThanOrEqual(241);
  expect(listBox.height).toBeGreaterThanOrEqual(120);
  expect(teamBox.y).toBeGreaterThanOrEqual(listBox.y + listBox.height - 1);
  await openConversation(admin, text);

  const toggle = team.getByRole('button', { name: /Team/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(teammate(admin, first)).toBeHidden();
});
