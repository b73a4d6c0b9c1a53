import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { ConnectionsResponse, TransportMode } from '@parley/protocol';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_URL, PROXY_URL } from './support/env';
import {
  converse,
  openConsole,
  openCustomerSite,
  unique,
  visitorSays,
  watchWebSockets,
  closePages,
} from './support/fixtures';

// These tests change the server-wide transport mode: one at a time.
test.describe.configure({ mode: 'serial' });

let admin: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  admin = await playwright.request.newContext({ baseURL: API_URL });
  const login = await admin.post('/api/auth/login', {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expect(login.ok()).toBe(true);
});

test.afterEach(async () => {
  await closePages();
  await setMode('auto');
});

test.afterAll(async () => {
  await admin.dispose();
});

async function setMode(mode: TransportMode): Promise<void> {
  const res = await admin.put('/api/settings/transport', { data: { mode } });
  expect(res.ok()).toBe(true);
}

async function connections(): Promise<ConnectionsResponse> {
  const res = await admin.get('/api/realtime/connections');
  expect(res.ok()).toBe(true);
  return (await res.json()) as ConnectionsResponse;
}

/** A visitor and an agent hold a conversation; returns the WebSockets each page opened. */
async function watchedConversation(
  browser: Browser,
): Promise<{ agent: Page; sockets: { agent: string[]; visitor: string[] } }> {
  const sockets = { agent: [] as string[], visitor: [] as string[] };
  const agent = await openConsole(browser, { before: (p) => (sockets.agent = watchWebSockets(p)) });
  const visitor = await openCustomerSite(
    browser,
    '/',
    (p) => (sockets.visitor = watchWebSockets(p)),
  );
  await converse(visitor, agent);
  return { agent, sockets };
}

/** Every live connection (there are at least `min`) is on long-polling. */
async function allOnPolling(min: number): Promise<boolean> {
  const live = await connections();
  return live.connections.length >= min && live.connections.every((c) => c.transport === 'polling');
}

test('in polling mode the widget and the console open no WebSocket at all, and the conversation works', async ({
  browser,
}) => {
  await setMode('polling');
  const { sockets } = await watchedConversation(browser);
  expect(sockets.agent).toEqual([]);
  expect(sockets.visitor).toEqual([]);
  expect(await allOnPolling(2)).toBe(true);
});

test('in auto mode the widget and the console upgrade to WebSocket', async ({ browser }) => {
  const { agent, sockets } = await watchedConversation(browser);
  await expect.poll(() => sockets.agent.length).toBeGreaterThan(0);
  await expect.poll(() => sockets.visitor.length).toBeGreaterThan(0);
  await expect(agent.getByRole('status').filter({ hasText: /WebSocket/ })).toBeVisible();
});

test('a live switch to polling moves both ends within 2 s and every message arrives exactly once, in order', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const visitor = await openCustomerSite(browser);
  const { frame } = await converse(visitor, agent);
  await expect
    .poll(async () => (await connections()).countsByTransport.websocket)
    .toBeGreaterThanOrEqual(2);

  const settings = await openConsole(browser);
  await settings.getByRole('link', { name: 'Transport' }).click();
  await settings.getByRole('radio', { name: 'Long-polling only' }).check();

  const tag = unique('switch');
  const visitorLines = [1, 2, 3, 4, 5, 6].map((n) => `${tag} visitor ${n}`);
  const agentLines = [1, 2, 3, 4, 5, 6].map((n) => `${tag} agent ${n}`);
  const send = async (n: number) => {
    const box = frame.getByRole('textbox', { name: 'Message' });
    await box.click();
    await box.fill(visitorLines[n] ?? '');
    await box.press('Enter');
    await agent.getByLabel('Reply').fill(agentLines[n] ?? '');
    await agent.getByLabel('Reply').press('Enter');
  };
  await send(0);
  await send(1);
  await settings.getByRole('button', { name: 'Save' }).click();
  const switchedAt = Date.now();
  // Watched while both sides keep writing through the switch.
  const moved = (async () => {
    while (Date.now() - switchedAt < 5_000) {
      if (await allOnPolling(3)) return Date.now() - switchedAt;
      await new Promise((r) => setTimeout(r, 100));
    }
    return Number.POSITIVE_INFINITY;
  })();
  await send(2);
  await send(3);
  expect(await moved).toBeLessThan(2_000);
  await send(4);
  await send(5);

  for (const log of [frame.getByRole('log'), agent.getByRole('log', { name: 'Messages' })]) {
    for (const line of [...visitorLines, ...agentLines]) {
      await expect(log.getByText(line, { exact: true })).toHaveCount(1);
    }
    const text = (await log.innerText()).split('\n');
    const order = (lines: string[]) => lines.map((l) => text.findIndex((t) => t.includes(l)));
    for (const positions of [order(visitorLines), order(agentLines)]) {
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  }

  // And back: the clients upgrade to WebSocket again.
  await settings.getByRole('radio', { name: 'Auto' }).check();
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(async () => (await connections()).countsByTransport.websocket, { timeout: 5_000 })
    .toBeGreaterThanOrEqual(2);
  const after = unique('after switching back');
  await visitorSays(frame, after);
  await expect(
    agent.getByRole('log', { name: 'Messages' }).getByText(after, { exact: true }),
  ).toHaveCount(1);
});

test.describe('through a proxy that drops the WebSocket Upgrade', () => {
  for (const mode of ['polling', 'auto'] as const) {
    test(`in ${mode} mode the full conversation works on long-polling`, async ({ browser }) => {
      await setMode(mode);
      const agent = await openConsole(browser, { url: `${PROXY_URL}/` });
      const visitor = await openCustomerSite(browser, '/proxied');
      await expect(visitor.locator('iframe[title="Parley chat"]')).toHaveAttribute(
        'src',
        new RegExp(`^${PROXY_URL}/`),
      );
      await converse(visitor, agent);
      await expect(agent.getByRole('status').filter({ hasText: /polling/i })).toBeVisible();
      expect(await allOnPolling(2)).toBe(true);
      if (mode === 'auto') {
        const live = await connections();
        // The blocked upgrades show up where an admin looks for them.
        expect(live.failures.some((f) => f.transport === 'websocket')).toBe(true);
      }
    });
  }
});
