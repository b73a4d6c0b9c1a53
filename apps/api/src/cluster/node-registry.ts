import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { RedisService } from '../services/redis/redis.service';

/** How long a looked-up address is used before Redis is asked again. */
const LOOKUP_CACHE_MS = 2_000;

interface CachedAddress {
  url: string | null;
  fetchedAt: number;
}

/** Where a node listening on `host` is reached from its own host. */
export function defaultInternalUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** Node id from an engine.io session id `<node>.<random>`; null when it names none. */
export function nodeOfSession(sid: string): string | null {
  const dot = sid.indexOf('.');
  return dot > 0 ? sid.slice(0, dot) : null;
}

/**
 * Which nodes are alive and where they listen: each node keeps `<prefix>node:<id>` set to its
 * internal URL with a TTL and renews it; a node that stops renewing is gone. A lookup is one GET,
 * cached briefly; during a Redis outage the last known address is used.
 */
@Injectable()
export class NodeRegistry implements BeforeApplicationShutdown {
  private readonly logger = new Logger('NodeRegistry');
  private readonly cache = new Map<string, CachedAddress>();
  private heartbeat: NodeJS.Timeout | null = null;
  private ownUrl: string | null = null;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get nodeId(): string {
    return this.config.NODE_ID;
  }

  get clustered(): boolean {
    return this.redis.enabled;
  }

  /** This node's internal URL, once it listens. */
  get url(): string | null {
    return this.ownUrl;
  }

  /** Announces this node (after it listens) and keeps the announcement alive. */
  async join(port: number): Promise<void> {
    this.ownUrl = (this.config.INTERNAL_URL ?? defaultInternalUrl(this.config.HOST, port)).replace(
      /\/$/,
      '',
    );
    if (!this.redis.enabled) return;
    if (!this.config.INTERNAL_URL) {
      this.logger.warn(
        `INTERNAL_URL is unset: the other nodes will reach this one at ${this.ownUrl}, which works only when every node runs on this host`,
      );
    }
    await this.renew();
    this.heartbeat = setInterval(
      () => {
        this.renew().catch((error: unknown) => {
          this.logger.warn(`Could not renew this node's registration: ${String(error)}`);
        });
      },
      Math.floor(this.config.NODE_TTL_MS / 3),
    );
    this.heartbeat.unref();
    this.logger.log(`Node ${this.nodeId} registered at ${this.ownUrl}`);
  }

  /** Removes this node: sessions it held are then answered as unknown by the others. */
  async leave(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (!this.redis.enabled || !this.ownUrl) return;
    await this.redis
      .client('command')
      .del(this.redis.key(`node:${this.nodeId}`))
      .catch(() => undefined);
    this.ownUrl = null;
  }

  /** The internal URL of a live node, or null when no such node is registered. */
  async lookup(nodeId: string): Promise<string | null> {
    if (nodeId === this.nodeId) return this.ownUrl;
    if (!this.redis.enabled) return null;
    const cached = this.cache.get(nodeId);
    if (cached && Date.now() - cached.fetchedAt < LOOKUP_CACHE_MS) return cached.url;
    try {
      const url = await this.redis.client('command').get(this.redis.key(`node:${nodeId}`));
      this.cache.set(nodeId, { url, fetchedAt: Date.now() });
      return url;
    } catch {
      // Redis is unreachable: the last known address is the best guess.
      return cached?.url ?? null;
    }
  }

  /** Forgets a cached address (after the node refused a connection). */
  forget(nodeId: string): void {
    this.cache.delete(nodeId);
  }

  /** Every registered node and its internal URL. */
  async liveNodes(): Promise<{ id: string; url: string }[]> {
    if (!this.redis.enabled) return this.ownUrl ? [{ id: this.nodeId, url: this.ownUrl }] : [];
    const client = this.redis.client('command');
    const prefix = this.redis.key('node:');
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length === 0) return [];
    const urls = await client.mget(...keys);
    return keys
      .map((key, i) => ({ id: key.slice(prefix.length), url: urls[i] }))
      .filter((n): n is { id: string; url: string } => typeof n.url === 'string')
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.leave();
  }

  private async renew(): Promise<void> {
    if (!this.ownUrl) return;
    await this.redis
      .client('command')
      .set(this.redis.key(`node:${this.nodeId}`), this.ownUrl, 'PX', this.config.NODE_TTL_MS);
  }
}
