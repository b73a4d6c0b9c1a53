import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  Events,
  Namespace,
  SESSION_COOKIE,
  type Ack,
  type AgentClientToServerEvents,
  type AgentServerToClientEvents,
  type VisitorSession,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
} from '@parley/protocol';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createApp, listen } from '../app.factory';
import { hashPassword } from '../auth/password';
import { newId } from '../common/ids';
import { loadConfig } from '../config/config';
import { PrismaService } from '../services/database/prisma.service';
import { freshDatabase, type Engine } from './databases';

export type WidgetClient = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;
export type AgentClient = Socket<AgentServerToClientEvents, AgentClientToServerEvents>;
export type Transport = 'polling' | 'websocket';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct-horse-battery';
export const SITE_KEY = 'test-site';

export interface TestApp {
  url: string;
  app: NestExpressApplication;
  prisma: PrismaService;
  /** Signs in over REST and returns the session cookie (`name=value`). */
  login(email?: string, password?: string): Promise<string>;
  /** Creates an agent with a known password. */
  createAgent(role: 'ADMIN' | 'AGENT', email: string, password?: string): Promise<void>;
  connectWidget(
    options?: WidgetConnectOptions,
  ): Promise<{ socket: WidgetClient; session: VisitorSession }>;
  connectAgent(cookie: string, transports?: Transport[]): Promise<AgentClient>;
  close(): Promise<void>;
}

export interface WidgetConnectOptions {
  transports?: Transport[];
  visitorToken?: string;
  siteKey?: string;
  upgrade?: boolean;
}

const sockets = new Set<Socket>();

/** Starts the real app on an ephemeral port with its own empty database. */
export async function startTestApp(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const db = await freshDatabase(engine);
  const attachmentsDir = await mkdtemp(join(tmpdir(), 'parley-attachments-'));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEFAULT_SITE_KEY: SITE_KEY,
    PARLEY_DATABASE_IN_MEMORY: 'true',
    ATTACHMENTS_DIR: attachmentsDir,
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...env,
  });
  const { app } = await createApp(config);
  const port = await listen(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const prisma = app.get(PrismaService);

  const testApp: TestApp = {
    url,
    app,
    prisma,
    async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      if (!cookie) throw new Error('login set no session cookie');
      return cookie.split(';')[0] ?? '';
    },
    async createAgent(role, email, password = ADMIN_PASSWORD) {
      await prisma.agent.create({
        data: {
          id: newId(),
          email,
          name: email.split('@')[0] ?? email,
          role,
          passwordHash: await hashPassword(password),
        },
      });
    },
    async connectWidget(options = {}) {
      const socket: WidgetClient = io(`${url}${Namespace.Widget}`, {
        transports: options.transports ?? ['polling', 'websocket'],
        upgrade: options.upgrade ?? true,
        rememberUpgrade: false,
        reconnection: false,
        forceNew: true,
        auth: {
          siteKey: options.siteKey ?? SITE_KEY,
          ...(options.visitorToken ? { visitorToken: options.visitorToken } : {}),
        },
      });
      sockets.add(socket);
      const session = await new Promise<VisitorSession>((resolve, reject) => {
        socket.once(Events.SessionReady, resolve);
        socket.once('connect_error', reject);
      });
      return { socket, session };
    },
    async connectAgent(cookie, transports = ['polling', 'websocket']) {
      const socket: AgentClient = io(`${url}${Namespace.Agent}`, {
        transports,
        rememberUpgrade: false,
        reconnection: false,
        forceNew: true,
        extraHeaders: { cookie },
      });
      sockets.add(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      sockets.clear();
      await app.close();
      await db.drop();
      await rm(attachmentsDir, { recursive: true, force: true });
    },
  };
  return testApp;
}

/** Emits with an ack and resolves with it (rejects after `timeoutMs`). */
export function emitAck<T>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 5_000,
): Promise<Ack<T>> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Resolves with the next `event` on `socket`. */
export function nextEvent<T>(socket: Socket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Resolves with the connect_error a handshake fails with. */
export function connectError(
  socket: Socket,
): Promise<Error & { data?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      reject(new Error('connected, but a connect_error was expected'));
    });
    socket.once('connect_error', resolve);
  });
}

export function trackSocket(socket: Socket): void {
  sockets.add(socket);
}
