#!/usr/bin/env node
// `npm run cluster`: builds Parley and starts several nodes on the local PostgreSQL and Redis
// behind a real nginx doing plain round-robin: no stickiness, no WebSocket Upgrade passthrough.
// Options: --nodes N (default 3), --port P (balancer, default 8080; nodes on P+1…),
//          --upgrade-port Q (a second balancer that passes the Upgrade), --no-build.
// DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/parley (created if missing),
// REDIS_URL to redis://127.0.0.1:6379.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startCluster } from './cluster-lib.mjs';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    'upgrade-port': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
const nodes = Number(values.nodes);
const basePort = Number(values.port);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) {
  console.error('--nodes must be a whole number from 1 to 16');
  process.exit(2);
}
if (!values['no-build']) {
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
    stdio: 'inherit',
    env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...process.env },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/parley';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const cluster = await startCluster({
  nodes,
  basePort,
  upgradePort: values['upgrade-port'] ? Number(values['upgrade-port']) : undefined,
  databaseUrl,
  redisUrl,
  env: { LOG_FORMAT: 'pretty', PUBLIC_URL: `http://localhost:${basePort}` },
});
const lines = [
  '',
  `Parley cluster: ${nodes} node(s) on ${databaseUrl.replace(/\/\/[^@/]*@/, '//')} and ${redisUrl}`,
  `  Balancer (round-robin, no stickiness, no WebSocket): ${cluster.url.replace('127.0.0.1', 'localhost')}/`,
];
if (cluster.upgradeUrl)
  lines.push(`  Balancer passing the WebSocket Upgrade:             ${cluster.upgradeUrl}/`);
for (const node of cluster.nodes)
  lines.push(`  Node ${node.id}: ${node.url}  (metrics: ${node.url}/metrics)`);
lines.push('  Stop with Ctrl+C: every node drains its clients to the others, then exits.', '');
console.log(lines.join('\n'));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    cluster.stop().then(() => process.exit(0));
  });
}
