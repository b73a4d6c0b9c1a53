import type { Server as HttpServer } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Namespace } from '@parley/protocol';
import type { Server } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { SocketInstrumentation } from '../observability/socket-instrumentation';
import { NodeRegistry } from './node-registry';
import { SessionForwarder } from './session-forwarder';

/** How long open HTTP connections may finish by themselves once the node stops listening. */
const LINGER_MS = 1_000;

export interface DrainReport {
  connectionsClosed: number;
  /** Requests this node was forwarding to other nodes, ended so that their clients retry. */
  forwardedEnded: number;
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
  private moved = 0;

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

  /**
   * First step, at once: refuse new sessions (503, which balancers retry elsewhere), report
   * not-ready, and close every client connection so that clients reconnect to another node.
   * Returns how many connections were closed; calling it again does nothing.
   */
  beginDraining(): number {
    if (this.draining) return 0;
    this.draining = true;
    this.logger.log('Draining: refusing new sessions and moving clients to other nodes');
    this.forwarder.startDraining();
    this.moved = this.closeConnections();
    return this.moved;
  }

  /** The whole drain: the first step, then the writes in flight, the registry, the listener. */
  async drain(http: HttpServer): Promise<DrainReport> {
    this.beginDraining();
    const idle = await this.instrumentation.idle(this.config.SHUTDOWN_TIMEOUT_MS);
    const pendingAtDeadline = idle ? 0 : this.instrumentation.pending();
    if (!idle) {
      this.logger.warn(
        `${pendingAtDeadline} client request(s) still running after ${this.config.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway (clients retry them)`,
      );
    }
    await this.registry.leave();
    // Polls this node forwards for other nodes' sessions would hold it for a ping interval.
    const forwarded = this.forwarder.endForwarded();
    // No new TCP connections from now on; idle kept-alive ones are closed, busy ones after a
    // moment (their clients retry elsewhere).
    const closed = new Promise<void>((resolve) => {
      http.close(() => {
        resolve();
      });
    });
    http.closeIdleConnections();
    const settled = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => {
        setTimeout(() => {
          resolve(false);
        }, LINGER_MS).unref();
      }),
    ]);
    if (!settled) http.closeAllConnections();
    this.logger.log(
      `Drained: ${this.moved} connection(s) sent elsewhere, ${forwarded} forwarded request(s) ended`,
    );
    return { connectionsClosed: this.moved, forwardedEnded: forwarded, pendingAtDeadline };
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
