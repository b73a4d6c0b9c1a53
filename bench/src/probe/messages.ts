/** What the runner asks a probed server process over IPC. */
export type ProbeRequest =
  { type: 'probe:reset'; id: number } | { type: 'probe:sample'; id: number; gc: boolean };

/** What the probe answers. Event-loop figures cover the time since the last reset. */
export type ProbeReply =
  | { type: 'probe:reset'; id: number }
  | { type: 'probe:error'; id: number; message: string }
  | {
      type: 'probe:sample';
      id: number;
      /** A full collection ran before memory was read (the server was started with --expose-gc). */
      gcRan: boolean;
      rss: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      arrayBuffers: number;
      lagMeanMs: number;
      lagP99Ms: number;
      lagMaxMs: number;
      eventLoopUtilization: number;
      /** Garbage-collection pauses: how many, their total and longest, and the full (major) ones. */
      gcPauses: { count: number; totalMs: number; maxMs: number; major: number; majorMs: number };
    };

export type ProbeSample = Extract<ProbeReply, { type: 'probe:sample' }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request as the runner writes it; the id is added when it is sent. */
export type ProbeRequestBody = DistributiveOmit<ProbeRequest, 'id'>;
