import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: {
    conditions: ['@parley/source', ...defaultClientConditions],
    // The frame runs on its own React (see package.json); the testing library, installed at the
    // workspace root, must render with that copy, not the console's.
    dedupe: ['react', 'react-dom'],
    alias: [
      {
        find: /^@testing-library\/react$/,
        replacement: '@testing-library/react/dist/@testing-library/react.esm.js',
      },
    ],
  },
  test: {
    server: { deps: { inline: [/@testing-library\/react/] } },
    include: ['src/**/*.test.{ts,tsx}', 'tools/**/*.test.ts'],
    // Tests that need a DOM say so with a `@vitest-environment jsdom` comment.
    environment: 'node',
    restoreMocks: true,
    unstubGlobals: true,
  },
});
