import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * `npm run screenshots`: the pictures in README, taken from the production build with the same
 * servers as the browser tests. Not a test: it only writes docs/screenshots/*.png.
 */
export default defineConfig({
  ...base,
  testDir: 'e2e/screenshots',
  testMatch: /.*\.shots\.ts/,
  projects: [{ name: 'screenshots' }],
  workers: 1,
});
