import {
  Events,
  Namespace,
  type VisitorSession,
  type WidgetAuth,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { trackSocket, type TestApp, type Transport } from './test-app';

export type RawWidgetClient = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

export interface RawWidgetOptions {
  auth: Partial<WidgetAuth> & Record<string, unknown>;
  /** Request headers of the handshake (Origin, X-Forwarded-For…), on both transports. */
  headers?: Record<string, string>;
  transports?: Transport[];
}

/** A `/widget` socket with full control of its handshake; it is closed with the test app. */
export function rawWidget(t: TestApp, options: RawWidgetOptions): RawWidgetClient {
  const socket: RawWidgetClient = io(`${t.url}${Namespace.Widget}`, {
    transports: options.transports ?? ['polling', 'websocket'],
    rememberUpgrade: false,
    reconnection: false,
    forceNew: true,
    auth: options.auth,
    extraHeaders: options.headers ?? {},
  });
  trackSocket(socket);
  return socket;
}

export type HandshakeOutcome =
  | { ok: true; session: VisitorSession }
  | {
      ok: false;
      code: string;
      message: string;
      retryAfterMs?: number;
    };

/** Waits for `session:ready` or the `connect_error` that refused the handshake. */
export function handshake(socket: RawWidgetClient): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    socket.once(Events.SessionReady, (session: VisitorSession) => {
      resolve({ ok: true, session });
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      const data = (error.data ?? {}) as { message?: string; retryAfterMs?: number };
      resolve({
        ok: false,
        code: error.message,
        message: data.message ?? '',
        ...(data.retryAfterMs === undefined ? {} : { retryAfterMs: data.retryAfterMs }),
      });
    });
  });
}

/** Waits for an agent socket to connect or be refused. */
export function agentHandshake(
  socket: Socket,
): Promise<{ ok: true } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    socket.once('connect', () => {
      resolve({ ok: true });
    });
    socket.once('connect_error', (error: Error) => {
      resolve({ ok: false, code: error.message });
    });
  });
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A REST call with JSON in and out. */
export async function callApi(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}

let counter = 0;
/** A client message id unique within the run. */
export function clientMessageId(): string {
  counter += 1;
  return `sec-${Date.now().toString(36)}-${counter.toString(36)}`;
}

let ips = 0;
/** A documentation-range address (RFC 5737), different for every call. */
export function testIp(): string {
  ips += 1;
  return `198.51.${Math.floor(ips / 250) % 250}.${(ips % 250) + 1}`;
}
