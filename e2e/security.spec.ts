import { createHmac } from 'node:crypto';
import {
  expect,
  test,
  type APIRequestContext,
  type ConsoleMessage,
  type FrameLocator,
  type Locator,
  type Page,
} from '@playwright/test';
import { API_URL, CUSTOMER_URL } from './support/env';
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

test.afterEach(closePages);

/** The customer's server, reached under another name: the same pages on another origin. */
const OTHER_ORIGIN = CUSTOMER_URL.replace('127.0.0.1', 'localhost');

interface CreatedSite {
  id: string;
  publicKey: string;
}

let admin: APIRequestContext;

test.beforeAll(async () => {
  admin = await adminApi();
});

test.afterAll(async () => {
  await admin.dispose();
});

async function createSite(body: Record<string, unknown>): Promise<CreatedSite> {
  const res = await admin.post('/api/sites', { data: { name: unique('Site'), ...body } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { site: CreatedSite }).site;
}

async function identitySecret(siteId: string): Promise<string> {
  const res = await admin.post(`/api/sites/${siteId}/identity-secret`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { secret: string }).secret;
}

/** Records the dialogs a page (and its frames) opens: a hostile message must open none. */
function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

/** Records the page's console messages (its frames' too). */
function watchConsole(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message: ConsoleMessage) => lines.push(message.text()));
  return lines;
}

/** Every payload a hostile visitor or agent might try, in one message. */
function hostileMessage(marker: string): { text: string; safeUrl: string } {
  const safeUrl = `https://help.example/${marker}`;
  const text = [
    marker,
    `<script>window.__pwned = "script"</script>`,
    `<img src=x onerror="window.__pwned = 'img'; alert('img')">`,
    `<a href="javascript:alert('a')" onclick="alert('click')">click me</a>`,
    `javascript:alert(document.cookie)`,
    `[markdown](javascript:alert(1))`,
    `<svg onload="alert('svg')"></svg>`,
    `see ${safeUrl} and \u202Egpj.exe`,
    `https://files.example/\u202Etxt.exe`,
  ].join('\n');
  return { text, safeUrl };
}

/** Checks one rendered hostile message: text only, one safe link, its direction isolated. */
async function expectRenderedAsText(
  log: Locator,
  body: Locator,
  hostile: { text: string; safeUrl: string },
) {
  await expect(body).toHaveText(hostile.text, { useInnerText: false });
  await expect(log.locator('script, img, svg, b, [onclick], [onerror], [onload]')).toHaveCount(0);
  const links = body.getByRole('link');
  await expect(links).toHaveCount(2);
  await expect(links.nth(0)).toHaveAttribute('href', hostile.safeUrl);
  await expect(links.nth(0)).toHaveAttribute('rel', /noopener/);
  await expect(links.nth(0)).toHaveAttribute('target', '_blank');
  // The link stops before the right-to-left override; the override stays text.
  await expect(links.nth(1)).toHaveAttribute('href', 'https://files.example/');
  await expect(links.nth(1)).toHaveText('https://files.example/');
  await expect(log.locator('a[href^="javascript:" i]')).toHaveCount(0);
  // Each message is its own bidirectional context: an override cannot reach past it.
  expect(await body.evaluate((el) => getComputedStyle(el).unicodeBidi)).toMatch(
    /^(isolate|plaintext|isolate-override)$/,
  );
}

async function notPwned(target: Page | FrameLocator) {
  const value =
    'evaluate' in target
      ? await target.evaluate(() => (window as { __pwned?: unknown }).__pwned ?? null)
      : await target
          .locator('body')
          .evaluate(() => (window as { __pwned?: unknown }).__pwned ?? null);
  expect(value).toBeNull();
}

