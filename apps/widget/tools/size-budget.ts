import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { isModule } from './first-open';

/** The loader runs on every page of every customer site: it must stay small. */
export const LOADER_GZIP_BUDGET_BYTES = 3 * 1024;

/**
 * The budget for the chat frame's JavaScript on a first open that ends with a connected chat: the
 * entry chunk, its static imports and the dynamic imports every first open triggers
 * (`FIRST_OPEN_IMPORTS` in `first-open.ts`). React DOM is most of it, which is why the frame runs
 * on React 18.3 (about 23 KB gzipped lighter than React 19's client, which the console uses).
 */
export const FRAME_GZIP_BUDGET_BYTES = 90 * 1024;

/** The part of a Vite manifest (`build.manifest`) that says which chunk imports which. */
export type Manifest = Record<
  string,
  { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] }
>;

/**
 * The files a page fetches before its entry runs: each entry chunk and, transitively, the chunks
 * it imports statically. With `alsoLoaded`, the entries' dynamic imports of those modules (and
 * their static imports) too; each must be one, so that a renamed module cannot drop out unseen.
 */
export function entryFiles(manifest: Manifest, alsoLoaded: readonly string[] = []): string[] {
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
  const entries = Object.keys(manifest).filter((key) => manifest[key]?.isEntry);
  for (const key of entries) visit(key);
  const dynamic = entries.flatMap((key) => manifest[key]?.dynamicImports ?? []);
  for (const specifier of alsoLoaded) {
    const key = dynamic.find((candidate) => isModule(candidate, specifier));
    if (key === undefined) throw new Error(`no entry imports ${specifier} dynamically`);
    visit(key);
  }
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
