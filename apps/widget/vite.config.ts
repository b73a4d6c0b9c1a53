import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { FIRST_OPEN_IMPORTS, preloadDynamicImports } from './tools/first-open';
import { pollingAndWebSocketOnly } from './tools/socket-transports';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where `vite` (dev server) forwards API and socket traffic; the frame expects them same-origin. */
const apiUrl = process.env['PARLEY_API_URL'] ?? 'http://localhost:3000';

/** The chat frame: served by the API at `/widget/`, same-origin with the REST API and socket. */
export default defineConfig({
  root: here('src/frame'),
  base: '/widget/',
  publicDir: false,
  plugins: [react(), pollingAndWebSocketOnly(), preloadDynamicImports(FIRST_OPEN_IMPORTS)],
  resolve: { conditions: ['@parley/source', ...defaultClientConditions] },
  build: {
    outDir: here('dist/frame'),
    emptyOutDir: true,
    // The frame runs in browsers with ES modules, dynamic import and class fields.
    target: 'es2022',
    // Terser's output is 1.9 KB gzipped smaller than esbuild's for a first open (most of it in
    // React DOM). Only options that keep behaviour: no `unsafe*`, no `pure_getters`; no comments,
    // as with esbuild before.
    minify: 'terser',
    terserOptions: {
      module: true,
      ecma: 2020,
      compress: { passes: 2 },
      mangle: { toplevel: true },
      format: { comments: false },
    },
    // Written beside the chunks (never inlined), for error reports; no visitor downloads them.
    sourcemap: true,
    // The manifest lists each chunk's static imports: the weight check reads it.
    manifest: true,
    // Every browser that runs the frame preloads modules by itself.
    modulePreload: { polyfill: false },
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships `@__PURE__` comments in places Rollup cannot use; they are harmless.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) {
          return;
        }
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': apiUrl,
      '/socket.io': { target: apiUrl, ws: true },
    },
  },
});
