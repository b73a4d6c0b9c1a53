import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionFailure, ConnectionInfo, ConnectionsResponse } from '@parley/protocol';
import type { Socket } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '../config/config';

interface Entry {
  info: ConnectionInfo;
}

const FAILURES_KEPT = 200;

/** This node's live connections and recent connection failures, for the diagnostics page. */
@Injectable()
export class ConnectionRegistry {
  private readonly connections = new Map<string, Entry>();
  private readonly recentFailures: ConnectionFailure[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  track(
    socket: Socket,
    namespace: '/widget' | '/agent',
    principalId: string,
    principalLabel: string,
  ): void {
    const now = new Date().toISOString();
    const entry: Entry = {
      info: {
        id: socket.id,
        namespace,
        principalId,
        principalLabel,
        transport: socket.conn.transport.name === 'websocket' ? 'websocket' : 'polling',
        node: this.config.NODE_ID,
        connectedAt: now,
        lastActivityAt: now,
      },
    };
    this.connections.set(socket.id, entry);
    const onUpgrade = () => {
      entry.info.transport = 'websocket';
    };
    const onPacket = () => {
      entry.info.lastActivityAt = new Date().toISOString();
    };
    socket.conn.on('upgrade', onUpgrade);
    socket.conn.on('packet', onPacket);
    socket.once('disconnect', () => {
      socket.conn.off('upgrade', onUpgrade);
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

  snapshot(): ConnectionsResponse {
    const connections = [...this.connections.values()].map((e) => ({ ...e.info }));
    const countsByTransport = { polling: 0, websocket: 0 };
    for (const c of connections) countsByTransport[c.transport] += 1;
    const counts = new Map<string, { reason: string; transport: string; count: number }>();
    for (const f of this.recentFailures) {
      const key = `${f.transport}\u0000${f.reason}`;
      const entry = counts.get(key) ?? { reason: f.reason, transport: f.transport, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return {
      connections,
      countsByTransport,
      failures: this.recentFailures.slice(0, 50),
      failureCounts: [...counts.values()].sort((a, b) => b.count - a.count),
    };
  }
}
