import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AgentClientContract,
  Events,
  Namespace,
  WidgetClientContract,
  type Ack,
} from '@parley/protocol';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import { malformedText } from '../common/zod-validation.pipe';
import { metricValue } from '../testing/cluster';
import { startTestApp, type TestApp } from '../testing/test-app';

/**
 * Thousands of random and malformed payloads against every socket event and every REST route:
 * wrong types, huge strings, deep nesting, prototype-pollution keys, lone surrogates and
 * right-to-left overrides, binary attachments, invalid JSON and UTF-8, unknown events. Each gets
 * a clear refusal; connections stay open; the process and its memory hold; nothing is written.
 * The generator is seeded (FUZZ_SEED) so that any failure can be replayed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const SOCKET_PAYLOADS = 3_000;
const REST_REQUESTS = 1_500;

/** Sets an own property, as JSON.parse does (`obj['__proto__'] = x` would replace the prototype). */
function own(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const NASTY = [
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\udfff',
    '\u202e<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '__proto__',
    'constructor',
    '{"a":',
    '🙂'.repeat(3),
    '\u200b\u2066\u2069',
    'null',
    '-1',
    'NaN',
  ];
  const string = (): string => {
    switch (int(5)) {
      case 0:
        return pick(NASTY);
      case 1:
        return 'x'.repeat(pick([1, 100, 5_000, 20_000, 200_000]));
      case 2:
        return String.fromCharCode(...Array.from({ length: int(40) }, () => int(0x10000)));
      case 3:
        return pick(NASTY) + 'y'.repeat(int(3000));
      default:
        return next()
          .toString(36)
          .slice(2, 2 + int(20));
    }
  };
  const deep = (depth: number): unknown => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i += 1) value = int(2) ? [value] : { a: value };
    return value;
  };
  const value = (depth = 0): unknown => {
    const kinds = depth > 3 ? 6 : 11;
    switch (int(kinds)) {
      case 0:
        return null;
      case 1:
        return pick([true, false]);
      case 2:
        return pick([0, -1, 1.5, 2 ** 53 + 1, -(2 ** 31), 1e308, Number.MAX_SAFE_INTEGER]);
      case 3:
      case 4:
        return string();
      case 5:
        return undefined;
      case 6:
        return Array.from({ length: int(6) }, () => value(depth + 1));
      case 7:
        return deep(pick([50, 500, 2_000]));
      case 8:
        return Buffer.from(Array.from({ length: int(64) }, () => int(256)));
      case 9: {
        // Prototype-pollution keys, as own properties (what JSON.parse produces).
        const polluted: Record<string, unknown> = JSON.parse(
          '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}',
        ) as Record<string, unknown>;
        own(polluted, string(), value(depth + 1));
        return polluted;
      }
      default: {
        const object: Record<string, unknown> = {};
        for (let i = int(5); i > 0; i -= 1) own(object, string().slice(0, 30), value(depth + 1));
        return object;
      }
    }
  };
  /** An object with the schema's own field names and random values: close to valid. */
  const nearValid = (schema: z.ZodType): unknown => {
    const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
    if (!shape || int(4) === 0) return value();
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) if (int(3)) own(object, key, value(1));
    return object;
  };
  /** A path or query part: percent-encoded text, or broken escapes a client could send. */
  const urlPart = (): string =>
    int(4) === 0
      ? pick(['%', '%zz', '%E0%A4%A', '..%2F..%2F', '%00', '%ff%fe', '+', '%2e%2e'])
      : encodeURIComponent(
          string()
            .replace(/[\uD800-\uDFFF]/g, '\uFFFD')
            .slice(0, 80),
        ) || 'x';
  return { next, int, pick, string, value, nearValid, urlPart };
}

