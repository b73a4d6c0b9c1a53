import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  API_PORT,
  API_URL,
  CUSTOMER_PORT,
  CUSTOMER_URL,
  PROXY_PORT,
  PROXY_URL,
  SITE_KEY,
} from './e2e/support/env';

const chromium =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const dataDir = `${process.env.TMPDIR ?? '/tmp'}/parley-e2e-${process.pid}`;

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON
    ? [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON }]]
    : 'list',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: API_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'conversation', testMatch: /conversation\.spec\.ts/ },
    // Two agents in two browser contexts: assignment, views, notes, canned responses, statuses.
    {
      name: 'console-workflow',
      testMatch: /console-.*\.spec\.ts/,
      dependencies: ['conversation'],
    },
    // Creates its own sites; hostile messages, origins, identity, strict CSP pages, rate limits.
    { name: 'security', testMatch: /security.*\.spec\.ts/ },
    // The widget's SDK and accessibility on a customer page.
    { name: 'widget', testMatch: /widget-.*\.spec\.ts/, testIgnore: /widget-offline\.spec\.ts/ },
    // The widget with no agent online: runs once the projects that open consoles are done.
    {
      name: 'availability',
      testMatch: /widget-offline\.spec\.ts/,
      dependencies: ['conversation', 'security', 'console-workflow', 'widget'],
      fullyParallel: false,
    },
    // Switches the server-wide transport mode: runs alone, after the others.
    {
      name: 'transport',
      testMatch: /transport\.spec\.ts/,
      dependencies: ['conversation', 'security', 'console-workflow', 'widget', 'availability'],
      fullyParallel: false,
    },
    // Its own node (E2E_PORT_BASE + 3) on a fresh PostgreSQL database seeded with SQL: search over
    // 100,000 messages, keyboard shortcuts, reports on a known data set.
    { name: 'search', testMatch: /(search|reports)\.spec\.ts/, fullyParallel: false },
    // Starts its own three-node cluster behind nginx (ports 4310 to 4315) and kills its nodes.
    { name: 'cluster', testMatch: /cluster\.spec\.ts/, fullyParallel: false },
    // Its own three nodes and Redis (ports 4330 to 4339), failing on purpose; no browser.
    { name: 'faults', testMatch: /faults\.spec\.ts/, fullyParallel: false },
  ],
  webServer: [
    {
      command: `rm -rf ${dataDir} && node apps/api/dist/main.js`,
      url: `${API_URL}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(API_PORT),
        HOST: '::',
        PARLEY_DATA_DIR: dataDir,
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
        DEFAULT_SITE_KEY: SITE_KEY,
        DEFAULT_SITE_ORIGINS: CUSTOMER_URL,
        // Every browser test comes from one address: per-IP limits sized for the whole run.
        LIMIT_CONNECTIONS_PER_IP: '2000/1m',
        LIMIT_CONVERSATIONS_PER_IP: '2000/1h',
        LIMIT_UPLOADS_PER_IP: '2000/1h',
        LOG_LEVEL: 'warn',
        RECONNECTION_DELAY_MS: '300',
        RECONNECTION_DELAY_MAX_MS: '2000',
      },
    },
    {
      command: `node e2e/support/customer-site.mjs ${CUSTOMER_PORT} ${API_URL} ${SITE_KEY} ${PROXY_URL}`,
      url: CUSTOMER_URL,
      reuseExistingServer: false,
    },
    {
      // nginx in front of the API, dropping the WebSocket Upgrade like a Classic ELB HTTP listener.
      command: `node deploy/nginx/render.mjs deploy/nginx/no-websocket.conf.template 127.0.0.1:${PROXY_PORT} 127.0.0.1:${API_PORT}`,
      url: `http://127.0.0.1:${PROXY_PORT}/healthz`,
      reuseExistingServer: false,
    },
  ],
});
