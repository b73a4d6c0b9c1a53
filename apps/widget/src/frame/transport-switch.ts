import type { ClientTransportConfig } from '@parley/protocol';

/** The part of a socket.io `Manager` that a transport switch touches. */
export interface ManagerLike {
  opts: {
    transports?: unknown;
    upgrade?: boolean;
    rememberUpgrade?: boolean;
    reconnectionDelay?: number;
    reconnectionDelayMax?: number;
  };
  reconnectionDelay: (ms: number) => unknown;
  reconnectionDelayMax: (ms: number) => unknown;
  engine?: { close(): unknown } | null;
}

/**
 * Switches a live connection to a new transport policy: the manager rebuilds its engine from
 * `opts` when it reconnects, and closing the engine is a recoverable close, so it reconnects at
 * once with the new transports. Socket state (listeners, buffered packets) is kept.
 */
export function applyTransportConfig(manager: ManagerLike, config: ClientTransportConfig): void {
  manager.opts.transports = [...config.transports];
  manager.opts.upgrade = config.upgrade;
  manager.opts.rememberUpgrade = false;
  manager.reconnectionDelay(config.reconnectionDelayMs);
  manager.reconnectionDelayMax(config.reconnectionDelayMaxMs);
  manager.engine?.close();
}
