import { resolve } from 'node:path';

/** The repository this benchmark lives in. */
export const REPO_ROOT = resolve(__dirname, '../..');

/**
 * The Parley checkout whose production build is measured: this repository, or another one named
 * by BENCH_PARLEY_ROOT (to compare commits with the same benchmark).
 */
export const PARLEY_ROOT = resolve(process.env.BENCH_PARLEY_ROOT ?? REPO_ROOT);
export const API_MAIN = resolve(PARLEY_ROOT, 'apps/api/dist/main.js');
export const WIDGET_DIST = resolve(PARLEY_ROOT, 'apps/widget/dist');
