import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Events,
  type Message,
  type SendMessageResult,
  type SiteResponse,
  type UploadAttachmentResponse,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import { clientMessageId, handshake, rawWidget } from '../testing/security-clients';
import { emitAck, nextEvent, startTestApp, type TestApp } from '../testing/test-app';
import { signAttachmentKey, verifyAttachmentKey } from './attachment-keys';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ATTACHMENT_STORAGE, LocalDiskStorage, type AttachmentStorage } from './attachment-storage';
import { AttachmentsService } from './attachments.service';
import { UnsentAttachmentsSweeper } from './unsent-sweeper';
import { detectFileType } from './file-type';
import { firstMultipartFile, multipartBoundary } from './multipart';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('png-body'),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('jpeg-body')]);
const GIF = Buffer.from('GIF89a-gif-body');
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([1, 2, 3, 4]),
  Buffer.from('WEBPVP8 '),
]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const MAX_BYTES = 4096;

describe('file types by their first bytes', () => {
  it('recognises PNG, JPEG, GIF, WebP and PDF, and nothing else', () => {
    expect(detectFileType(PNG)).toBe('image/png');
    expect(detectFileType(JPEG)).toBe('image/jpeg');
    expect(detectFileType(GIF)).toBe('image/gif');
    expect(detectFileType(Buffer.from('GIF87a'))).toBe('image/gif');
    expect(detectFileType(WEBP)).toBe('image/webp');
    expect(detectFileType(PDF)).toBe('application/pdf');
    expect(detectFileType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(detectFileType(Buffer.from('RIFF1234WAVE'))).toBeNull();
    expect(detectFileType(Buffer.from([0x89, 0x50]))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
  });
});

describe('multipart bodies', () => {
  it('finds the first file part with its name and type', () => {
    const boundary = multipartBoundary('multipart/form-data; boundary=----x42');
    expect(boundary).toBe('----x42');
    const body = Buffer.concat([
      Buffer.from(
        '------x42\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n' +
          '------x42\r\nContent-Disposition: form-data; name="file"; filename="a \\"b\\".png"\r\n' +
          'Content-Type: image/png\r\n\r\n',
      ),
      PNG,
      Buffer.from('\r\n------x42--\r\n'),
    ]);
    const file = firstMultipartFile(body, '----x42');
    expect(file?.filename).toBe('a "b".png');
    expect(file?.contentType).toBe('image/png');
    expect(file?.data.equals(PNG)).toBe(true);
    expect(multipartBoundary('image/png')).toBeNull();
    expect(firstMultipartFile(Buffer.from('------x42--\r\n'), '----x42')).toBeNull();
  });
});

describe('attachment keys', () => {
  it('name the visitor they were signed for, until they expire, and nothing when forged', () => {
    const key = signAttachmentKey('secret', 'visitor-1', 1_000, 60_000);
    expect(verifyAttachmentKey('secret', key, 2_000)).toBe('visitor-1');
    expect(verifyAttachmentKey('secret', key, 61_001)).toBeNull();
    expect(verifyAttachmentKey('other secret', key, 2_000)).toBeNull();
    const [, expires, mac] = key.split('.');
    expect(verifyAttachmentKey('secret', `visitor-2.${expires}.${mac}`, 2_000)).toBeNull();
    expect(verifyAttachmentKey('secret', 'garbage', 2_000)).toBeNull();
  });
});

describe('local disk storage', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'parley-storage-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('puts, gets and deletes bytes by key, and refuses keys that are paths', async () => {
    const storage = new LocalDiskStorage(root);
    await storage.put('abcdef-1', PNG);
    expect((await storage.get('abcdef-1'))?.equals(PNG)).toBe(true);
    expect(await readdir(join(root, 'ab', 'cd'))).toEqual(['abcdef-1']);
    await storage.delete('abcdef-1');
    expect(await storage.get('abcdef-1')).toBeNull();
    await storage.delete('abcdef-1');
    await expect(storage.put('../escape', PNG)).rejects.toThrow(/invalid storage key/);
    await expect(storage.get('a/b')).rejects.toThrow(/invalid storage key/);
  });
});

