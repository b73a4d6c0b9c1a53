#!/usr/bin/env node
// `npm test`: everything, in order: lint and typecheck, build, unit and API tests (PGlite, and
// PostgreSQL when DATABASE_URL is set), then the browser tests against the production build.
// Ends with one line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = { passed: 0, failed: 0 };
const outDir = 'test-results';
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };

function run(title, command, args) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  console.log(
    `=== ${title}: ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return status === 0;
}

/** A step that is not a test runner counts as one check. */
function step(title, command, args) {
  const ok = run(title, command, args);
  results[ok ? 'passed' : 'failed'] += 1;
  return ok;
}

/** A test runner's own counts, read from its JSON report; a run that wrote none counts as one failure. */
function tests(title, command, args, report, count) {
  const ok = run(title, command, args);
  if (!existsSync(report)) {
    results.failed += 1;
    return;
  }
  const { passed, failed } = count(JSON.parse(readFileSync(report, 'utf8')));
  results.passed += passed;
  results.failed += failed + (ok || failed > 0 ? 0 : 1);
}

step('format', 'npx', ['prettier', '--check', '.']);
step('lint and typecheck', 'npx', [
  'nx',
  'run-many',
  '-t',
  'lint',
  'typecheck',
  '--outputStyle=static',
]);
const built = step('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static']);

tests(
  'unit and API tests',
  'npx',
  [
    'vitest',
    'run',
    '--config',
    'vitest.all.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${outDir}/vitest.json`,
  ],
  `${outDir}/vitest.json`,
  (r) => ({
    passed: r.numPassedTests,
    failed: r.numFailedTests + r.numPendingTests + r.numTodoTests,
  }),
);

if (built) {
  env.PLAYWRIGHT_JSON = `${outDir}/playwright.json`;
  tests('browser tests', 'npx', ['playwright', 'test'], env.PLAYWRIGHT_JSON, (r) => ({
    passed: r.stats.expected,
    failed: r.stats.unexpected + r.stats.flaky + r.stats.skipped,
  }));
} else {
  console.log('\n=== browser tests: not run, the build failed');
  results.failed += 1;
}

console.log(`\n${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
