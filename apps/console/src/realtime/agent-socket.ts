import {
  AgentPresenceSchema,
  VisitorDetailsSchema,
  VisitorPresenceSchema,
  ReadUpdateSchema,
  TypingUpdateSchema,
  type AgentClientToServerEvents,
  type AgentServerToClientEvents,
  type ClientTransportConfig,
  ClientTransportConfigSchema,
  ConversationSchema,
  MessageSchema,
  Namespace,
  SendMessageResultSchema,
  SyncResultSchema,
  ackSchema,
} from '@parley/protocol';
import { type Manager, type Socket, io } from 'socket.io-client';
import type { ConsoleApi } from '../api/console-api';
import { UNEXPECTED_RESPONSE_MESSAGE, errorMessage } from '../api/http';
import type { ConsoleStore, RealtimeLink, SendOutcome } from '../state/store';
import {
  FailureThrottle,
  handshakeFailure,
  isUnauthorized,
  rejectionCode,
  upgradeFailure,
} from './failures';

export type AgentSocket = Socket<AgentServerToClientEvents, AgentClientToServerEvents>;

/** How long an emit waits for its ack before it counts as lost and is sent again. */
export const ACK_TIMEOUT_MS = 10_000;
/** Least time between two `/api/config` fetches made because connecting keeps failing. */
const CONFIG_REFRESH_INTERVAL_MS = 15_000;

const SendAckSchema = ackSchema(SendMessageResultSchema);
const SyncAckSchema = ackSchema(SyncResultSchema);
const UpdateAckSchema = ackSchema(ConversationSchema);

export interface RealtimeOptions {
  /** The handshake was refused for want of a valid session. */
  onUnauthorized(): void;
}

function applyTransport(manager: Manager, config: ClientTransportConfig): void {
  manager.opts.transports = [...config.transports];
  manager.opts.upgrade = config.upgrade;
  manager.reconnectionDelay(config.reconnectionDelayMs);
  manager.reconnectionDelayMax(config.reconnectionDelayMaxMs);
}

function sameTransport(manager: Manager, config: ClientTransportConfig): boolean {
  const current = (manager.opts.transports ?? []).map(String);
  return (
    current.join(',') === config.transports.join(',') &&
    manager.opts.upgrade === config.upgrade &&
    manager.reconnectionDelay() === config.reconnectionDelayMs &&
    manager.reconnectionDelayMax() === config.reconnectionDelayMaxMs
  );
}

/** A person-readable reason for a failed connection attempt. */
export function describeConnectError(error: Error & { description?: unknown }): string {
  const status = typeof error.description === 'number' && error.description > 0;
  switch (error.message) {
    case 'xhr poll error':
    case 'xhr post error':
    case 'fetch read error':
    case 'fetch write error':
      return status
        ? `Long-polling request failed (HTTP ${String(error.description)}).`
        : 'The server cannot be reached.';
    case 'websocket error':
      return 'The WebSocket connection failed.';
    case 'timeout':
      return 'The server took too long to answer.';
    default:
      return error.message;
  }
}

function describeDisconnect(reason: string): string {
  switch (reason) {
    case 'ping timeout':
      return 'The server stopped answering.';
    case 'io server disconnect':
      return 'The server closed the connection.';
    case 'transport error':
      return 'The connection failed.';
    default:
      return 'The connection was closed.';
  }
}

/**
 * Opens the `/agent` socket and binds it to the store. The transport options come from
 * `GET /api/config` before the socket exists, so a console in polling mode never tries a
 * WebSocket. Returns a function that closes everything.
 */
