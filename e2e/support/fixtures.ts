import {
  expect,
  request,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type FrameLocator,
  type Page,
} from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_URL, CUSTOMER_URL } from './env';

const contexts = new Set<BrowserContext>();

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.add(context);
  return context.newPage();
}

/** Closes every browser context the helpers opened (call in afterEach): no socket outlives its test. */
export async function closePages(): Promise<void> {
  await Promise.all([...contexts].map((c) => c.close()));
  contexts.clear();
}

/** An API client signed in as the admin (dispose of it when done). */
export async function adminApi(): Promise<APIRequestContext> {
  const admin = await request.newContext({ baseURL: API_URL });
  const res = await admin.post('/api/auth/login', {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expect(res.status()).toBe(200);
  return admin;
}

/**
 * Signs an agent into the console in a fresh browser context and waits for the inbox. An agent
 * signing in with a one-time password chooses `newPassword` (by default the one-time password
 * followed by "-own") on the way.
 */
export async function openConsole(
  browser: Browser,
  options: {
    url?: string;
    before?: (page: Page) => void;
    email?: string;
    password?: string;
    newPassword?: string;
  } = {},
): Promise<Page> {
  const page = await newPage(browser);
  options.before?.(page);
  await page.goto(options.url ?? '/');
  await signIn(page, options.email ?? ADMIN_EMAIL, options.password ?? ADMIN_PASSWORD, {
    newPassword: options.newPassword,
  });
  return page;
}

/**
 * Fills in the console's sign-in form and waits for the inbox. After a one-time password, chooses
 * `newPassword` (by default the one-time password followed by "-own") on the way.
 */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  options: { newPassword?: string | undefined } = {},
): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const inbox = page.getByRole('heading', { name: 'Inbox' });
  const choose = page.getByRole('heading', { name: 'Choose your password' });
  await expect(inbox.or(choose)).toBeVisible();
  if (await choose.isVisible()) {
    const chosen = options.newPassword ?? `${password}-own`;
    await page.getByLabel('One-time password').fill(password);
    await page.getByLabel('New password', { exact: true }).fill(chosen);
    await page.getByLabel('Repeat the new password').fill(chosen);
    await page.getByRole('button', { name: 'Set password' }).click();
  }
  await expect(inbox).toBeVisible();
}

/** A visitor on the customer's site (another origin), with the chat not yet opened. */
export async function openCustomerSite(
  browser: Browser,
  path = '/',
  before?: (page: Page) => void,
): Promise<Page> {
  const page = await newPage(browser);
  before?.(page);
  await page.goto(new URL(path, CUSTOMER_URL).toString());
  return page;
}

export function launcher(page: Page) {
  return page.getByRole('button', { name: /^Chat/ });
}

export function chatFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Parley chat"]');
}

export async function openChat(page: Page): Promise<FrameLocator> {
  await launcher(page).click();
  const frame = chatFrame(page);
  await expect(frame.getByRole('textbox', { name: 'Message' })).toBeVisible();
  return frame;
}

export async function visitorSays(frame: FrameLocator, text: string): Promise<void> {
  const box = frame.getByRole('textbox', { name: 'Message' });
  // As a person does: click into the box first, which gives the frame the keyboard focus
  // (typed text otherwise goes to whatever the host page had focused).
  await box.click();
  await box.fill(text);
  await expect(box).toHaveValue(text);
  await frame.getByRole('button', { name: 'Send' }).click();
  await expect(frame.getByRole('log')).toContainText(text);
}

export async function agentReplies(page: Page, text: string): Promise<void> {
  const reply = page.getByLabel('Reply');
  await reply.fill(text);
  await reply.press('Enter');
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText(text);
}

/** Opens, in the console, the conversation whose preview or history contains `text`. */
export async function openConversation(page: Page, text: string): Promise<void> {
  const item = page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: text });
  await expect(item).toBeVisible();
  await item.click();
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText(text);
}

export function unique(label: string): string {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Records every WebSocket the page (or any of its frames) opens. */
export function watchWebSockets(page: Page): string[] {
  const urls: string[] = [];
  page.on('websocket', (ws) => urls.push(ws.url()));
  return urls;
}

/**
 * The visitor asks, the conversation appears live in the agent's inbox, the agent answers and
 * the visitor sees the answer. Returns the visitor's frame and both lines.
 */
export async function converse(
  visitor: Page,
  agent: Page,
): Promise<{ frame: FrameLocator; question: string; answer: string }> {
  const question = unique('Where is my order?');
  const frame = await openChat(visitor);
  await visitorSays(frame, question);
  await openConversation(agent, question);
  const answer = unique('It ships today.');
  await agentReplies(agent, answer);
  await expect(frame.getByRole('log')).toContainText(answer);
  return { frame, question, answer };
}
