#!/usr/bin/env node
// `npm start`: builds Parley and starts it on embedded defaults (PGlite in ./data, in-memory
// adapter) at http://localhost:3000, with a demo customer page on http://localhost:3001.
import { spawn, spawnSync } from 'node:child_process';

const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...process.env };
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
  stdio: 'inherit',
  env,
});
if (build.status !== 0) process.exit(build.status ?? 1);

const api = spawn(process.execPath, ['apps/api/dist/main.js'], {
  stdio: 'inherit',
  env: { PORT: '3000', PARLEY_DEMO_PORT: '3001', NODE_ENV: 'production', ...env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code) => process.exit(code ?? 0));