export function startRealtime(
  store: ConsoleStore,
  api: Pick<ConsoleApi, 'config' | 'me' | 'reportFailure'>,
  options: RealtimeOptions,
): () => void {
  let stopped = false;
  let socket: AgentSocket | null = null;
  let link: RealtimeLink | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastConfigRefresh = 0;
  let switchingTransport = false;
  const throttle = new FailureThrottle();

  const later = (delayMs: number, run: () => void): void => {
    clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  };

  const report = (failure: ReturnType<typeof handshakeFailure>): void => {
    if (!failure || !throttle.shouldReport(failure)) return;
    api.reportFailure(failure).catch(() => {
      // Best effort: a console that cannot report still works.
    });
  };

  async function start(attempt: number): Promise<void> {
    try {
      const { transport } = await api.config();
      if (stopped) return;
      store.transportConfigured(transport, false);
      open(transport);
    } catch (error) {
      if (stopped) return;
      store.connectionLost(errorMessage(error));
      later(Math.min(30_000, 1_000 * 2 ** attempt), () => void start(attempt + 1));
    }
  }

  /** Connecting keeps failing: the mode may have changed while this console was away. */
  async function refreshConfig(manager: Manager): Promise<void> {
    const now = Date.now();
    if (now - lastConfigRefresh < CONFIG_REFRESH_INTERVAL_MS) return;
    lastConfigRefresh = now;
    try {
      const { transport } = await api.config();
      if (stopped || socket?.io !== manager || sameTransport(manager, transport)) return;
      applyTransport(manager, transport);
      store.transportConfigured(transport, false);
    } catch {
      // socket.io keeps retrying with the options it has.
    }
  }

  /** The server dropped this socket on purpose: reconnect unless the session ended. */
  async function reconnectIfSignedIn(s: AgentSocket): Promise<void> {
    try {
      if ((await api.me()) === null) {
        if (!stopped) options.onUnauthorized();
        return;
      }
    } catch {
      // Cannot tell: try the socket; its handshake checks the session anyway.
    }
    if (!stopped && socket === s && !s.active) s.connect();
  }

  function open(config: ClientTransportConfig): void {
    const s: AgentSocket = io(Namespace.Agent, {
      transports: [...config.transports],
      upgrade: config.upgrade,
      rememberUpgrade: false,
      reconnectionDelay: config.reconnectionDelayMs,
      reconnectionDelayMax: config.reconnectionDelayMaxMs,
      withCredentials: true,
      // A manager of its own, so that signing out and in again never reuses a closed one.
      forceNew: true,
    });
    socket = s;
    const manager = s.io;
    let rejections = 0;

    manager.on('open', () => {
      const engine = manager.engine;
      engine.on('upgrade', (transport) => {
        store.transportUpgraded(transport.name);
      });
      engine.on('upgradeError', (error) => {
        report(upgradeFailure(error, engine.readyState));
      });
    });

    s.on('connect', () => {
      rejections = 0;
      switchingTransport = false;
      store.connected(manager.engine.transport.name);
    });

    s.on('disconnect', (reason) => {
      store.connectionLost(
        switchingTransport
          ? 'Switching to the new transport settings…'
          : describeDisconnect(reason),
      );
      if (reason === 'io server disconnect') void reconnectIfSignedIn(s);
    });

    s.on('connect_error', (error) => {
      if (isUnauthorized(error)) {
        options.onUnauthorized();
        return;
      }
      switchingTransport = false;
      store.connectionLost(describeConnectError(error));
      report(handshakeFailure(error, manager.opts.transports?.map(String)[0]));
      void refreshConfig(manager);
      if (!s.active && rejectionCode(error) !== null) {
        // A middleware refused the handshake; socket.io does not retry those by itself.
        rejections += 1;
        const delay = Math.min(manager.reconnectionDelayMax(), 1_000 * 2 ** rejections);
        later(delay, () => {
          if (!stopped && socket === s && !s.active) s.connect();
        });
      }
    });

    s.on('message:new', (payload) => {
      const parsed = MessageSchema.safeParse(payload);
      if (parsed.success) store.messageReceived(parsed.data);
      else console.error('Ignored a malformed message:new event', parsed.error.issues);
    });

    s.on('conversation:updated', (payload) => {
      const parsed = ConversationSchema.safeParse(payload);
      if (parsed.success) store.conversationUpdated(parsed.data);
      else console.error('Ignored a malformed conversation:updated event', parsed.error.issues);
    });

    s.on('agent:presence', (payload) => {
      const parsed = AgentPresenceSchema.safeParse(payload);
      if (parsed.success) store.agentPresenceChanged(parsed.data);
    });

    s.on('visitor:updated', (payload) => {
      const parsed = VisitorDetailsSchema.safeParse(payload);
      if (parsed.success) store.visitorUpdated(parsed.data);
    });

    s.on('visitor:presence', (payload) => {
      const parsed = VisitorPresenceSchema.safeParse(payload);
      if (parsed.success) store.visitorPresenceChanged(parsed.data);
    });

    s.on('typing:updated', (payload) => {
      const parsed = TypingUpdateSchema.safeParse(payload);
      if (parsed.success) store.typingChanged(parsed.data);
    });

    s.on('read:updated', (payload) => {
      const parsed = ReadUpdateSchema.safeParse(payload);
      if (parsed.success) store.readUpdated(parsed.data);
    });

    s.on('sync:required', () => {
      store.syncRequired();
    });

    s.on('transport:changed', (payload) => {
      const parsed = ClientTransportConfigSchema.safeParse(payload);
      if (!parsed.success) {
        console.error('Ignored a malformed transport:changed event', parsed.error.issues);
        return;
      }
      applyTransport(manager, parsed.data);
      store.transportConfigured(parsed.data, true);
      // The manager rebuilds the engine from `opts` when it reconnects; the store keeps all
      // state and resyncs on connect.
      switchingTransport = true;
      manager.engine.close();
    });

    const current: RealtimeLink = {
      get connected() {
        return s.connected;
      },
      typing(conversationId, typing) {
        s.emit('typing:set', { conversationId, typing }, () => undefined);
      },
      markRead(conversationId, seq) {
        s.emit('read:mark', { conversationId, seq }, () => undefined);
      },
      send(payload) {
        return new Promise<SendOutcome>((resolve) => {
          s.timeout(ACK_TIMEOUT_MS).emit(
            'message:send',
            payload,
            (error: Error | undefined, response) => {
              if (error) {
                resolve({ kind: 'lost', reason: error.message });
                return;
              }
              const parsed = SendAckSchema.safeParse(response);
              resolve({
                kind: 'acked',
                ack: parsed.success
                  ? parsed.data
                  : {
                      ok: false,
                      error: { code: 'BAD_RESPONSE', message: UNEXPECTED_RESPONSE_MESSAGE },
                    },
              });
            },
          );
        });
      },
      sync(request) {
        return new Promise((resolve, reject) => {
          s.timeout(ACK_TIMEOUT_MS).emit(
            'conversation:sync',
            request,
            (error: Error | undefined, response) => {
              if (error) {
                reject(error);
                return;
              }
              const parsed = SyncAckSchema.safeParse(response);
              if (!parsed.success) reject(new Error(UNEXPECTED_RESPONSE_MESSAGE));
              else if (!parsed.data.ok) reject(new Error(parsed.data.error.message));
              else resolve(parsed.data.data);
            },
          );
        });
      },
      update(request) {
        return new Promise((resolve, reject) => {
          s.timeout(ACK_TIMEOUT_MS).emit(
            'conversation:update',
            request,
            (error: Error | undefined, response) => {
              if (error) {
                reject(new Error('The server did not answer. Try again.'));
                return;
              }
              const parsed = UpdateAckSchema.safeParse(response);
              if (!parsed.success) reject(new Error(UNEXPECTED_RESPONSE_MESSAGE));
              else resolve(parsed.data);
            },
          );
        });
      },
    };
    link = current;
    store.attach(current);
  }

  void start(0);

  return () => {
    stopped = true;
    clearTimeout(timer);
    if (link) store.detach(link);
    if (socket) {
      socket.off();
      socket.io.off();
      socket.disconnect();
    }
  };
}
