import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text assets worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.json', '.svg', '.map', '.txt']);

export type Encoding = 'br' | 'gzip';

/**
 * The encoding to send for an `Accept-Encoding` header: Brotli when the client takes it, then
 * gzip, else none. A `;q=0` refuses an encoding.
 */
export function negotiateEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

interface Variant {
  body: Buffer;
  etag: string;
}

/**
 * Serves the built assets under `root` compressed (Brotli or gzip, as the browser accepts),
 * compressing each file once and keeping the result while the file is unchanged: the widget
 * reaches visitors at its compressed weight without a compressing proxy in front. Anything it
 * does not handle (other methods, types, missing files, no accepted encoding) goes on to
 * `express.static`.
 */
export function compressedAssets(
  root: string,
  cacheControl: (path: string) => string,
): (req: Request, res: Response, next: NextFunction) => void {
  const base = resolve(root);
  const cache = new Map<string, Promise<Variant>>();

  async function variant(file: string, encoding: Encoding): Promise<Variant | null> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const key = `${file}\0${encoding}\0${String(info.mtimeMs)}\0${String(info.size)}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = readFile(file).then(async (raw) => ({
        body:
          encoding === 'br'
            ? await brotli(raw, {
                params: {
                  [constants.BROTLI_PARAM_QUALITY]: 11,
                  [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
                },
              })
            : await gzipAsync(raw, { level: 9 }),
        etag: `"${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}-${encoding}"`,
      }));
      // A rebuilt file gets a new key; the old one's entries go.
      for (const old of cache.keys())
        if (old.startsWith(`${file}\0${encoding}\0`)) cache.delete(old);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const extension = extname(req.path).toLowerCase();
    if (!COMPRESSIBLE.has(extension)) {
      next();
      return;
    }
    // The answer depends on the header, compressed or not: shared caches must keep both.
    res.setHeader('Vary', 'Accept-Encoding');
    const encoding = negotiateEncoding(req.headers['accept-encoding']);
    if (!encoding) {
      next();
      return;
    }
    let file: string;
    try {
      file = resolve(base, `.${decodeURIComponent(req.path)}`);
    } catch {
      next();
      return;
    }
    if (!file.startsWith(base + sep)) {
      next();
      return;
    }
    variant(file, encoding).then(
      (found) => {
        if (!found) {
          next();
          return;
        }
        res.setHeader('ETag', found.etag);
        res.setHeader('Cache-Control', cacheControl(file));
        if (req.headers['if-none-match'] === found.etag) {
          res.status(304).end();
          return;
        }
        res.type(extension);
        res.setHeader('Content-Encoding', encoding);
        res.setHeader('Content-Length', String(found.body.length));
        res.end(req.method === 'HEAD' ? undefined : found.body);
      },
      (error: unknown) => {
        next(error);
      },
    );
  };
}
