import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import {
  expect,
  test,
  type APIRequestContext,
  type FrameLocator,
  type Page,
} from '@playwright/test';
import type { TransportMode, TransportSettings } from '@parley/protocol';
import { dropDatabase, startCluster, type Cluster } from '../scripts/cluster-lib.mjs';
import {
  CLUSTER_BASE_PORT,
  CLUSTER_CUSTOMER_PORT,
  CLUSTER_CUSTOMER_URL,
  CLUSTER_UPGRADE_PORT,
  CLUSTER_UPGRADE_URL,
  CLUSTER_URL,
} from './support/cluster-env';
import { ADMIN_EMAIL, ADMIN_PASSWORD, SITE_KEY } from './support/env';
import {
  agentReplies,
  closePages,
  converse,
  openConsole,
  openCustomerSite,
  unique,
  visitorSays,
  watchWebSockets,
} from './support/fixtures';

// One cluster for the whole file; the tests kill and restart its nodes, so they run in order.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const databaseUrl = (() => {
  const url = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test');
  url.pathname = `/parley_e2e_cluster_${String(process.pid)}`;
  return url.toString();
})();

let cluster: Cluster;
let customerSite: ChildProcess;
let admin: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  mkdirSync('test-results', { recursive: true });
  cluster = await startCluster({
    nodes: 3,
    basePort: CLUSTER_BASE_PORT,
    upgradePort: CLUSTER_UPGRADE_PORT,
    databaseUrl,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    logFile: 'test-results/cluster-nodes.log',
    env: {
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      DEFAULT_SITE_KEY: SITE_KEY,
      DEFAULT_SITE_ORIGINS: CLUSTER_CUSTOMER_URL,
      REDIS_PREFIX: `e2e${String(process.pid)}:`,
      LOG_LEVEL: 'info',
      NODE_TTL_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '5000',
      RECONNECTION_DELAY_MS: '300',
      RECONNECTION_DELAY_MAX_MS: '2000',
    },
  });
  customerSite = spawn(
    process.execPath,
    [
      'e2e/support/customer-site.mjs',
      String(CLUSTER_CUSTOMER_PORT),
      CLUSTER_URL,
      SITE_KEY,
      CLUSTER_UPGRADE_URL,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(customerSite.stdout ?? customerSite, 'data');
  admin = await playwright.request.newContext({ baseURL: CLUSTER_URL });
  const login = await admin.post('/api/auth/login', {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expect(login.ok()).toBe(true);
});

test.afterEach(async () => {
  await closePages();
});

test.afterAll(async () => {
  await admin.dispose();
  customerSite.kill();
  await cluster.stop();
  await dropDatabase(databaseUrl);
});

async function setMode(mode: TransportMode): Promise<void> {
  const res = await admin.put('/api/settings/transport', { data: { mode } });
  expect(res.ok()).toBe(true);
  // Every node applies it within a second (through Redis); wait for each to say so.
  const cookie = (await admin.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  for (const node of cluster.nodes.filter((n) => n.running)) {
    await expect
      .poll(async () => {
        const current = await fetch(`${node.url}/api/settings/transport`, { headers: { cookie } });
        return ((await current.json()) as TransportSettings).mode;
      })
      .toBe(mode);
  }
}

/** Which node the balancer sent each socket.io request of a page (and its frames) to, and the session ids. */
function watchNodes(page: Page): { entries: string[]; sessions: string[] } {
  const seen = { entries: [] as string[], sessions: [] as string[] };
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/socket.io/')) return;
    const node = response.headers()['x-parley-node'];
    if (node) seen.entries.push(node);
    const sid = url.searchParams.get('sid');
    if (sid) seen.sessions.push(sid);
  });
  return seen;
}

function ownerOf(sid: string | undefined): string {
  expect(sid).toMatch(/^n\d\./);
  return (sid ?? '').split('.')[0] ?? '';
}

/** The visitor's delivered messages, in the order the widget shows them. */
function visitorLog(frame: FrameLocator) {
  return frame.locator('.msg[data-status="sent"] .msg__body');
}

/** The agent's committed messages (not those still sending), in the order the console shows them. */
function agentLog(page: Page) {
  return page.getByRole('log', { name: 'Messages' }).locator('li.message[data-seq] .message-body');
}

async function metricsOf(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function sumOf(metrics: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

test('in polling mode, a conversation holds while every client’s requests are spread over the nodes', async ({
  browser,
}) => {
  await setMode('polling');
  let agentNodes = { entries: [] as string[], sessions: [] as string[] };
  let visitorNodes = { entries: [] as string[], sessions: [] as string[] };
  let agentSockets: string[] = [];
  let visitorSockets: string[] = [];
  const agent = await openConsole(browser, {
    url: `${CLUSTER_URL}/`,
    before: (p) => {
      agentNodes = watchNodes(p);
      agentSockets = watchWebSockets(p);
    },
  });
  const visitor = await openCustomerSite(browser, `${CLUSTER_CUSTOMER_URL}/`, (p) => {
    visitorNodes = watchNodes(p);
    visitorSockets = watchWebSockets(p);
  });
  const { frame, question, answer } = await converse(visitor, agent);
  const lines = [question, answer];
  for (let i = 1; i <= 3; i += 1) {
    const asked = unique(`Question ${String(i)}`);
    await visitorSays(frame, asked);
    await expect(agentLog(agent)).toContainText([asked]);
    const replied = unique(`Answer ${String(i)}`);
    await agentReplies(agent, replied);
    await expect(visitorLog(frame)).toContainText([replied]);
    lines.push(asked, replied);
  }
  await expect(visitorLog(frame)).toHaveText(lines);
  await expect(agentLog(agent)).toHaveText(lines);

  // Plain round-robin spread each client's requests over several nodes, and no WebSocket was used.
  expect(new Set(visitorNodes.entries).size).toBeGreaterThanOrEqual(2);
  expect(new Set(agentNodes.entries).size).toBeGreaterThanOrEqual(2);
  expect(visitorSockets).toEqual([]);
  expect(agentSockets).toEqual([]);

  // Each node reports its own connections and the polls it forwarded to the session's node.
  const metrics = await Promise.all(cluster.nodes.map((n) => metricsOf(n.url)));
  const forwarded = metrics.map((m) =>
    sumOf(m, 'parley_forwarded_requests_total', { kind: 'polling', outcome: 'forwarded' }),
  );
  expect(forwarded.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  const owners = [ownerOf(visitorNodes.sessions.at(-1)), ownerOf(agentNodes.sessions.at(-1))];
  metrics.forEach((m, i) => {
    const node = cluster.nodes[i]?.id ?? '';
    expect(m).toContain(`node="${node}"`);
    expect(sumOf(m, 'parley_connections', { namespace: '/widget', transport: 'polling' })).toBe(
      owners[0] === node ? 1 : 0,
    );
    expect(sumOf(m, 'parley_connections', { namespace: '/agent', transport: 'polling' })).toBe(
      owners[1] === node ? 1 : 0,
    );
  });
});

for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
  test(`the node holding the visitor’s session is stopped with ${signal} mid-conversation: nothing is lost or doubled`, async ({
    browser,
  }) => {
    await setMode('polling');
    let visitorNodes = { entries: [] as string[], sessions: [] as string[] };
    const agent = await openConsole(browser, { url: `${CLUSTER_URL}/` });
    const visitor = await openCustomerSite(browser, `${CLUSTER_CUSTOMER_URL}/`, (p) => {
      visitorNodes = watchNodes(p);
    });
    const { frame, question, answer } = await converse(visitor, agent);
    const before = [unique('Before, visitor'), unique('Before, agent')];
    await visitorSays(frame, before[0] ?? '');
    await expect(agentLog(agent)).toContainText([before[0] ?? '']);
    await agentReplies(agent, before[1] ?? '');
    await expect(visitorLog(frame)).toContainText([before[1] ?? '']);

    const victim = cluster.node(ownerOf(visitorNodes.sessions.at(-1)));
    const sessionsBefore = visitorNodes.sessions.length;
    const exitCode = await victim.stop(signal);
    if (signal === 'SIGTERM') expect(exitCode).toBe(0);

    // While the widget finds another node, both sides keep writing.
    const during = [unique('During, visitor'), unique('During, agent')];
    await visitorSays(frame, during[0] ?? '');
    await agentReplies(agent, during[1] ?? '');

    // The widget is back on a surviving node.
    await expect
      .poll(() => visitorNodes.sessions.slice(sessionsBefore).map(ownerOf))
      .toContainEqual(expect.not.stringMatching(new RegExp(`^${victim.id}$`)));
    const after = [unique('After, visitor'), unique('After, agent')];
    await visitorSays(frame, after[0] ?? '');
    await agentReplies(agent, after[1] ?? '');

    const all = [question, answer, ...before, ...during, ...after];
    for (const log of [visitorLog(frame), agentLog(agent)]) {
      await expect
        .poll(async () => [...(await log.allTextContents())].sort())
        .toEqual([...all].sort());
    }
    // Same order on both sides (the server's seq order), each side's own lines in the order written.
    const seenByVisitor = await visitorLog(frame).allTextContents();
    expect(await agentLog(agent).allTextContents()).toEqual(seenByVisitor);
    for (const [first, second] of [
      [before[0], during[0]],
      [during[0], after[0]],
      [before[1], during[1]],
      [during[1], after[1]],
    ]) {
      expect(seenByVisitor.indexOf(first ?? '')).toBeLessThan(seenByVisitor.indexOf(second ?? ''));
    }
    const seqs = await agent
      .getByRole('log', { name: 'Messages' })
      .locator('li.message[data-seq]')
      .evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    await victim.start();
  });
}

test('in auto and websocket modes, through a balancer that passes the Upgrade, the conversation holds', async ({
  browser,
}) => {
  for (const mode of ['auto', 'websocket'] as const) {
    await setMode(mode);
    let visitorSockets: string[] = [];
    let agentSockets: string[] = [];
    const agent = await openConsole(browser, {
      url: `${CLUSTER_UPGRADE_URL}/`,
      before: (p) => (agentSockets = watchWebSockets(p)),
    });
    const visitor = await openCustomerSite(browser, `${CLUSTER_CUSTOMER_URL}/proxied`, (p) => {
      visitorSockets = watchWebSockets(p);
    });
    const { frame } = await converse(visitor, agent);
    const more = [unique(`${mode}: visitor`), unique(`${mode}: agent`)];
    await visitorSays(frame, more[0] ?? '');
    await expect(agentLog(agent)).toContainText([more[0] ?? '']);
    await agentReplies(agent, more[1] ?? '');
    await expect(visitorLog(frame)).toContainText([more[1] ?? '']);
    expect(visitorSockets.some((u) => u.includes('/socket.io/'))).toBe(true);
    expect(agentSockets.some((u) => u.includes('/socket.io/'))).toBe(true);
    await closePages();
  }
  await setMode('auto');
});
