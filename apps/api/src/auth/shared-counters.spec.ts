import { Namespace } from '@parley/protocol';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearPrefix, REDIS_URL, startNode, uniquePrefix, type TestNode } from '../testing/cluster';
import { freshDatabase, type TestDatabase } from '../testing/databases';
import { ADMIN_EMAIL, SITE_KEY } from '../testing/test-app';

async function login(node: TestNode, password: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password }),
  });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code };
}

function connect(node: TestNode): Promise<string> {
  const socket = io(`${node.url}${Namespace.Widget}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { siteKey: SITE_KEY },
  });
  return new Promise((resolve) => {
    socket.once('session:ready', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      resolve(error.message);
    });
  });
}

describe('limits across nodes (Redis)', () => {
  let db: TestDatabase;
  const prefix = uniquePrefix();
  const nodes: TestNode[] = [];

  beforeAll(async () => {
    db = await freshDatabase('postgresql');
    const env = {
      DATABASE_URL: db.url ?? '',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3/15m',
      LIMIT_LOGIN_FAILURES_PER_IP: '100/15m',
      LIMIT_CONNECTIONS_PER_IP: '4/1m',
    };
    nodes.push(await startNode('la', env));
    nodes.push(await startNode('lb', env));
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await db.drop();
    await clearPrefix(prefix);
  });

  it('counts failed sign-ins on every node together: spreading them over nodes gains nothing', async () => {
    const [a, b] = nodes;
    if (!a || !b) throw new Error('two nodes expected');
    // Three failures, spread: no node alone has seen three.
    for (const node of [a, b, a])
      expect(await login(node, 'wrong password')).toMatchObject({ status: 401 });
    // The fourth attempt waits, on either node, even with the right password.
    expect(await login(b, 'correct-horse-battery')).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(await login(a, 'correct-horse-battery')).toEqual({ status: 429, code: 'RATE_LIMITED' });
  });

  it('counts new connections per address on every node together', async () => {
    const [a, b] = nodes;
    if (!a || !b) throw new Error('two nodes expected');
    const outcomes: string[] = [];
    for (const node of [a, b, a, b, a]) outcomes.push(await connect(node));
    expect(outcomes.slice(0, 4)).toEqual(['connected', 'connected', 'connected', 'connected']);
    expect(outcomes[4]).toBe('RATE_LIMITED');
  });
});
