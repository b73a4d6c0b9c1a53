import type { ChildProcess } from 'node:child_process';

export interface ClusterNode {
  readonly id: string;
  readonly port: number;
  /** The node's own address (not through the balancer). */
  readonly url: string;
  readonly process: ChildProcess | null;
  readonly running: boolean;
  start(): Promise<void>;
  /** Sends the signal and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface Cluster {
  /** The balancer that drops the WebSocket Upgrade. */
  readonly url: string;
  /** The balancer that passes it, when requested. */
  readonly upgradeUrl: string | null;
  readonly nodes: ClusterNode[];
  node(id: string): ClusterNode;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes?: number;
  basePort?: number;
  upgradePort?: number;
  databaseUrl: string;
  redisUrl: string;
  env?: Record<string, string>;
  /** Append every node's and balancer's output to this file instead of the terminal. */
  logFile?: string;
}

export function startCluster(options: ClusterOptions): Promise<Cluster>;
export function ensureDatabase(databaseUrl: string): Promise<void>;
export function dropDatabase(databaseUrl: string): Promise<void>;
