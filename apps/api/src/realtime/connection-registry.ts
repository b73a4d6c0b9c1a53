import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionFailure, ConnectionInfo, ConnectionsResponse } from '@parley/protocol';
import type { Server, Socket } from 'socket.io';
import { RedisService } from '../services/redis/redis.service';
import { APP_CONFIG, type AppConfig } from '../config/config';

const DIAGNOSTICS_EVENT = 'diagnostics:snapshot';

/**
 * One live connection, kept small (every idle visitor holds one): times as numbers, the
 * transport read from the socket when a snapshot is asked for, the ISO strings made only then.
 */
interface Entry {
  socket: Socket;
  namespace: '/widget' | '/agent';
  principalId: string;
  principalLabel: string;
  connectedAt: number;
  lastActivityAt: number;
}

const FAILURES_KEPT = 200;

/** This node's live connections and recent connection failures, for the diagnostics page. */
@Injectable()
export class ConnectionRegistry {
  private readonly connections = new Map<string, Entry>();
  private readonly recentFailures: ConnectionFailure[] = [];

  private io: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {}

  track(
    socket: Socket,
    namespace: '/widget' | '/agent',
    principalId: string,
    principalLabel: string,
  ): void {
    // Closed while its set-up awaited the database: its disconnect has passed, nothing to list.
    if (!socket.connected) return;
    const now = Date.now();
    const entry: Entry = {
      socket,
      namespace,
      principalId,
      principalLabel,
      connectedAt: now,
      lastActivityAt: now,
    };
    this.connections.set(socket.id, entry);
    const onPacket = () => {
      entry.lastActivityAt = Date.now();
    };
    socket.conn.on('packet', onPacket);
    socket.once('disconnect', () => {
      socket.conn.off('packet', onPacket);
      this.connections.delete(socket.id);
    });
  }

  recordFailure(failure: Omit<ConnectionFailure, 'at' | 'node'>): void {
    this.recentFailures.unshift({
      ...failure,
      at: new Date().toISOString(),
      node: this.config.NODE_ID,
    });
    this.recentFailures.length = Math.min(this.recentFailures.length, FAILURES_KEPT);
  }

  /** Answers the other nodes' diagnostics requests through the adapter (Redis). */
  attach(io: Server): void {
    this.io = io;
    io.on(DIAGNOSTICS_EVENT, (reply: unknown) => {
      if (typeof reply === 'function') (reply as (s: ConnectionsResponse) => void)(this.snapshot());
    });
  }

  /**
   * Every node's connections and failures: this node's, plus the answers of the others (a node
   * that does not answer within the adapter's request timeout is left out).
   */
  async clusterSnapshot(): Promise<ConnectionsResponse> {
    const own = this.snapshot();
    const io = this.io;
    if (!io || !this.redis.enabled) return own;
    const others = await new Promise<ConnectionsResponse[]>((resolve) => {
      io.serverSideEmit(
        DIAGNOSTICS_EVENT,
        (_error: Error | null, replies: ConnectionsResponse[] = []) => {
          resolve(replies);
        },
      );
    });
    return merge([own, ...others]);
  }

  snapshot(): ConnectionsResponse {
    return summarize(
      [...this.connections.values()].map((e) => this.info(e)),
      this.recentFailures,
    );
  }

  private info(entry: Entry): ConnectionInfo {
    return {
      id: entry.socket.id,
      namespace: entry.namespace,
      principalId: entry.principalId,
      principalLabel: entry.principalLabel,
      transport: entry.socket.conn.transport.name === 'websocket' ? 'websocket' : 'polling',
      node: this.config.NODE_ID,
      connectedAt: new Date(entry.connectedAt).toISOString(),
      lastActivityAt: new Date(entry.lastActivityAt).toISOString(),
    };
  }
}

function summarize(
  connections: ConnectionInfo[],
  failures: readonly ConnectionFailure[],
): ConnectionsResponse {
  const countsByTransport = { polling: 0, websocket: 0 };
  for (const c of connections) countsByTransport[c.transport] += 1;
  const counts = new Map<string, { reason: string; transport: string; count: number }>();
  for (const f of failures) {
    const key = `${f.transport}\u0000${f.reason}`;
    const entry = counts.get(key) ?? { reason: f.reason, transport: f.transport, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return {
    connections,
    countsByTransport,
    failures: failures.slice(0, 50),
    failureCounts: [...counts.values()].sort((a, b) => b.count - a.count),
  };
}

/** One view of several nodes' snapshots: all connections, the newest failures first. */
function merge(snapshots: ConnectionsResponse[]): ConnectionsResponse {
  const failures = snapshots.flatMap((s) => s.failures).sort((a, b) => b.at.localeCompare(a.at));
  return summarize(
    snapshots.flatMap((s) => s.connections),
    failures,
  );
}
