import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { gzipSize, LOADER_GZIP_BUDGET_BYTES } from '../../tools/size-budget';

const configFile = fileURLToPath(new URL('../../vite.loader.config.ts', import.meta.url));
let outDir: string | undefined;

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the loader bundle', () => {
  it('builds to one IIFE file within the gzip budget and defines no global but window.Parley', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'parley-loader-'));
    // The same config as `npm run build`, written elsewhere so the test does not race the build.
    await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const code = await readFile(join(outDir, 'widget.js'), 'utf8');

    expect(gzipSize(code)).toBeLessThanOrEqual(LOADER_GZIP_BUDGET_BYTES);
    expect(code.startsWith('(function(){')).toBe(true);
    expect(code).not.toMatch(/^var /m);
    expect(code).not.toMatch(/\bimport\b|\brequire\(/);
    // Never a wildcard target, never an assignment that would replace a page's handler.
    expect(code).not.toContain("'*'");
    expect(code).not.toContain('"*"');
    expect(code).not.toContain('onmessage');
  }, 60_000);
});
