import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Namespace, type TransportMode } from '@parley/protocol';
import type { Server } from 'socket.io';
import { SettingsService } from '../settings/settings.service';
import { ConnectionRegistry } from './connection-registry';
import { RealtimePublisher } from './realtime.publisher';

/** How long clients get to move by themselves before the server closes their connection. */
export const SWITCH_GRACE_MS = 1_200;

type EngineTransport = 'polling' | 'websocket';
type VerifyCallback = (errorCode?: number, errorContext?: Record<string, unknown>) => void;
interface EngineRequest {
  _query: Record<string, string | undefined>;
}
interface EngineWithVerify {
  verify(req: EngineRequest, upgrade: boolean, fn: VerifyCallback): unknown;
}

/** engine.io's FORBIDDEN error code: answered with HTTP 403 and our message. */
const ENGINE_FORBIDDEN = 4;

export function allowedTransports(mode: TransportMode): EngineTransport[] {
  if (mode === 'polling') return ['polling'];
  if (mode === 'websocket') return ['websocket'];
  return ['polling', 'websocket'];
}

/** Why a request for `transport` is refused in `mode`, or null when it is allowed. */
export function transportRefusal(
  mode: TransportMode,
  transport: string | undefined,
  upgrade: boolean,
): string | null {
  if (transport === 'websocket' && mode === 'polling') {
    return upgrade
      ? 'WebSocket upgrades are disabled: this server is in long-polling only mode. Keep using long-polling.'
      : 'WebSocket is disabled: this server is in long-polling only mode. Connect with the polling transport.';
  }
  if (transport === 'polling' && mode === 'websocket') {
    return 'Long-polling is disabled: this server is in WebSocket only mode. Connect with the websocket transport.';
  }
  return null;
}

/**
 * Enforces the admin's transport mode on the running engine.io server. The server starts with
 * both transports (engine.io registers its Upgrade listener only then); `opts.transports` and
 * `opts.allowUpgrades` are read per request, so changing them switches a live node.
 */
@Injectable()
export class TransportPolicy implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Transport');
  private server: Server | null = null;
  private unsubscribe: (() => void) | null = null;
  private enforceTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly settings: SettingsService,
    private readonly publisher: RealtimePublisher,
    private readonly registry: ConnectionRegistry,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.settings.onTransportModeChange((mode) => {
      this.switchTo(mode);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.enforceTimer) clearTimeout(this.enforceTimer);
  }

  attach(server: Server): void {
    this.server = server;
    const engine = server.engine as unknown as EngineWithVerify;
    const verify = engine.verify.bind(engine);
    engine.verify = (req, upgrade, fn) => {
      const transport = req._query.transport;
      const refusal = transportRefusal(this.settings.transportMode(), transport, upgrade);
      if (refusal) {
        fn(ENGINE_FORBIDDEN, { name: 'TRANSPORT_NOT_ALLOWED', message: refusal });
        return;
      }
      return verify(req, upgrade, fn);
    };
    server.engine.on(
      'connection_error',
      (err: {
        code: number;
        message: string;
        req: EngineRequest;
        context?: { message?: string };
      }) => {
        const transport = err.req._query.transport === 'websocket' ? 'websocket' : 'polling';
        this.registry.recordFailure({
          client: 'server',
          transport,
          phase: err.req._query.sid ? 'upgrade' : 'handshake',
          reason: err.context?.message ?? err.message,
          statusCode: err.code === ENGINE_FORBIDDEN ? 403 : 400,
        });
      },
    );
    this.applyToEngine(this.settings.transportMode());
  }

  private applyToEngine(mode: TransportMode): void {
    if (!this.server) return;
    const opts = this.server.engine.opts;
    opts.transports = allowedTransports(mode);
    opts.allowUpgrades = mode === 'auto';
  }

  /** Applies a new mode: engine options now, clients told now, stragglers closed after a grace period. */
  switchTo(mode: TransportMode): void {
    this.applyToEngine(mode);
    this.publisher.transportChanged(this.settings.clientTransport(mode));
    this.logger.log(`Transport mode is now "${mode}"`);
    if (this.enforceTimer) clearTimeout(this.enforceTimer);
    this.enforceTimer = setTimeout(() => {
      this.enforceTimer = null;
      this.closeDisallowed(mode);
    }, SWITCH_GRACE_MS);
    this.enforceTimer.unref();
  }

  /** Closes (recoverably: clients reconnect) every connection on a transport the mode forbids. */
  closeDisallowed(mode: TransportMode): number {
    if (!this.server) return 0;
    const allowed = allowedTransports(mode);
    let closed = 0;
    const seen = new Set<object>();
    for (const name of [Namespace.Widget, Namespace.Agent]) {
      for (const socket of this.server.of(name).sockets.values()) {
        const conn = socket.conn;
        if (seen.has(conn)) continue;
        seen.add(conn);
        if (!allowed.includes(conn.transport.name as EngineTransport)) {
          conn.close();
          closed += 1;
        }
      }
    }
    if (closed)
      this.logger.log(`Moved ${closed} connection(s) that stayed on a disallowed transport`);
    return closed;
  }
}