/** What the server receives for `value`: socket.io sends JSON, with Buffers as binary attachments. */
function wireForm(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'number')
    return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : wireForm(v)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined)
        Object.defineProperty(out, k, {
          value: wireForm(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return value;
}

/** Every REST route Express knows, from Nest's router. */
function routes(t: TestApp): { method: string; path: string }[] {
  const express = t.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((method) => ({
          method: method.toUpperCase(),
          path: layer.route?.path ?? '/',
        }))
      : [],
  );
}

/** A raw HTTP request, so that bodies can be anything: invalid JSON, invalid UTF-8, huge. */
function raw(
  url: string,
  method: string,
  path: string,
  body: Buffer | null,
  headers: Record<string, string>,
): Promise<{ status: number; type: string; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method,
        path,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'] ?? '',
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = [
    'messages',
    'conversations',
    'visitors',
    'agents',
    'sites',
    'settings',
    'setting_changes',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const rows = await t.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table}"`,
    );
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

/** JSON text of anything, `undefined` included (JSON.stringify returns undefined for it). */
function json(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function isRefusal(ack: unknown): boolean {
  if (typeof ack !== 'object' || ack === null) return false;
  const { ok, error } = ack as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  return (
    ok === false &&
    typeof error?.code === 'string' &&
    error.code.length > 0 &&
    typeof error.message === 'string' &&
    error.message.length > 0
  );
}

describe('fuzzing every event and endpoint', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp('pglite', {
      // Rate limits would refuse the flood before the payloads are looked at.
      LIMIT_MESSAGES_PER_VISITOR_SOCKET: 'off',
      LIMIT_CONNECTIONS_PER_IP: 'off',
      LIMIT_CONVERSATIONS_PER_IP: 'off',
      LIMIT_UPLOADS_PER_IP: 'off',
      LIMIT_LOGIN_FAILURES_PER_ACCOUNT: 'off',
      LIMIT_LOGIN_FAILURES_PER_IP: 'off',
    });
    cookie = await t.login();
  });

  afterAll(async () => {
    await t.close();
  });

  it(
    'refuses every malformed socket payload with a clear ack, keeps the connections, writes nothing',
    { timeout: 180_000 },
    async () => {
      const gen = generator(SEED);
      const visitors = await Promise.all(
        (['polling', 'websocket'] as const).map(
          async (transport) => (await t.connectWidget({ transports: [transport] })).socket,
        ),
      );
      const agent = await t.connectAgent(cookie, ['websocket']);
      const targets: {
        socket: Socket;
        namespace: string;
        contract: Record<string, { request: z.ZodType }>;
      }[] = [
        ...visitors.map((socket) => ({
          socket: socket,
          namespace: Namespace.Widget,
          contract: WidgetClientContract,
        })),
        { socket: agent, namespace: Namespace.Agent, contract: AgentClientContract },
      ];
      const before = await tableCounts(t);
      const heapBefore = process.memoryUsage().heapUsed;
      let unknownSent = 0;
      let written = 0;
      let refused = 0;
      let accepted = 0;

      for (let i = 0; i < SOCKET_PAYLOADS; i += 1) {
        const target = gen.pick(targets);
        const events = Object.keys(target.contract);
        if (gen.int(10) === 0) {
          // An event nobody handles: ignored (and counted), never answered, never fatal.
          target.socket.emit(`fuzz:${gen.string().slice(0, 20)}`, gen.value());
          unknownSent += 1;
          continue;
        }
        const event = gen.pick(events);
        const schema = target.contract[event]?.request;
        if (!schema) throw new Error(`no schema for ${event}`);
        const payload = gen.nearValid(schema);
        const parsed = schema.safeParse(wireForm(payload));
        const valid = parsed.success && malformedText(parsed.data, '') === null;
        const ack = (await target.socket
          .timeout(10_000)
          .emitWithAck(event, payload)) as Ack<unknown>;
        const label = `${event} ${json(payload).slice(0, 200)} → ${JSON.stringify(ack)}`;
        // Never an internal error: either accepted, or refused with a clear code and message.
        expect(ack.ok || (isRefusal(ack) && ack.error.code !== 'INTERNAL'), label).toBe(true);
        if (valid) {
          // Valid by chance (the generator uses the schemas' field names).
          if (
            event === Events.MessageSend &&
            ack.ok &&
            !(ack.data as { duplicate: boolean }).duplicate
          ) {
            written += 1;
          }
          accepted += 1;
        } else {
          expect(!ack.ok && ack.error.code === 'VALIDATION_FAILED', label).toBe(true);
          refused += 1;
        }
        if (i % 500 === 0) for (const { socket } of targets) expect(socket.connected).toBe(true);
      }
      for (const { socket } of targets) expect(socket.connected).toBe(true);

      // Nothing written but what valid payloads wrote: refused ones leave every table as it was.
      const after = await tableCounts(t);
      expect({
        ...after,
        messages: (after.messages ?? 0) - written,
        conversations: before.conversations,
      }).toEqual(before);
      expect((after.conversations ?? 0) - (before.conversations ?? 0)).toBeLessThanOrEqual(written);
      expect(refused).toBeGreaterThan(SOCKET_PAYLOADS / 2);
      // Unknown events were counted.
      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      expect(metricValue(metrics, 'parley_unknown_events_total')).toBe(unknownSent);
      // No prototype was polluted, and the heap did not run away.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
      // And the connections still work for a valid message.
      const ok = (await visitors[0]?.timeout(5_000).emitWithAck(Events.MessageSend, {
        clientMessageId: 'fuzz-valid-0001',
        body: 'still here',
      })) as Ack<unknown>;
      expect(ok.ok).toBe(true);
      console.log(
        `socket fuzz (seed ${String(SEED)}): ${String(refused)} refused, ${String(accepted)} valid by chance (${String(written)} messages written), ${String(unknownSent)} unknown events ignored`,
      );
    },
  );

  it('closes only the connection that breaks the socket.io protocol itself', async () => {
    const healthy = (await t.connectWidget({ transports: ['websocket'] })).socket;
    const { port } = new URL(t.url);
    const frames: (string | Buffer)[] = [
      'not an engine.io packet',
      '4{"unterminated',
      '42/widget,["message:send",{"body":',
      Buffer.from([0xff, 0xfe, 0xfd]),
      '4' + '9'.repeat(2_000),
    ];
    for (const frame of frames) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      ws.send(frame);
      await new Promise<void>((resolve) => {
        ws.once('close', () => {
          resolve();
        });
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2_000);
      });
    }
    expect(healthy.connected).toBe(true);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('closes a connection that sends a packet over MAX_HTTP_BUFFER_SIZE, on either transport, and nothing else', async () => {
    const healthy = (await t.connectWidget({ transports: ['websocket'] })).socket;
    for (const transport of ['polling', 'websocket'] as const) {
      const { socket } = await t.connectWidget({ transports: [transport] });
      const closed = new Promise<string>((resolve) => {
        socket.once('disconnect', resolve);
      });
      // Over the 1 MB default: engine.io answers 413 to the poll, or closes the WebSocket with 1009.
      (socket as Socket).emit(Events.MessageSend, {
        clientMessageId: 'oversized-0001',
        body: 'x'.repeat(1_100_000),
      });
      expect(await closed).toMatch(/^transport (close|error)$/);
    }
    expect(healthy.connected).toBe(true);
    const rows = await t.prisma.message.count({ where: { clientMessageId: 'oversized-0001' } });
    expect(rows).toBe(0);
  });

  it(
    'answers every malformed REST request with a 4xx JSON error, never a 5xx',
    { timeout: 180_000 },
    async () => {
      const gen = generator(SEED + 1);
      const all = routes(t).filter((r) => r.path !== '/api/auth/logout');
      expect(all.length).toBeGreaterThan(8);
      const before = await tableCounts(t);
      const mutatingSuccesses: string[] = [];
      const fill = (path: string) => path.replace(/:(\w+)/g, () => gen.urlPart());
      for (let i = 0; i < REST_REQUESTS; i += 1) {
        const route = gen.pick(all);
        let path = fill(route.path);
        if (gen.int(3) === 0) path += `?${gen.urlPart()}=${gen.urlPart()}&${gen.urlPart()}`;
        const headers: Record<string, string> = gen.int(2) ? { cookie } : {};
        let body: Buffer | null = null;
        if (route.method !== 'GET') {
          switch (gen.int(4)) {
            case 0:
              body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]); // {"\xff\xfe":1}
              break;
            case 1:
              body = Buffer.from(gen.string());
              break;
            default:
              body = Buffer.from(json(gen.value()));
          }
          headers['content-type'] = gen.pick([
            'application/json',
            'application/json',
            'text/plain',
            'application/x-www-form-urlencoded',
          ]);
        }
        const res = await raw(t.url, route.method, path, body, headers);
        const label = `${route.method} ${path.slice(0, 120)} (${body?.length ?? 0} bytes) → ${String(res.status)} ${res.text.slice(0, 200)}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.status >= 400 && (path.startsWith('/api') || path === '/metrics')) {
          expect(res.type, label).toContain('application/json');
          const parsed = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
          expect(typeof parsed.error?.code, label).toBe('string');
          expect(typeof parsed.error?.message, label).toBe('string');
        }
        if (route.method !== 'GET' && res.status < 300) mutatingSuccesses.push(label);
      }
      expect(mutatingSuccesses).toEqual([]);
      expect(await tableCounts(t)).toEqual(before);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
      const address = t.app.getHttpServer().address() as AddressInfo;
      expect(address.port).toBeGreaterThan(0);
    },
  );
});
