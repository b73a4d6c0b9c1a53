import type { Transport } from './load/messages';

export const SCENARIOS = ['steady', 'saturation', 'idle', 'widget', 'cluster', 'search'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchConfig {
  quick: boolean;
  scenarios: Set<ScenarioName>;
  /** The servers the chat scenarios measure (all three unless narrowed with --servers). */
  servers: Set<'baseline' | 'postgres' | 'pglite'>;
  transports: Transport[];
  /** Where docs/benchmarks.md and the charts go. */
  outDir: string;
  /** Used only to create and drop the benchmark's own databases. */
  postgresAdminUrl: string;
  chromiumPath: string;
  steady: {
    visitors: number;
    agents: number;
    rate: number;
    warmupMs: number;
    durationMs: number;
    drainMs: number;
  };
  saturation: {
    /** Offered rates tried in order until one fails; then two bisection steps. */
    ladder: number[];
    stepMs: number;
    drainMs: number;
    thresholdMs: number;
    bisections: number;
  };
  idle: {
    visitors: number;
    settleMs: number;
    windowMs: number;
    /** Beyond `visitors` (WebSocket only): more in batches until errors, the cap or the budget. */
    extraBatch: number;
    extraCap: number;
    extraBudgetMs: number;
  };
  widget: { samples: number };
  /** The steady load through nginx, over 1 and then 3 nodes; shorter, as it runs twice. */
  cluster: { warmupMs: number; durationMs: number };
  /** Console searches over a database seeded with SQL: `rounds` passes over every query. */
  search: { conversations: number; messagesPerConversation: number; rounds: number };
  ackTimeoutMs: number;
  connectConcurrency: number;
}

export const FULL: Omit<
  BenchConfig,
  'quick' | 'scenarios' | 'servers' | 'transports' | 'outDir' | 'postgresAdminUrl' | 'chromiumPath'
> = {
  steady: {
    visitors: 1000,
    agents: 20,
    rate: 500,
    warmupMs: 3_000,
    durationMs: 30_000,
    drainMs: 10_000,
  },
  cluster: { warmupMs: 3_000, durationMs: 20_000 },
  saturation: {
    ladder: [250, 500, 1000, 2000, 4000],
    stepMs: 6_000,
    drainMs: 5_000,
    thresholdMs: 100,
    bisections: 1,
  },
  idle: {
    visitors: 5000,
    settleMs: 3_000,
    windowMs: 8_000,
    extraBatch: 5000,
    extraCap: 25_000,
    extraBudgetMs: 30_000,
  },
  widget: { samples: 15 },
  search: { conversations: 10_000, messagesPerConversation: 10, rounds: 20 },
  ackTimeoutMs: 10_000,
  connectConcurrency: 50,
};

/** For trying the benchmark out: the same scenarios, small and short. Not for publishing. */
export const QUICK: typeof FULL = {
  steady: {
    visitors: 100,
    agents: 4,
    rate: 50,
    warmupMs: 1_000,
    durationMs: 3_000,
    drainMs: 3_000,
  },
  saturation: {
    ladder: [50, 100, 200],
    stepMs: 2_000,
    drainMs: 2_000,
    thresholdMs: 100,
    bisections: 0,
  },
  idle: {
    visitors: 300,
    settleMs: 1_000,
    windowMs: 2_000,
    extraBatch: 300,
    extraCap: 600,
    extraBudgetMs: 10_000,
  },
  widget: { samples: 2 },
  cluster: { warmupMs: 1_000, durationMs: 3_000 },
  search: { conversations: 1_000, messagesPerConversation: 10, rounds: 3 },
  ackTimeoutMs: 10_000,
  connectConcurrency: 20,
};
