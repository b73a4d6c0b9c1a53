import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  entryFiles,
  FRAME_GZIP_BUDGET_BYTES,
  gzipSize,
  type Manifest,
} from '../../tools/size-budget';

const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
let outDir: string | undefined;

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the chat frame bundle', () => {
  it('loads at most 90 KB of JavaScript, gzipped, before the chat is shown', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'parley-frame-'));
    // The same config as `npm run build`, built afresh and elsewhere so the test does not race
    // the build (and never measures a stale one); source maps are not downloaded, so not needed.
    await build({
      configFile,
      logLevel: 'silent',
      mode: 'production',
      // Vitest sets NODE_ENV to `test`, which would bundle React's development build.
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    const dir = outDir;
    const manifest = JSON.parse(
      await readFile(join(dir, '.vite/manifest.json'), 'utf8'),
    ) as Manifest;
    const chunks = await Promise.all(
      entryFiles(manifest)
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
    // zod (about 27 KB gzipped) is loaded only to check what the host page hands the frame.
    for (const chunk of chunks) expect(chunk.code, chunk.file).not.toContain('ZodError');
  }, 120_000);
});