test('hostile messages are shown as text in the widget and the console, with only http(s) links', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const visitor = await openCustomerSite(browser);
  const agentDialogs = watchDialogs(agent);
  const visitorDialogs = watchDialogs(visitor);

  // From the visitor to the agent.
  const fromVisitor = hostileMessage(unique('visitor-payload').replace(/\s/g, '-'));
  const frame = await openChat(visitor);
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.fill(fromVisitor.text);
  await frame.getByRole('button', { name: 'Send' }).click();
  const visitorLog = frame.getByRole('log');
  const sentBody = visitorLog.locator('.msg__body', { hasText: fromVisitor.text.split('\n')[0] });
  await expectRenderedAsText(visitorLog, sentBody.last(), fromVisitor);

  await openConversation(agent, fromVisitor.text.split('\n')[0] ?? '');
  const agentLog = agent.getByRole('log', { name: 'Messages' });
  const received = agentLog.locator('.message-body', {
    hasText: fromVisitor.text.split('\n')[0],
  });
  await expectRenderedAsText(agentLog, received, fromVisitor);
  // The inbox shows the preview and the visitor's name as isolated text too.
  const preview = agent.getByRole('list', { name: 'Conversations' }).locator('.inbox-preview', {
    hasText: fromVisitor.text.split('\n')[0],
  });
  await expect(preview).toHaveAttribute('dir', 'auto');
  expect(await preview.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');

  // From the agent to the visitor.
  const fromAgent = hostileMessage(unique('agent-payload').replace(/\s/g, '-'));
  await agentReplies(agent, fromAgent.text);
  const replyBody = visitorLog.locator('.msg__body', { hasText: fromAgent.text.split('\n')[0] });
  await expectRenderedAsText(visitorLog, replyBody, fromAgent);
  await expectRenderedAsText(
    agentLog,
    agentLog.locator('.message-body', { hasText: fromAgent.text.split('\n')[0] }),
    fromAgent,
  );

  // Clicking the safe link opens it in a new tab, never in the chat itself, with no way back.
  await visitor
    .context()
    .route('https://help.example/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Help</title>' }),
    );
  const [popup] = await Promise.all([
    visitor.context().waitForEvent('page'),
    replyBody.getByRole('link').first().click(),
  ]);
  await popup.waitForLoadState();
  expect(popup.url()).toBe(fromAgent.safeUrl);
  expect(await popup.evaluate(() => window.opener === null)).toBe(true);
  await popup.close();

  await notPwned(agent);
  await notPwned(frame);
  expect(agentDialogs).toEqual([]);
  expect(visitorDialogs).toEqual([]);
});

