import type { Summary } from './samples';

export type Transport = 'polling' | 'websocket';

/** Connects `visitors` more visitors (and, the first time, one agent per cookie). */
export interface ConnectRequest {
  type: 'connect';
  url: string;
  siteKey: string;
  transport: Transport;
  /** One socket per cookie; the baseline takes empty cookies. */
  agentCookies: string[];
  visitors: number;
  /** Handshakes in flight at once. */
  concurrency: number;
  timeoutMs: number;
}

export interface ConnectResult {
  type: 'connected';
  id: number;
  agents: number;
  visitors: number;
  failed: number;
  /** The first few distinct connection errors. */
  errors: string[];
  ms: number;
}

/** Every visitor without a conversation sends a first message (not measured), opening one. */
export interface OpenRequest {
  type: 'open';
  concurrency: number;
  timeoutMs: number;
}

export interface OpenResult {
  type: 'opened';
  id: number;
  conversations: number;
  failed: number;
  errors: string[];
  ms: number;
}

/**
 * Sends `rate` messages per second for `durationMs`, open-loop (on a clock, whatever the replies),
 * half from visitors and half from agents replying, then waits up to `drainMs` for deliveries.
 */
export interface LoadRequest {
  type: 'load';
  rate: number;
  durationMs: number;
  drainMs: number;
  ackTimeoutMs: number;
}

export interface LoadResult {
  type: 'loaded';
  id: number;
  rate: number;
  sent: number;
  /** Messages sent per second over the sending window, as achieved. */
  sentRate: number;
  acked: number;
  /** Failed acks by error code, and acks that never came (`TIMEOUT`). */
  ackErrors: Record<string, number>;
  /** Messages every intended recipient received. */
  delivered: number;
  /** Acknowledged messages that some recipient never received within the drain time. */
  lost: number;
  /** Deliveries missing, counted per recipient. */
  missingDeliveries: number;
  /** Deliveries received twice by the same recipient. */
  duplicates: number;
  /** Sockets that disconnected during the run. */
  disconnects: number;
  /** socket.io's reasons for those disconnects (`io server disconnect`: the server closed it). */
  disconnectReasons: Record<string, number>;
  /** Clients left disconnected by an earlier run, reconnected before this one. */
  restored: number;
  /** Visitor sends, received by every agent. */
  visitorToAgent: Summary;
  /** Agent sends, received by the visitor. */
  agentToVisitor: Summary;
  /** Both directions together. */
  endToEnd: Summary;
  /** Send to ack, every message. */
  ack: Summary;
  /** HTTP requests the clients made during the run (long-polling: every poll and every post). */
  httpRequests: number;
  /** The generator's own load during the run: when it nears 1 core, it is the limit. */
  generatorCpu: number;
  generatorLagP99Ms: number;
  /** Seconds per second its event loop was ready to run but waited for a core. */
  generatorWaiting: number;
  ms: number;
}

export interface StatsRequest {
  type: 'stats';
}

export interface StatsResult {
  type: 'stats';
  id: number;
  visitors: number;
  agents: number;
  connected: number;
  rss: number;
  /** HTTP requests this process started since it began (the polling transport's GETs and POSTs). */
  httpRequests: number;
}

export interface CloseRequest {
  type: 'close';
}

export type GeneratorRequest =
  ConnectRequest | OpenRequest | LoadRequest | StatsRequest | CloseRequest;
export type WithId<T> = T & { id: number };
