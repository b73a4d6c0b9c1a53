import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../../config/config';

export type RedisRole = 'command' | 'publisher' | 'subscriber';

/**
 * Redis connections for running several nodes, or none when REDIS_URL is unset. Every client
 * reconnects by itself after an outage; outages and recoveries are logged once each.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly clients = new Map<RedisRole, Redis>();
  private readonly readyListeners = new Set<() => void>();
  /** Not connected (yet, or any more). */
  private down = true;
  private started = false;
  private closing = false;
  private lastError: string | null = null;
  private droppedPublishes = 0;

  private constructor(private readonly config: AppConfig) {}

  /** Connects every client before anything listens; throws with a clear message when Redis is unreachable. */
  static async connect(config: AppConfig): Promise<RedisService> {
    const service = new RedisService(config);
    if (!config.REDIS_URL) return service;
    const url = config.REDIS_URL;
    const base: RedisOptions = {
      lazyConnect: true,
      connectionName: `parley-${config.NODE_ID}`,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    };
    // Lookups and heartbeats fail fast during an outage (callers fall back); the adapter's
    // publisher queues across a short outage so that other nodes still get the fan-out.
    service.clients.set('command', new Redis(url, { ...base, enableOfflineQueue: false }));
    service.clients.set('publisher', service.tolerantPublisher(new Redis(url, base)));
    service.clients.set('subscriber', new Redis(url, base));
    for (const [role, client] of service.clients) service.watch(role, client);
    const ready = [...service.clients.values()].map(
      (client) =>
        new Promise<void>((resolve) => {
          client.once('ready', resolve);
          // A failed first attempt is retried by the client itself until the timeout below.
          client.connect().catch(() => undefined);
        }),
    );
    try {
      await withTimeout(Promise.all(ready), config.REDIS_CONNECT_TIMEOUT_MS);
    } catch {
      service.closing = true;
      for (const client of service.clients.values()) client.disconnect();
      throw new Error(
        `Cannot connect to Redis at ${redact(url)} within ${config.REDIS_CONNECT_TIMEOUT_MS} ms` +
          (service.lastError ? `: ${service.lastError}` : ''),
      );
    }
    service.started = true;
    service.down = false;
    return service;
  }

  get enabled(): boolean {
    return this.clients.size > 0;
  }

  /** Key or channel name under this installation's prefix. */
  key(name: string): string {
    return `${this.config.REDIS_PREFIX}${name}`;
  }

  client(role: RedisRole): Redis {
    const client = this.clients.get(role);
    if (!client) throw new Error('Redis is not configured (REDIS_URL is unset)');
    return client;
  }

  /** Every connection is up. */
  isReady(): boolean {
    return [...this.clients.values()].every((c) => c.status === 'ready');
  }

  /** Round-trip time of a PING in milliseconds; throws when Redis does not answer. */
  async ping(): Promise<number> {
    const started = performance.now();
    await withTimeout(this.client('command').ping(), 2_000);
    return performance.now() - started;
  }

  /** Called each time the connections come back after an outage. */
  onRecovered(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.clients.values()].map(async (client) => {
        if (client.status === 'ready') await client.quit().catch(() => undefined);
        client.disconnect();
      }),
    );
    this.clients.clear();
  }

  /**
   * The socket.io adapter publishes without handling failures; a publish that fails after an
   * outage outlasts the retries is counted and logged here instead of crashing the process.
   * Clients recover what they missed by resyncing on their next message or reconnect.
   */
  private tolerantPublisher(client: Redis): Redis {
    const publish: (channel: string | Buffer, message: string | Buffer) => Promise<number> =
      client.publish.bind(client);
    Object.assign(client, {
      publish: (channel: string | Buffer, message: string | Buffer) =>
        publish(channel, message).catch((error: unknown) => {
          this.droppedPublishes += 1;
          if (this.droppedPublishes === 1 || this.droppedPublishes % 1000 === 0) {
            this.logger.warn(
              `Dropped ${this.droppedPublishes} publish(es) during a Redis outage: ${String(error)}`,
            );
          }
          return 0;
        }),
    });
    return client;
  }

  private watch(role: RedisRole, client: Redis): void {
    client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    client.on('close', () => {
      if (this.closing || this.down) return;
      this.down = true;
      this.logger.error(
        `Lost the connection to Redis (${role}${this.lastError ? `: ${this.lastError}` : ''}); reconnecting`,
      );
    });
    client.on('ready', () => {
      if (!this.started || !this.down || !this.isReady()) return;
      this.down = false;
      this.logger.log('Redis is reachable again');
      for (const listener of this.readyListeners) listener();
    });
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
