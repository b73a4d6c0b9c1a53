import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';
import type { RedisService } from '../services/redis/redis.service';

/**
 * Creates Parley's one socket.io server (both namespaces share it) with both transports
 * registered, the heartbeat and size tunables, session ids that name the node, and, with Redis,
 * the Redis adapter so that a broadcast reaches the clients of every node.
 */
export class ParleyIoAdapter extends IoAdapter {
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
}
