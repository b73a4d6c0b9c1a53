import type { Server as HttpServer } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Namespace } from '@parley/protocol';
import type { Server } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { SocketInstrumentation } from '../observability/socket-instrumentation';
import { NodeRegistry } from './node-registry';
import { SessionForwarder } from './session-forwarder';

export interface DrainReport {
  connectionsClosed: number;
  pendingAtDeadline: number;
}

/**
 * SIGTERM on one node of several: stop taking new sessions, send every client to reconnect (the
 * balancer puts it on another node, where it resyncs by seq), let the writes in flight commit,
 * leave the registry. The caller then closes the application and exits.
 */
@Injectable()
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');
  private io: Server | null = null;
  private draining = false;

  constructor(
    private readonly forwarder: SessionForwarder,
    private readonly registry: NodeRegistry,
    private readonly instrumentation: SocketInstrumentation,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  attach(io: Server): void {
    this.io = io;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async drain(http: HttpServer): Promise<DrainReport> {
    this.draining = true;
    this.logger.log('Draining: refusing new sessions and moving clients to other nodes');
    this.forwarder.startDraining();
    // No new TCP connections; requests on open ones still reach the forwarder (which refuses
    // handshakes with 503, so the balancer retries them elsewhere).
    http.close();
    const connectionsClosed = this.closeConnections();
    const idle = await this.instrumentation.idle(this.config.SHUTDOWN_TIMEOUT_MS);
    const pendingAtDeadline = idle ? 0 : this.instrumentation.pending();
    if (!idle) {
      this.logger.warn(
        `${pendingAtDeadline} client request(s) still running after ${this.config.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway (clients retry them)`,
      );
    }
    await this.registry.leave();
    http.closeIdleConnections();
    this.logger.log(`Drained: ${connectionsClosed} connection(s) sent elsewhere`);
    return { connectionsClosed, pendingAtDeadline };
  }

  /** Closes every engine.io connection the recoverable way: clients reconnect by themselves. */
  private closeConnections(): number {
    if (!this.io) return 0;
    const seen = new Set<object>();
    for (const name of [Namespace.Widget, Namespace.Agent]) {
      for (const socket of this.io.of(name).sockets.values()) {
        if (seen.has(socket.conn)) continue;
        seen.add(socket.conn);
        socket.conn.close();
      }
    }
    return seen.size;
  }
}
