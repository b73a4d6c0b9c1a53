import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { negotiateEncoding } from './compressed-assets';
import { staticRouter } from './static';

describe('negotiateEncoding', () => {
  it('prefers Brotli, then gzip, and honours q=0', () => {
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0.8')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('gzip');
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding(undefined)).toBeNull();
  });
});

describe('built assets over HTTP', () => {
  let root: string;
  let server: Server;
  let base: string;
  const script = `export const greeting = ${JSON.stringify('Hello, how can we help? '.repeat(400))};\n`;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'parley-assets-'));
    await mkdir(join(root, 'widget', 'frame', 'assets'), { recursive: true });
    await mkdir(join(root, 'widget', 'loader'), { recursive: true });
    await mkdir(join(root, 'console', 'assets'), { recursive: true });
    await writeFile(join(root, 'widget', 'frame', 'assets', 'index-abc.js'), script);
    await writeFile(join(root, 'widget', 'frame', 'assets', 'logo.png'), Buffer.alloc(64, 7));
    await writeFile(join(root, 'widget', 'loader', 'widget.js'), script);
    await writeFile(
      join(root, 'console', 'assets', 'app-def.css'),
      `body{color:red}\n`.repeat(200),
    );
    await writeFile(join(root, 'secret.js'), 'outside the served folders');
    const config = loadConfig({
      WIDGET_DIST: join(root, 'widget'),
      CONSOLE_DIST: join(root, 'console'),
    });
    const app = express();
    app.use(staticRouter(config));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const address = server.address();
    base = `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`;
  });

  afterAll(async () => {
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  /** The bytes as sent (fetch() would decode them by itself), with the status and headers. */
  function raw(path: string, headers: Record<string, string> = {}, method = 'GET') {
    return new Promise<{ res: { status: number; headers: Headers }; body: Buffer }>(
      (done, fail) => {
        const req = request(`${base}${path}`, { method, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const all = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (typeof value === 'string') all.set(name, value);
            }
            done({
              res: { status: res.statusCode ?? 0, headers: all },
              body: Buffer.concat(chunks),
            });
          });
        });
        req.on('error', fail);
        req.end();
      },
    );
  }

  it('sends the frame, the loader and the console compressed with Brotli or gzip, byte for byte the file', async () => {
    for (const path of ['/widget/assets/index-abc.js', '/widget.js']) {
      const br = await raw(path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.res.status).toBe(200);
      expect(br.res.headers.get('content-encoding')).toBe('br');
      expect(br.res.headers.get('content-type')).toMatch(/javascript/);
      expect(br.res.headers.get('vary')).toMatch(/Accept-Encoding/i);
      expect(br.body.length).toBeLessThan(script.length / 10);
      expect(brotliDecompressSync(br.body).toString()).toBe(script);

      const gz = await raw(path, { 'accept-encoding': 'gzip' });
      expect(gz.res.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(gz.body).toString()).toBe(script);
    }
    expect(
      (await raw('/widget.js', { 'accept-encoding': 'br' })).res.headers.get(
        'cross-origin-resource-policy',
      ),
    ).toBe('cross-origin');
    const css = await raw('/assets/app-def.css', { 'accept-encoding': 'br' });
    expect(css.res.headers.get('content-encoding')).toBe('br');
    expect(css.res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('sends the plain file to a client that takes no encoding, and images as they are', async () => {
    const plain = await raw('/widget/assets/index-abc.js', { 'accept-encoding': 'identity' });
    expect(plain.res.status).toBe(200);
    expect(plain.res.headers.get('content-encoding')).toBeNull();
    expect(plain.body.toString()).toBe(script);
    const png = await raw('/widget/assets/logo.png', { 'accept-encoding': 'br' });
    expect(png.res.headers.get('content-encoding')).toBeNull();
    expect(png.body).toEqual(Buffer.alloc(64, 7));
  });

  it('answers a revalidation with 304 and HEAD with headers only', async () => {
    const first = await raw('/widget/assets/index-abc.js', { 'accept-encoding': 'br' });
    const etag = first.res.headers.get('etag') ?? '';
    expect(etag).toMatch(/-br"$/);
    const again = await raw('/widget/assets/index-abc.js', {
      'accept-encoding': 'br',
      'if-none-match': etag,
    });
    expect(again.res.status).toBe(304);
    const head = await raw('/widget/assets/index-abc.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.res.headers.get('content-length')).toBe(String(first.body.length));
    expect(head.body.length).toBe(0);
  });

  it('serves nothing outside the built folders, and a missing asset is a 404 as before', async () => {
    const escape = await raw('/widget/..%2f..%2fsecret.js', { 'accept-encoding': 'br' });
    expect(escape.body.toString()).not.toContain('outside the served folders');
    const missing = await raw('/widget/assets/nope.js', { 'accept-encoding': 'br' });
    expect(missing.res.status).toBe(404);
  });
});
