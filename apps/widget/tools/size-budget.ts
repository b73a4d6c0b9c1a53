import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The loader runs on every page of every customer site: it must stay small. */
export const LOADER_GZIP_BUDGET_BYTES = 3 * 1024;

/** The chat frame's JavaScript for its first open: the entry chunk and its static imports. */
export const FRAME_GZIP_BUDGET_BYTES = 90 * 1024;

/** The part of a Vite manifest (`build.manifest`) that says which chunk imports which. */
export type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;

/**
 * The files a page fetches before its entry runs: each entry chunk and, transitively, the chunks
 * it imports statically. Dynamic imports (the parts loaded later) are left out.
 */
export function entryFiles(manifest: Manifest): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest names ${key} but has no entry for it`);
    files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return files;
}

export function gzipSize(code: string | Uint8Array): number {
  return gzipSync(code, { level: 9 }).length;
}

/** Fails the build when an emitted chunk is larger, gzipped, than `budgetBytes`. */
export function gzipBudget(fileName: string, budgetBytes: number): Plugin {
  return {
    name: 'parley:gzip-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunk = bundle[fileName];
      if (chunk?.type !== 'chunk') {
        this.error(`${fileName} was not emitted`);
      }
      const size = gzipSize(chunk.code);
      if (size > budgetBytes) {
        this.error(`${fileName} is ${size} bytes gzipped; the budget is ${budgetBytes} bytes`);
      }
    },
  };
}
