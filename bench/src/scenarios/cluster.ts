import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The cluster scenario: the steady chat through nginx round-robin over 3 nodes with Redis and
 * PostgreSQL, polling without sticky sessions, reporting the share of forwarded requests and the
 * latency added. It needs the scale-out work (`npm run cluster`, `scripts/cluster.mjs`); until
 * that exists the report says so instead of measuring.
 */
export type ClusterResult = { measured: false; reason: string };

const CLUSTER_SCRIPT = resolve(__dirname, '../../../scripts/cluster.mjs');

export function runCluster(): ClusterResult {
  if (!existsSync(CLUSTER_SCRIPT)) {
    return {
      measured: false,
      reason:
        'Parley cannot run as several nodes yet: `scripts/cluster.mjs` (`npm run cluster`), the Redis adapter and session forwarding between nodes are still being built.',
    };
  }
  return {
    measured: false,
    reason:
      '`scripts/cluster.mjs` exists, but the benchmark does not drive it yet: the cluster scenario is still to be written.',
  };
}
