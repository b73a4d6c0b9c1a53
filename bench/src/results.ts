import type { BenchConfig } from './config';
import type { Transport } from './load/messages';
import type { Machine } from './machine';
import type { Ramp, SteadyCell } from './scenarios/chat';
import type { ClusterResult } from './scenarios/cluster';
import type { IdleCell } from './scenarios/idle';
import type { SearchBenchResult } from './scenarios/search';
import type { WidgetResult } from './scenarios/widget';
import type { TargetKind } from './servers/targets';

/** A measurement that could not be made, and why: reported as such, never left out silently. */
export interface Failure {
  scenario: string;
  transport: Transport | null;
  kind: TargetKind | null;
  error: string;
}

export interface Results {
  date: string;
  command: string;
  machine: Machine;
  config: Omit<BenchConfig, 'scenarios' | 'servers' | 'postgresAdminUrl'> & {
    scenarios: string[];
    /** Absent in results written before --servers existed. */
    servers?: string[];
  };
  steady: SteadyCell[];
  ramps: Ramp[];
  idle: IdleCell[];
  widget: WidgetResult | null;
  cluster: ClusterResult | null;
  /** Absent in results written before the search scenario existed. */
  search?: SearchBenchResult | null;
  failures: Failure[];
  /** The 1-minute load average, sampled every few seconds through the run: other work shows here. */
  loadDuring: { min: number; max: number; mean: number };
  durationMs: number;
}
