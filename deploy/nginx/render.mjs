#!/usr/bin/env node
// Renders an nginx configuration from a template and runs nginx in the foreground with it.
// Usage: node deploy/nginx/render.mjs <template> <listen> <upstream> [<upstream> ...]
// e.g.   node deploy/nginx/render.mjs deploy/nginx/no-websocket.conf.template 127.0.0.1:8080 127.0.0.1:3000
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [template, listen, ...upstreams] = process.argv.slice(2);
if (!template || !listen || upstreams.length === 0) {
  console.error('usage: render.mjs <template> <listen> <upstream> [<upstream> ...]');
  process.exit(2);
}
const prefix = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
// Started as root, nginx's workers run as an unprivileged user: they must be able to use these.
chmodSync(prefix, 0o755);
for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
  mkdirSync(join(prefix, dir), { mode: 0o777 });
const conf = readFileSync(template, 'utf8')
  .replaceAll('@PREFIX@', prefix)
  .replaceAll('@LISTEN@', listen)
  .replaceAll('@UPSTREAMS@', upstreams.map((u) => `server ${u};`).join('\n    '));
const file = join(prefix, 'nginx.conf');
writeFileSync(file, conf);

const nginx = spawn(process.env.NGINX_BIN ?? 'nginx', ['-p', prefix, '-c', file], {
  stdio: 'inherit',
});
console.log(`nginx on ${listen} → ${upstreams.join(', ')} (config: ${file})`);
// SIGINT and SIGTERM stop nginx at once (its fast shutdown); SIGQUIT lets open requests finish.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGQUIT']) process.on(signal, () => nginx.kill(signal));
nginx.on('exit', (code) => process.exit(code ?? 0));