describe.each(ENGINES)('attachments over HTTP on %s', (engine) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
    admin = await t.login();
  });

  afterAll(async () => {
    await t.close();
  });

  async function upload(
    credential: { bearer?: string; cookie?: string },
    body: Buffer,
    contentType: string,
    name = 'file.bin',
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${t.url}/api/attachments?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(credential.bearer ? { authorization: `Bearer ${credential.bearer}` } : {}),
        ...(credential.cookie ? { cookie: credential.cookie } : {}),
        ...headers,
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function uploaded(
    credential: { bearer?: string; cookie?: string },
    body: Buffer,
    type: string,
    name: string,
  ) {
    const res = await upload(credential, body, type, name);
    expect(res.status).toBe(201);
    return (res.body as unknown as UploadAttachmentResponse).attachment;
  }

  function download(id: string, options: { key?: string; bearer?: string; cookie?: string } = {}) {
    const query = options.key === undefined ? '' : `?key=${encodeURIComponent(options.key)}`;
    return fetch(`${t.url}/api/attachments/${id}${query}`, {
      headers: {
        ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
      },
    });
  }

  it('a visitor sends an image and a PDF; the agent and the visitor see them, nobody else does', async () => {
    const { socket, session } = await t.connectWidget();
    const key = session.attachmentKey ?? '';
    expect(key).not.toBe('');
    const image = await uploaded({ bearer: key }, PNG, 'image/png', 'photo.png');
    expect(image).toMatchObject({ name: 'photo.png', contentType: 'image/png', size: PNG.length });

    // Multipart, with the visitor's own token this time.
    const form = new FormData();
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'invoice.pdf');
    const multipart = await fetch(`${t.url}/api/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.visitorToken ?? ''}` },
      body: form,
    });
    expect(multipart.status).toBe(201);
    const pdf = ((await multipart.json()) as UploadAttachmentResponse).attachment;
    expect(pdf).toMatchObject({
      name: 'invoice.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });

    const agent = await t.connectAgent(admin);
    const seen = nextEvent<Message>(agent, Events.MessageNew);
    const id = clientMessageId();
    const sent = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: id,
      body: '',
      attachmentIds: [image.id, pdf.id],
    });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.data.message.attachments?.map((a) => a.id)).toEqual([image.id, pdf.id]);
    expect((await seen).attachments?.map((a) => a.name)).toEqual(['photo.png', 'invoice.pdf']);

    // Resending the same message returns the original, files included; nothing is linked twice.
    const again = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: id,
      body: '',
      attachmentIds: [image.id, pdf.id],
    });
    expect(again.ok && again.data.duplicate).toBe(true);
    expect(again.ok && again.data.message.attachments?.length).toBe(2);
    // A file goes out in one message only.
    const reuse = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'again',
      attachmentIds: [image.id],
    });
    expect(reuse).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    const conversations = await fetch(`${t.url}/api/conversations`, { headers: { cookie: admin } });
    const listed = (await conversations.json()) as {
      conversations: { id: string; lastMessagePreview: string }[];
    };
    expect(
      listed.conversations.find((c) => c.id === sent.data.conversationId)?.lastMessagePreview,
    ).toBe('📎 photo.png, invoice.pdf');

    // The agent reads both, with headers that keep browsers from running them.
    const asAgent = await download(image.id, { cookie: admin });
    expect(asAgent.status).toBe(200);
    expect(Buffer.from(await asAgent.arrayBuffer()).equals(PNG)).toBe(true);
    expect(asAgent.headers.get('content-type')).toBe('image/png');
    expect(asAgent.headers.get('x-content-type-options')).toBe('nosniff');
    expect(asAgent.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(asAgent.headers.get('content-security-policy')).toContain('sandbox');
    expect(asAgent.headers.get('content-disposition')).toBe(
      `inline; filename="photo.png"; filename*=UTF-8''photo.png`,
    );
    const pdfAsAgent = await download(pdf.id, { cookie: admin });
    expect(pdfAsAgent.headers.get('content-disposition')).toMatch(
      /^attachment; filename="invoice.pdf"/,
    );

    // The visitor reads them with its key (as an <img src> does) or its token.
    expect((await download(image.id, { key })).status).toBe(200);
    expect((await download(pdf.id, { bearer: session.visitorToken ?? '' })).status).toBe(200);

    // No credential: 401. A forged key: 401. Another visitor of the site: 404.
    const none = await download(image.id);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const [visitorId, expires] = key.split('.');
    expect((await download(image.id, { key: `${visitorId}.${expires}.forged` })).status).toBe(401);
    const other = await t.connectWidget();
    const otherRes = await download(image.id, { key: other.session.attachmentKey ?? '' });
    expect(otherRes.status).toBe(404);
    expect(await otherRes.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await download(image.id, { bearer: other.session.visitorToken ?? '' })).status).toBe(
      404,
    );

    // A visitor of another site: 404 too.
    const created = await fetch(`${t.url}/api/sites`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Other shop', allowAnyOrigin: true }),
    });
    const otherSite = ((await created.json()) as SiteResponse).site.publicKey;
    const stranger = rawWidget(t, { auth: { siteKey: otherSite } });
    const strangerSession = await handshake(stranger);
    expect(strangerSession.ok).toBe(true);
    if (!strangerSession.ok) return;
    expect(
      (await download(image.id, { key: strangerSession.session.attachmentKey ?? '' })).status,
    ).toBe(404);
    // Nor can another visitor send a file it did not upload.
    const stolen = await emitAck<SendMessageResult>(other.socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'mine now',
      attachmentIds: [image.id],
    });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('an agent sends a file back; a note’s file stays with the agents', async () => {
    const { socket, session } = await t.connectWidget();
    const key = session.attachmentKey ?? '';
    const first = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'hello',
    });
    if (!first.ok) throw new Error(first.error.message);
    const agent = await t.connectAgent(admin);
    const reply = await uploaded({ cookie: admin }, JPEG, 'image/jpeg', 'answer.jpg');
    // An upload not sent yet is its uploader's only.
    expect((await download(reply.id, { key })).status).toBe(404);
    const arrives = nextEvent<Message>(socket, Events.MessageNew);
    const sent = await emitAck<SendMessageResult>(agent, Events.MessageSend, {
      conversationId: first.data.conversationId,
      clientMessageId: clientMessageId(),
      body: 'Here you are',
      attachmentIds: [reply.id],
    });
    expect(sent.ok).toBe(true);
    expect((await arrives).attachments).toEqual([reply]);
    expect((await download(reply.id, { key })).status).toBe(200);

    const noteFile = await uploaded({ cookie: admin }, GIF, 'image/gif', 'internal.gif');
    const note = await emitAck<SendMessageResult>(agent, Events.MessageSend, {
      conversationId: first.data.conversationId,
      clientMessageId: clientMessageId(),
      body: 'between us',
      internal: true,
      attachmentIds: [noteFile.id],
    });
    expect(note.ok).toBe(true);
    expect((await download(noteFile.id, { key })).status).toBe(404);
    expect((await download(noteFile.id, { cookie: admin })).status).toBe(200);
  });

  it('refuses files that are too large (413) or not an accepted type by their bytes (415)', async () => {
    const { session } = await t.connectWidget();
    const key = session.attachmentKey ?? '';
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_BYTES)]);
    const tooLarge = await upload({ bearer: key }, big, 'image/png', 'big.png');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(JSON.stringify(tooLarge.body)).toContain('4 KB');

    const form = new FormData();
    form.append('file', new Blob([big], { type: 'image/png' }), 'big.png');
    const multipart = await fetch(`${t.url}/api/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(multipart.status).toBe(413);

    const text = await upload({ bearer: key }, Buffer.from('hello'), 'text/plain', 'a.txt');
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    // Declared an image, but the bytes are something else: refused by its content.
    const html = await upload(
      { bearer: key },
      Buffer.from('<script>alert(1)</script>'),
      'image/png',
      'x.png',
    );
    expect(html.status).toBe(415);
    expect(JSON.stringify(html.body)).toMatch(/content/);
    const mismatch = await upload({ bearer: key }, PDF, 'image/png', 'x.png');
    expect(mismatch.status).toBe(415);
    expect(JSON.stringify(mismatch.body)).toContain('application/pdf');
    const svg = await upload({ bearer: key }, Buffer.from('<svg/>'), 'image/svg+xml', 'x.svg');
    expect(svg.status).toBe(415);
    // WebP by its bytes is fine; so is a JPEG declared as image/jpg.
    expect((await upload({ bearer: key }, WEBP, 'image/webp', 'w.webp')).status).toBe(201);
    expect((await upload({ bearer: key }, JPEG, 'image/jpg', 'j.jpg')).status).toBe(201);
  });

  it('needs a credential to upload, and the API’s CSRF rule for agents', async () => {
    expect((await upload({}, PNG, 'image/png')).status).toBe(401);
    expect(
      (await upload({ bearer: 'not-a-real-token-but-long-enough' }, PNG, 'image/png')).status,
    ).toBe(401);
    const foreign = await upload({ cookie: admin }, PNG, 'image/png', 'x.png', {
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
  });

  it('deletes files never sent once they are old enough, bytes included, and keeps the rest', async () => {
    const { socket, session } = await t.connectWidget();
    const key = session.attachmentKey ?? '';
    const stale = await uploaded({ bearer: key }, PNG, 'image/png', 'forgotten.png');
    const fresh = await uploaded({ bearer: key }, PNG, 'image/png', 'just-now.png');
    const sentOld = await uploaded({ bearer: key }, PDF, 'application/pdf', 'sent.pdf');
    const sent = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'here it is',
      attachmentIds: [sentOld.id],
    });
    expect(sent.ok).toBe(true);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    await t.prisma.attachment.updateMany({
      where: { id: { in: [stale.id, sentOld.id] } },
      data: { createdAt: twoDaysAgo },
    });

    // Every node sweeps: the default keeps unsent files for 24 hours.
    expect(t.app.get<AppConfig>(APP_CONFIG).ATTACHMENT_UNSENT_TTL_HOURS).toBe(24);
    await Promise.all([
      t.app.get(UnsentAttachmentsSweeper).sweep(),
      t.app.get(AttachmentsService).removeUnsent(new Date(Date.now() - 24 * 3_600_000)),
    ]);

    const left = await t.prisma.attachment.findMany({
      where: { id: { in: [stale.id, fresh.id, sentOld.id] } },
      select: { id: true, storageKey: true },
    });
    expect(left.map((row) => row.id).sort()).toEqual([fresh.id, sentOld.id].sort());
    const storage = t.app.get<AttachmentStorage>(ATTACHMENT_STORAGE);
    expect(await storage.get(stale.id)).toBeNull();
    for (const row of left) expect(await storage.get(row.storageKey)).not.toBeNull();
    expect((await download(stale.id, { key })).status).toBe(404);
    expect((await download(sentOld.id, { key })).status).toBe(200);

    // A send naming the deleted file is told to upload it again; nothing is written.
    const late = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: 'the forgotten one',
      attachmentIds: [stale.id],
    });
    expect(late).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('upload it again') },
    });
    expect(
      await t.prisma.message.count({ where: { conversation: { visitorId: session.visitorId } } }),
    ).toBe(1);
  });

  it('still refuses a message with neither text nor files', async () => {
    const { socket } = await t.connectWidget();
    const empty = await emitAck<SendMessageResult>(socket, Events.MessageSend, {
      clientMessageId: clientMessageId(),
      body: '  ',
      attachmentIds: [],
    });
    expect(empty).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
