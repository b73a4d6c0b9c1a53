import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { gzipBudget, LOADER_GZIP_BUDGET_BYTES } from './tools/size-budget';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The loader: one IIFE file, `dist/loader/widget.js`, no hash (its URL is in customers' pages). */
export default defineConfig({
  root: here('.'),
  publicDir: false,
  resolve: { conditions: ['@parley/source', ...defaultClientConditions] },
  plugins: [gzipBudget('widget.js', LOADER_GZIP_BUDGET_BYTES)],
  build: {
    outDir: here('dist/loader'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    lib: {
      entry: here('src/loader/index.ts'),
      // The entry exports nothing, so no global variable of this name is created.
      name: 'ParleyLoader',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
