import { defineConfig } from 'vitest/config';

// The benchmark's own helpers (percentiles, pass/fail rules, the report). The benchmark itself
// runs with `npm run bench`, never as a test.
export default defineConfig({
  resolve: { conditions: ['@parley/source'] },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
