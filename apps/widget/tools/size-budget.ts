import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The loader runs on every page of every customer site: it must stay small. */
export const LOADER_GZIP_BUDGET_BYTES = 3 * 1024;

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
