import { randomBytes } from 'node:crypto';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';
import type { RedisService } from '../services/redis/redis.service';

/**
 * Creates Parley's one socket.io server (both namespaces share it) with both transports
 * registered, the heartbeat and size tunables, session ids that name the node, and, with Redis,
 * the Redis adapter so that a broadcast reaches the clients of every node.
 */
export class ParleyIoAdapter extends IoAdapter {
  private readonly logger = new Logger('ParleyIoAdapter');

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly onServer: (server: Server) => void,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const server = super.createIOServer(port, {
      ...options,
      // Both at start-up: engine.io registers its Upgrade listener only when websocket is present.
      transports: ['polling', 'websocket'],
      pingInterval: this.config.PING_INTERVAL_MS,
      pingTimeout: this.config.PING_TIMEOUT_MS,
      maxHttpBufferSize: this.config.MAX_HTTP_BUFFER_SIZE,
      // No WebSocket compression (engine.io's default, and the benchmark's bare relay's): each
      // compressed socket keeps zlib contexts of tens of KB for as long as it is open, idle or
      // not, to save little on Parley's small JSON frames. Set here, after a gateway's options.
      perMessageDeflate: false,
      serveClient: false,
      cleanupEmptyChildNamespaces: true,
      cookie: this.config.STICKY_COOKIE
        ? { name: this.config.STICKY_COOKIE, path: '/', httpOnly: true, sameSite: 'lax' }
        : false,
    }) as Server;
    const nodeId = this.config.NODE_ID;
    // `<node>.<random>`: any node can tell which node holds a session.
    server.engine.generateId = () => `${nodeId}.${randomBytes(15).toString('base64url')}`;
    if (this.redis.enabled) {
      server.adapter(
        createAdapter(this.redis.client('publisher'), this.redis.client('subscriber'), {
          key: this.redis.key('socket.io'),
          // Requests between nodes (the diagnostics page) give up on a silent node this soon.
          requestsTimeout: 1_500,
        }),
      );
    }
    this.onServer(server);
    return server;
  }

  /**
   * Binds a gateway's handlers to one socket as Nest's `IoAdapter` does (same payload and ack
   * mapping, same `{ event, data }` replies, nothing answered once the socket is gone) with one
   * plain listener per event. Nest's own builds an RxJS pipeline per event and socket
   * (`fromEvent`, `mergeMap`, `takeUntil` on a shared disconnect stream) that every idle
   * connection keeps: about 4 KB per handler, some 30 KB of heap per idle widget socket (seven
   * events). Here a pipeline exists only while a request is being answered.
   */
  override bindMessageHandlers(
    // The socket.io copy that Nest's adapter builds its server with.
    socket: Parameters<IoAdapter['bindMessageHandlers']>[0],
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const handler of handlers) {
      const { callback, isAckHandledManually } = handler;
      const message = String(handler.message);
      socket.on(message, (...args: unknown[]) => {
        // As rxjs `fromEvent` hands it to Nest: the only argument, or all of them.
        const mapped: { data: unknown; ack?: unknown } = this.mapPayload(
          args.length > 1 ? args : args[0],
        );
        const ack = mapped.ack;
        transform(callback(mapped.data, ack)).subscribe({
          next: (response) => {
            if (response === null || response === undefined || socket.disconnected) return;
            const reply = response as { event?: string; data?: unknown };
            if (reply.event) {
              socket.emit(reply.event, reply.data);
            } else if (!isAckHandledManually && typeof ack === 'function') {
              (ack as (res: unknown) => void)(response);
            }
          },
          error: (error: unknown) => {
            // The gateways' exception filters answer every error; this is what escaped them.
            this.logger.error(`handler for "${message}" failed: ${String(error)}`);
          },
        });
      });
    }
  }
}
