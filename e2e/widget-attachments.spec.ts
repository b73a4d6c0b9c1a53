import { expect, test, type Locator } from '@playwright/test';
import {
  closePages,
  openChat,
  openConsole,
  openCustomerSite,
  unique,
  visitorSays,
} from './support/fixtures';

test.afterEach(closePages);

/** A real 1×1 PNG, so that browsers decode and draw it. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The image was fetched (with the reader's credential) and decoded: not a broken icon. */
async function expectDrawn(image: Locator): Promise<void> {
  await expect(image).toBeVisible();
  await expect
    .poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth))
    .toBeGreaterThan(0);
}

test('a visitor sends an image and a PDF, the agent sees them and sends an image back', async ({
  browser,
}) => {
  const visitor = await openCustomerSite(browser);
  const frame = await openChat(visitor);
  const question = unique('My receipt is attached');
  await visitorSays(frame, question);

  const attach = frame.getByLabel('Attach a file');
  // Files can be picked once the chat is connected.
  await expect(attach).toBeEnabled();
  await attach.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  await expectDrawn(frame.getByRole('img', { name: 'photo.png' }));
  const pdfName = `invoice-${Date.now().toString(36)}.pdf`;
  await attach.setInputFiles({ name: pdfName, mimeType: 'application/pdf', buffer: PDF });
  await expect(frame.getByRole('link', { name: `${pdfName} (${PDF.length} bytes)` })).toBeVisible();

  // The inbox previews a message of files by their names.
  const agent = await openConsole(browser);
  await agent
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: `📎 ${pdfName}` })
    .click();
  const log = agent.getByRole('log', { name: 'Messages' });
  await expect(log).toContainText(question);
  const thumbnail = log.getByRole('img', { name: 'photo.png' });
  await expectDrawn(thumbnail);
  // The thumbnail opens the full-size image.
  await expect(log.getByRole('link', { name: 'photo.png' })).toHaveAttribute(
    'href',
    /\/api\/attachments\//,
  );
  const pdfLink = log.getByRole('link', { name: `${pdfName} (${PDF.length} bytes)` });
  await expect(pdfLink).toBeVisible();
  const pdf = await agent.request.get((await pdfLink.getAttribute('href')) ?? '');
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect(pdf.headers()['x-content-type-options']).toBe('nosniff');
  expect(Buffer.from(await pdf.body()).equals(PDF)).toBe(true);

  // The agent answers with an image; the attach button is reached from the reply box with Tab.
  await agent.getByLabel('Reply').focus();
  await agent.keyboard.press('Tab');
  await expect(agent.getByLabel('Attach file')).toBeFocused();
  await agent
    .getByLabel('Attach file')
    .setInputFiles({ name: 'answer.png', mimeType: 'image/png', buffer: PNG });
  await expectDrawn(log.getByRole('img', { name: 'answer.png' }));
  await expectDrawn(frame.getByRole('img', { name: 'answer.png' }));

  // Someone without the visitor's key or an agent's session cannot read the files.
  const href = (await frame.getByRole('img', { name: 'answer.png' }).getAttribute('src')) ?? '';
  const stranger = await browser.newContext();
  const refused = await stranger.request.get(new URL(href.split('?')[0] ?? '', agent.url()).href);
  expect(refused.status()).toBe(401);
  await stranger.close();
});

test('files that are too large or not an image or a PDF are refused with a clear message', async ({
  browser,
}) => {
  const visitor = await openCustomerSite(browser);
  const frame = await openChat(visitor);
  await visitorSays(frame, unique('Let me send a file'));
  const attach = frame.getByLabel('Attach a file');
  // Files can be picked once the chat is connected.
  await expect(attach).toBeEnabled();

  // Too large: refused before any upload, with the limit.
  const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
  await attach.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big });
  await expect(frame.getByRole('alert')).toHaveText(
    'This file is too large: files up to 10 MB can be sent.',
  );

  // Another type of file.
  await attach.setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('hi'),
  });
  await expect(frame.getByRole('alert')).toHaveText(
    'Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent.',
  );

  // Named and typed as a PNG, but it is not one: the server reads its bytes and refuses it (415).
  await attach.setInputFiles({
    name: 'fake.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<script>alert(1)</script>'),
  });
  await expect(frame.getByRole('alert')).toContainText("this file's content is none of them");
  await expect(frame.getByRole('img', { name: 'fake.png' })).toHaveCount(0);

  // The console says the same.
  const agent = await openConsole(browser);
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('link').first().click();
  await agent
    .getByLabel('Attach file')
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
  await expect(agent.getByRole('alert').filter({ hasText: 'PDF files can be sent' })).toBeVisible();
});
