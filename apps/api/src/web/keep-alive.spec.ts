import { Agent, get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';

/** GET `path` through `agent`: the status and whether the request went on a reused connection. */
function fetchStatus(
  url: string,
  agent: Agent,
): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket });
      });
    });
    req.on('error', reject);
  });
}

describe('keep-alive connections', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('pglite');
  });

  afterAll(async () => {
    await t.close();
  });

  // Node closes idle connections after 5 s by default; a client (browser, balancer, another node
  // forwarding a poll) that reuses one as it closes gets a failed request.
  it('stay open longer than a client leaves them idle between polls', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await fetchStatus(`${t.url}/healthz`, agent)).toEqual({
        status: 200,
        reusedSocket: false,
      });
      await sleep(6_000);
      expect(await fetchStatus(`${t.url}/healthz`, agent)).toEqual({
        status: 200,
        reusedSocket: true,
      });
    } finally {
      agent.destroy();
    }
  });
});
