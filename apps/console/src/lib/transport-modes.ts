import type { TransportMode, TransportTunables } from '@parley/protocol';

export interface ModeDescription {
  readonly mode: TransportMode;
  readonly label: string;
  readonly summary: string;
  readonly whenToUse: string;
}

/** The three modes in the words the admin page uses. */
export const MODES: readonly ModeDescription[] = [
  {
    mode: 'auto',
    label: 'Auto',
    summary: 'Starts with long-polling, then upgrades to WebSocket when the network allows it.',
    whenToUse:
      'The default. It works almost everywhere: if something between the browser and Parley blocks WebSocket, the connection simply stays on long-polling.',
  },
  {
    mode: 'polling',
    label: 'Long-polling only',
    summary: 'Plain HTTP requests only; no WebSocket is ever attempted.',
    whenToUse:
      'For load balancers and proxies that block the WebSocket Upgrade, such as AWS Classic ELB HTTP listeners and many corporate proxies. A typical symptom in the browser console is "WebSocket handshake: Unexpected response code: 400".',
  },
  {
    mode: 'websocket',
    label: 'WebSocket only',
    summary: 'Connects with WebSocket directly, without long-polling.',
    whenToUse:
      'For load balancers that pass the Upgrade but cannot keep sessions sticky: one long-lived connection never needs to land on the same node twice.',
  },
];

export function modeLabel(mode: TransportMode | null): string {
  if (mode === null) return 'None (initial setting)';
  return MODES.find((m) => m.mode === mode)?.label ?? mode;
}

export function transportLabel(transport: string): string {
  if (transport === 'polling') return 'Long-polling';
  if (transport === 'websocket') return 'WebSocket';
  return transport;
}

/** A duration for people: "25 s", "1.5 s", "250 ms", "2 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${String(ms)} ms`;
  if (ms < 120_000) return `${String(Number((ms / 1000).toFixed(1)))} s`;
  return `${String(Number((ms / 60_000).toFixed(1)))} min`;
}

/** A size for people: "1 MB", "64 KB", "512 bytes" (binary units). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${String(Number((bytes / 1024 / 1024).toFixed(1)))} MB`;
  if (bytes >= 1024) return `${String(Number((bytes / 1024).toFixed(1)))} KB`;
  return `${String(bytes)} bytes`;
}

export interface HeartbeatCheck {
  /** pingInterval + pingTimeout: the longest a dead connection goes unnoticed. */
  readonly heartbeatMs: number;
  readonly idleTimeoutMs: number;
  /** The heartbeat stays below the load balancer idle timeout. */
  readonly ok: boolean;
  /** How much room is left (negative when over). */
  readonly marginMs: number;
}

export function checkHeartbeat(tunables: TransportTunables): HeartbeatCheck {
  const heartbeatMs = tunables.pingIntervalMs + tunables.pingTimeoutMs;
  const idleTimeoutMs = tunables.loadBalancerIdleTimeoutMs;
  return {
    heartbeatMs,
    idleTimeoutMs,
    ok: heartbeatMs < idleTimeoutMs,
    marginMs: idleTimeoutMs - heartbeatMs,
  };
}
