import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FIRST_OPEN_IMPORTS } from '../../tools/first-open';
import {
  entryFiles,
  FRAME_GZIP_BUDGET_BYTES,
  gzipSize,
  type Manifest,
} from '../../tools/size-budget';

const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
let outDir: string | undefined;

afterAll(async () => {
  vi.unstubAllEnvs();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the chat frame bundle', () => {
  it('loads at most 90 KB of JavaScript, gzipped, for a first open up to a connected chat', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'parley-frame-'));
    // Vitest sets NODE_ENV to `test`, with which Vite builds for development: React's JSX with
    // debug information, and packages' `development` exports (socket.io's with `debug` inside).
    vi.stubEnv('NODE_ENV', 'production');
    // The same config as `npm run build`, built afresh and elsewhere so the test does not race
    // the build (and never measures a stale one); source maps are not downloaded, so not needed.
    await build({
      configFile,
      logLevel: 'silent',
      mode: 'production',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    const dir = outDir;
    const manifest = JSON.parse(
      await readFile(join(dir, '.vite/manifest.json'), 'utf8'),
    ) as Manifest;
    // The entry, its static imports, and the socket.io client: a first open is over when the chat
    // is connected, so the chunk it needs counts although it is imported dynamically.
    const chunks = await Promise.all(
      entryFiles(manifest, FIRST_OPEN_IMPORTS)
        .filter((file) => file.endsWith('.js'))
        .map(async (file) => {
          const code = await readFile(join(dir, file), 'utf8');
          return { file, code, bytes: gzipSize(code) };
        }),
    );
    const total = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
    const breakdown = chunks.map((chunk) => `${chunk.file} ${chunk.bytes}`).join(', ');

    expect(chunks.length).toBeGreaterThan(0);
    expect(
      total,
      `the frame's first open loads ${total} bytes of JavaScript gzipped (${breakdown}); the budget is ${FRAME_GZIP_BUDGET_BYTES} bytes`,
    ).toBeLessThanOrEqual(FRAME_GZIP_BUDGET_BYTES);
    // The chunks imported dynamically on every first open are preloaded with the entry, so that
    // splitting them off never delays the chat's connection.
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    const entryOnly = new Set(entryFiles(manifest));
    for (const chunk of chunks.filter(({ file }) => !entryOnly.has(file))) {
      expect(html, chunk.file).toContain(
        `<link rel="modulepreload" crossorigin href="/widget/${chunk.file}">`,
      );
    }
    // Parley's server never offers WebTransport: its code is left out (tools/socket-transports.ts).
    for (const chunk of chunks) expect(chunk.code, chunk.file).not.toContain('new WebTransport');
    // zod (about 27 KB gzipped) is loaded only to check what the host page hands the frame.
    for (const chunk of chunks) expect(chunk.code, chunk.file).not.toContain('ZodError');
  }, 120_000);
});
