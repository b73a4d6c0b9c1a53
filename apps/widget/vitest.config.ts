import react from '@vitejs/plugin-react';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@parley/source', ...defaultClientConditions] },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'tools/**/*.test.ts'],
    // Tests that need a DOM say so with a `@vitest-environment jsdom` comment.
    environment: 'node',
    restoreMocks: true,
    unstubGlobals: true,
  },
});
