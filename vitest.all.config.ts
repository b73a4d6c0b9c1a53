import { defineConfig } from 'vitest/config';

// Every project's unit and API tests in one run (what `npm test` uses); each project keeps its
// own vitest.config.ts, from which Nx also infers a per-project `test` target.
export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'bench/vitest.config.ts'],
  },
});