test('the widget tells the visitor when they send too fast, and the message can be sent again later', async ({
  browser,
}) => {
  const visitor = await openCustomerSite(browser);
  const frame = await openChat(visitor);
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.click();
  const marker = unique('burst');
  // The default limit is 30 messages a minute on one connection.
  for (let i = 1; i <= 31; i++) {
    await box.fill(`${marker} ${i}`);
    await box.press('Enter');
  }
  const failed = frame.locator('.msg--pending[data-status="failed"]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText(`${marker} 31`);
  await expect(failed).toContainText(
    /Not sent: You are sending messages too quickly\. Wait \d+ (seconds?|minute) and try again\./,
  );
  await expect(failed.getByRole('button', { name: 'Retry' })).toBeVisible();
  // The thirty before it went through, and the chat is still connected.
  await expect(frame.locator('.msg[data-status="sent"]', { hasText: marker })).toHaveCount(30);
  await expect(frame.getByRole('status')).toHaveAttribute('data-state', 'connected');
});

test("the widget runs only on the site's allowed origins, and its frame cannot be framed elsewhere", async ({
  browser,
}) => {
  const site = await createSite({ allowedOrigins: [CUSTOMER_URL] });
  const allowed = await openCustomerSite(browser, `/embed?siteKey=${site.publicKey}`);
  const frame = await openChat(allowed);
  await visitorSays(frame, unique('from an allowed origin'));

  // The same page on an origin the site does not list: no launcher, and the page's console says why.
  let elsewhereLog: string[] = [];
  const elsewhere = await openCustomerSite(
    browser,
    `${OTHER_ORIGIN}/embed?siteKey=${site.publicKey}`,
    (page) => {
      elsewhereLog = watchConsole(page);
    },
  );
  await expect
    .poll(() => elsewhereLog.join('\n'))
    .toContain(`does not allow the chat widget on ${OTHER_ORIGIN}`);
  await expect(launcher(elsewhere)).toHaveCount(0);

  // The frame put straight into a page: shown on an allowed origin, refused by the browser elsewhere.
  const direct = await openCustomerSite(browser, `/frame-direct?siteKey=${site.publicKey}`);
  await expect(
    direct.frameLocator('iframe[title="Direct chat"]').getByRole('textbox', { name: 'Message' }),
  ).toBeVisible();
  let refusals: string[] = [];
  const framedElsewhere = await openCustomerSite(
    browser,
    `${OTHER_ORIGIN}/frame-direct?siteKey=${site.publicKey}`,
    (page) => {
      refusals = watchConsole(page);
    },
  );
  await expect.poll(() => refusals.join('\n')).toMatch(/frame-ancestors/);
  await expect(
    framedElsewhere
      .frameLocator('iframe[title="Direct chat"]')
      .getByRole('textbox', { name: 'Message' }),
  ).toHaveCount(0);

  // "Any origin" is an explicit choice; once made, the other origin works too.
  const patch = await admin.patch(`/api/sites/${site.id}`, { data: { allowAnyOrigin: true } });
  expect(patch.status()).toBe(200);
  const nowAllowed = await openCustomerSite(
    browser,
    `${OTHER_ORIGIN}/embed?siteKey=${site.publicKey}`,
  );
  await visitorSays(await openChat(nowAllowed), unique('any origin, as the admin chose'));
});

test('a verified user finds their history on another device; a missing or wrong hash gets neither the identity nor the history', async ({
  browser,
}) => {
  const site = await createSite({ allowedOrigins: [CUSTOMER_URL] });
  const secret = await identitySecret(site.id);
  const enforce = await admin.patch(`/api/sites/${site.id}`, { data: { enforceIdentity: true } });
  expect(enforce.status()).toBe(200);
  const userId = unique('user').replace(/\s/g, '-');
  const userHash = createHmac('sha256', secret).update(userId).digest('hex');
  const pageFor = (identity: Record<string, string>) =>
    `/identify?siteKey=${site.publicKey}&identity=${encodeURIComponent(JSON.stringify(identity))}`;

  const laptop = await openCustomerSite(
    browser,
    pageFor({ userId, userHash, name: 'Ada Lovelace', email: 'ada@shop.example' }),
  );
  const question = unique('my order as a verified user');
  await visitorSays(await openChat(laptop), question);

  // Another browser (another device), the same verified user: the same conversation.
  const phone = await openCustomerSite(browser, pageFor({ userId, userHash }));
  const phoneFrame = await openChat(phone);
  await expect(phoneFrame.getByRole('log')).toContainText(question);

  // Someone who knows the user id but not the secret.
  const impostors: Record<string, string>[] = [
    { userId, name: 'Mallory' },
    { userId, userHash: createHmac('sha256', 'guessed').update(userId).digest('hex') },
  ];
  for (const identity of impostors) {
    const impostor = await openCustomerSite(browser, pageFor(identity));
    const impostorFrame = await openChat(impostor);
    await expect(impostorFrame.getByRole('alert')).toHaveText(
      /^We could not confirm who you are, so the chat cannot start\./,
    );
    await expect(impostorFrame.getByRole('log')).not.toContainText(question);
    await expect(impostorFrame.getByRole('status')).toHaveAttribute('data-state', 'unavailable');
  }
});

test('the loader works on a host page whose CSP allows only the Parley origin, with nothing inline', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const violations: string[] = [];
  const visitor = await openCustomerSite(browser, '/strict-csp', (page) => {
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
  });
  const response = await visitor.reload();
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain(`script-src ${new URL(API_URL).origin}`);
  expect(csp).not.toContain('unsafe-inline');

  const question = unique('asked from a strict page');
  const frame = await openChat(visitor);
  await visitorSays(frame, question);
  await openConversation(agent, question);
  const answer = unique('answered to a strict page');
  await agentReplies(agent, answer);
  await expect(frame.getByRole('log')).toContainText(answer);
  // The launcher is styled (a constructed stylesheet, which the page's CSP allows).
  const position = await launcher(visitor).evaluate((el) => getComputedStyle(el).position);
  expect(position).toBe('fixed');
  expect(violations).toEqual([]);
});

test('the console runs no inline script and cannot be framed by another site', async ({
  browser,
}) => {
  const agent = await openConsole(browser);
  const inline = await agent.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = "ran"';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (window as { __inline?: string }).__inline ?? null;
  });
  expect(inline).toBeNull();

  let blocked: string[] = [];
  const framing = await openCustomerSite(browser, '/frame-console', (page) => {
    blocked = watchConsole(page);
  });
  await expect.poll(() => blocked.join('\n')).toMatch(/frame-ancestors/);
  await expect(
    framing.frameLocator('iframe[title="Framed console"]').getByRole('button', { name: 'Sign in' }),
  ).toHaveCount(0);
  // The chat frame does not run inline script either.
  const visitor = await openCustomerSite(browser);
  const frame = await openChat(visitor);
  const frameInline = await frame.locator('body').evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = "ran"';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (window as { __inline?: string }).__inline ?? null;
  });
  expect(frameInline).toBeNull();
  await expect(chatFrame(visitor).getByRole('textbox', { name: 'Message' })).toBeVisible();
});
