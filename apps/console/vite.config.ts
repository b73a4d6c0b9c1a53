import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/** Where `vite` (the dev server) forwards API and socket.io traffic. */
const apiTarget = process.env['PARLEY_API_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: { conditions: ['@parley/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every supported browser has modulepreload; the polyfill would only add code.
    modulePreload: { polyfill: false },
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments that Rollup cannot place; they are harmless and only clutter output.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) {
          return;
        }
        warn(warning);
      },
    },
  },
  server: {
    // The Host header is kept: the API accepts state-changing calls and console sockets only
    // from its own origin, which is then the dev server's, as the browser sees it.
    proxy: {
      '/api': { target: apiTarget },
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
});
