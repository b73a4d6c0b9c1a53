import type { LoadResult, Transport } from '../load/messages';
import type { Results } from '../results';
import { disconnectsOf, type Ramp, type SteadyCell } from '../scenarios/chat';
import { count, kb, mb, ms, percent, rate, ratio, table } from './format';
import { checkTargets, verdict } from './targets';

export function chartFile(transport: Transport): string {
  return `benchmark-${transport}.svg`;
}

function errorsOf(r: LoadResult): string {
  const entries = Object.entries(r.ackErrors);
  if (!entries.length) return '0';
  return entries.map(([code, n]) => `${count(n)} ${code}`).join(', ');
}

function cpu(value: number | null): string {
  return value === null ? '–' : percent(value);
}

function steadySection(results: Results): string {
  const { steady } = results.config;
  const parts: string[] = [
    '## Steady chat',
    '',
    `${count(steady.visitors)} visitors and ${count(steady.agents)} agents connected; ${rate(steady.rate)} in total for ${steady.durationMs / 1000} s (after ${steady.warmupMs / 1000} s of warm-up at the same rate, not counted). Half the messages come from visitors (each is delivered to every agent, the inbox fan-out), half are agents' replies (delivered to the visitor). Latency is measured from send to each intended recipient's \`message:new\`; ack time from send to the ack carrying \`{ id, seq }\`. Latency percentiles cover the messages that were delivered; a send that failed counts under errors, so read the two together. The server, the database and the generator share this machine's cores: "waited for a core" is the time each was ready to run but found every core busy (Linux's schedstat for the server's and the generator's event-loop thread, and the database's backends summed), as a share of the run; a message that arrives then waits too. GC pauses are the server's garbage-collection pauses over the run, each of which stops its event loop.`,
  ];
  for (const transport of results.config.transports) {
    const base = steadyCell(results, transport, true);
    const parley = steadyCell(results, transport, false);
    if (!base && !parley) continue;
    const cols = [base, parley];
    const row = (
      label: string,
      f: (c: SteadyCell) => string,
      r?: (c: SteadyCell) => number,
    ): string[] => [
      label,
      ...cols.map((c) => (c ? f(c) : '–')),
      base && parley && r ? ratio(r(parley), r(base)) : '',
    ];
    const rows: string[][] = [
      row(
        'end to end p50',
        (c) => ms(c.result.endToEnd.p50),
        (c) => c.result.endToEnd.p50,
      ),
      row(
        'end to end p95',
        (c) => ms(c.result.endToEnd.p95),
        (c) => c.result.endToEnd.p95,
      ),
      row(
        '**end to end p99**',
        (c) => `**${ms(c.result.endToEnd.p99)}**`,
        (c) => c.result.endToEnd.p99,
      ),
      row(
        'end to end max',
        (c) => ms(c.result.endToEnd.max),
        (c) => c.result.endToEnd.max,
      ),
      row(
        'visitor → agents p99',
        (c) => ms(c.result.visitorToAgent.p99),
        (c) => c.result.visitorToAgent.p99,
      ),
      row(
        'agent → visitor p99',
        (c) => ms(c.result.agentToVisitor.p99),
        (c) => c.result.agentToVisitor.p99,
      ),
      row(
        'ack p50',
        (c) => ms(c.result.ack.p50),
        (c) => c.result.ack.p50,
      ),
      row(
        'ack p99',
        (c) => ms(c.result.ack.p99),
        (c) => c.result.ack.p99,
      ),
      row(
        'messages sent (rate achieved)',
        (c) => `${count(c.result.sent)} (${rate(c.result.sentRate)})`,
      ),
      row(
        'messages acknowledged (per second)',
        (c) => `${count(c.result.acked)} (${rate(c.result.acked / (c.durationMs / 1000))})`,
        (c) => c.result.acked,
      ),
      row('deliveries measured', (c) => count(c.result.endToEnd.count)),
      row('errors', (c) => errorsOf(c.result)),
      row('messages lost', (c) => count(c.result.lost)),
      row('duplicates received', (c) => count(c.result.duplicates)),
      row('disconnects', (c) => disconnectsOf(c.result)),
      row(
        'server CPU (1 core = 100%)',
        (c) => percent(c.serverCpu),
        (c) => c.serverCpu,
      ),
      row('database CPU', (c) => cpu(c.databaseCpu)),
      row('generator CPU', (c) => percent(c.result.generatorCpu)),
      row(
        'server waited for a core',
        (c) => percent(c.waiting.server),
        (c) => c.waiting.server,
      ),
      row('database waited for a core', (c) => cpu(c.waiting.database)),
      row('generator waited for a core', (c) => percent(c.result.generatorWaiting)),
      row(
        'server GC pauses: total (longest)',
        (c) => `${ms(c.server.gcPauses.totalMs)} (${ms(c.server.gcPauses.maxMs)})`,
        (c) => c.server.gcPauses.totalMs,
      ),
      row(
        'server event-loop lag max',
        (c) => ms(c.server.lagMaxMs),
        (c) => c.server.lagMaxMs,
      ),
      row('server RSS after the run', (c) => mb(c.serverRss)),
    ];
    if (parley?.stored !== null && parley?.stored !== undefined && parley.storedBefore !== null) {
      rows.push(
        row('messages stored by this run', (c) =>
          c.stored === null || c.storedBefore === null
            ? '–'
            : `${count(c.stored - c.storedBefore)} of ${count(c.result.acked)} acked`,
        ),
      );
    }
    parts.push(
      '',
      `### ${transport === 'websocket' ? 'WebSocket' : 'Long-polling'}`,
      '',
      table(
        ['', base?.label ?? 'bare socket.io', parley?.label ?? 'Parley', 'Parley ÷ baseline'],
        rows,
      ),
    );
    const errorLines = cols.flatMap((c) =>
      c ? c.serverErrors.map((e) => `${c.label}: ${e}`) : [],
    );
    if (errorLines.length) {
      parts.push(
        '',
        'Errors the servers logged during the run (first distinct lines):',
        '',
        ...errorLines.map((line) => `- \`${line.replace(/`/g, "'")}\``),
      );
    }
  }
  return parts.join('\n');
}

function steadyCell(
  results: Results,
  transport: Transport,
  baseline: boolean,
): SteadyCell | undefined {
  return results.steady.find(
    (c) => c.transport === transport && (c.kind === 'baseline') === baseline,
  );
}

function limitAt(ramp: Ramp): string {
  const failed = ramp.steps.find((s) => s.rate === ramp.failure?.rate);
  if (!failed) return '';
  const parts = [`server ${percent(failed.serverCpu)}`];
  if (failed.databaseCpu !== null) parts.push(`database ${percent(failed.databaseCpu)}`);
  parts.push(`generator ${percent(failed.result.generatorCpu)}`);
  return parts.join(', ');
}

/**
 * When the bare relay itself fails a run (errors, loss, disconnects), the failures come at least
 * partly from the clients or the machine, not from the server: the page says so where it shows
 * those runs.
 */
function baselineFailures(results: Results): string[] {
  const runs = [
    ...results.steady
      .filter((c) => c.kind === 'baseline')
      .map((c) => ({ transport: c.transport, rate: c.rate, r: c.result })),
    ...results.ramps
      .filter((ramp) => ramp.kind === 'baseline')
      .flatMap((ramp) =>
        ramp.steps.map((st) => ({ transport: ramp.transport, rate: st.rate, r: st.result })),
      ),
  ].filter(({ r }) => Object.keys(r.ackErrors).length > 0 || r.lost > 0 || r.disconnects > 0);
  if (!runs.length) return [];
  const list = runs
    .map(
      ({ transport, rate: at, r }) =>
        `${transport} at ${rate(at)} (errors ${errorsOf(r)}, lost ${count(r.lost)}, disconnects ${disconnectsOf(r)})`,
    )
    .join('; ');
  return [
    '',
    `**Failures that are not the server's.** The bare relay, which does nothing but relay, also failed in this run: ${list}. The same clients drive Parley, so part of Parley's failures in those conditions come from the clients or the machine rather than from Parley; compare such runs with the relay's, not with zero.`,
  ];
}

function saturationSection(results: Results): string {
  const { saturation, steady } = results.config;
  const parts: string[] = [
    '## Saturation',
    '',
    `The same ${count(steady.visitors)} visitors and ${count(steady.agents)} agents; the offered rate climbs a ladder (${saturation.ladder.map(count).join(', ')} msg/s, ${saturation.stepMs / 1000} s each); when the first rung already fails, the rate is halved until one passes; ${saturation.bisections > 0 ? `after the first failure, ${saturation.bisections === 1 ? 'one step' : `${saturation.bisections} steps`} at the geometric middle ${saturation.bisections === 1 ? 'narrows' : 'narrow'} the gap.` : ''} A step passes when p99 end to end stays at or under ${saturation.thresholdMs} ms with no error, no loss and no disconnect, and the generator achieved the rate. The highest rate that passed is the sustained rate. CPU figures are for the failing step (1 core = 100%).`,
    '',
    table(
      ['transport', 'server', 'highest sustained rate', 'first failure', 'CPU at the failure'],
      results.ramps.map((ramp) => [
        ramp.transport,
        ramp.label,
        ramp.best === null ? 'none' : `**${rate(ramp.best)}**`,
        ramp.failure
          ? `${rate(ramp.failure.rate)}: ${ramp.failure.reason}${ramp.generatorBound ? ' (the generator, not the server)' : ''}`
          : `none up to ${rate(saturation.ladder.at(-1) ?? 0)} (the top of the ladder)`,
        limitAt(ramp),
      ]),
    ),
  ];
  for (const transport of results.config.transports) {
    if (!results.ramps.some((r) => r.transport === transport)) continue;
    parts.push('', `![Latency against load over ${transport}](${chartFile(transport)})`);
  }
  parts.push(...baselineFailures(results));
  parts.push('', '<details><summary>Every step</summary>', '');
  for (const ramp of results.ramps) {
    parts.push(
      `**${ramp.label}, ${ramp.transport}**`,
      '',
      table(
        [
          'offered',
          'achieved',
          'p50',
          'p99',
          'max',
          'ack p99',
          'errors',
          'lost',
          'server CPU',
          'database CPU',
          'generator CPU',
          'result',
        ],
        ramp.steps.map((s) => [
          rate(s.rate),
          rate(s.result.sentRate),
          ms(s.result.endToEnd.p50),
          ms(s.result.endToEnd.p99),
          ms(s.result.endToEnd.max),
          ms(s.result.ack.p99),
          errorsOf(s.result),
          count(s.result.lost),
          percent(s.serverCpu),
          cpu(s.databaseCpu),
          percent(s.result.generatorCpu),
          s.pass ? 'pass' : `fail: ${s.reason ?? ''}`,
        ]),
      ),
      '',
    );
  }
  parts.push('</details>');
  return parts.join('\n');
}

function idleSection(results: Results): string {
  const { idle } = results.config;
  const parts: string[] = [
    '## Idle capacity',
    '',
    `${count(idle.visitors)} visitors connect (${results.config.connectConcurrency} handshakes in flight at once) and then do nothing but answer the heartbeat. Memory per visitor is (after − before) ÷ visitors, both read after a full garbage collection: before is the server after start-up and 20 warm-up connections, after is with every visitor connected and ${idle.settleMs / 1000} s settled. Event-loop lag (from \`monitorEventLoopDelay\`), event-loop utilisation and CPU are measured over the next ${idle.windowMs / 1000} s.`,
    '',
    table(
      [
        'transport',
        'server',
        'visitors',
        'connect time',
        'RSS per visitor',
        'heap per visitor',
        'RSS total',
        'lag p99',
        'lag max',
        'event loop busy',
        'CPU',
        'still connected',
      ],
      results.idle.map((c) => [
        c.transport,
        c.label,
        `${count(c.visitors)}${c.failed ? ` (${count(c.failed)} failed)` : ''}`,
        ms(c.connectMs),
        `**${kb(c.rssPerVisitor)}**`,
        kb(c.heapPerVisitor),
        mb(c.after.rss),
        ms(c.idle.lagP99Ms),
        ms(c.idle.lagMaxMs),
        percent(c.idle.eventLoopUtilization),
        percent(c.cpu),
        count(c.stillConnected),
      ]),
    ),
  ];
  const extra = results.idle.filter((c) => c.extra);
  if (extra.length) {
    parts.push(
      '',
      `As many more WebSocket visitors as the machine allows (batches of ${count(idle.extraBatch)}, up to ${count(idle.extraCap)} or ${idle.extraBudgetMs / 1000} s of connecting):`,
      '',
      table(
        ['server', 'visitors reached', 'RSS per visitor', 'heap per visitor', 'stopped because'],
        extra.map((c) => [
          c.label,
          count(c.extra?.visitors ?? 0),
          kb(c.extra?.rssPerVisitor ?? 0),
          kb(c.extra?.heapPerVisitor ?? 0),
          c.extra?.stoppedBecause ?? '',
        ]),
      ),
    );
  }
  return parts.join('\n');
}

function widgetSection(results: Results): string {
  const w = results.widget;
  if (!w) return '## Widget\n\nNot measured in this run.';
  return [
    '## Widget',
    '',
    `Sizes of the production build, gzipped at level 9 (what the widget's own size budget uses). Timings over ${w.samples} page loads in ${w.browser} (headless), each in a fresh browser context (nothing cached), after one load not counted. The customer's page is served from another origin and holds only the snippet.`,
    '',
    table(
      ['file', 'bytes', 'gzipped'],
      [
        [
          `\`${w.loader.file}\` (the loader, on every page of the customer's site)`,
          count(w.loader.bytes),
          `**${count(w.loader.gzip)}**`,
        ],
        ...w.frame.map((f) => [`\`${f.file}\``, count(f.bytes), count(f.gzip)]),
        [
          'the chat frame in total',
          count(w.frame.reduce((a, f) => a + f.bytes, 0)),
          `**${count(w.frameGzip)}**`,
        ],
      ],
    ),
    '',
    table(
      ['', 'median', 'p95', 'slowest'],
      [
        [
          "loader's `load` event → launcher painted",
          ms(w.launcherPainted.p50),
          ms(w.launcherPainted.p95),
          ms(w.launcherPainted.max),
        ],
        [
          'click on the launcher → message box usable and painted',
          ms(w.frameInteractive.p50),
          ms(w.frameInteractive.p95),
          ms(w.frameInteractive.max),
        ],
      ],
    ),
    '',
    'The launcher time covers the loader\'s configuration request and drawing the launcher; the click time covers opening the socket (the frame opens none before), the session handshake and the frame\'s first render of a usable message box. "Painted" is the first task after the next animation frame.',
  ].join('\n');
}

function clusterSection(results: Results): string {
  const c = results.cluster;
  const intro = [
    '## Cluster',
    '',
    "The steady chat through nginx round-robin (no stickiness, no WebSocket Upgrade) over 3 Parley nodes sharing Redis and PostgreSQL, in long-polling mode, started by `scripts/cluster-lib.mjs` as `npm run cluster` does. Beside it, the same load through the same nginx to a single node: the difference is what forwarding requests to the node holding the session, and fan-out through Redis, add. The forwarded share is the nodes' `parley_forwarded_requests_total` over the HTTP requests the clients made, both counted over the same span: with round-robin over 3 nodes and no stickiness, a request lands on the node holding its session one time in three, so about two thirds (67%) should be forwarded, and none with one node.",
  ];
  if (!c)
    return [...intro, '', '**Not measured.** The scenario was not selected in this run.'].join(
      '\n',
    );
  if (!c.measured) return [...intro, '', `**Not measured.** ${c.reason}`].join('\n');
  const cols = [c.single, c.cluster];
  const row = (label: string, f: (r: LoadResult) => number): string[] => {
    const added = f(c.cluster.result) - f(c.single.result);
    return [
      label,
      ...cols.map((run) => ms(f(run.result))),
      `${added >= 0 ? '+' : '−'}${ms(Math.abs(added))}`,
    ];
  };
  const share = (run: { forwarded: number; requests: number }) =>
    run.requests
      ? `${count(run.forwarded)} of ${count(run.requests)} (${((run.forwarded / run.requests) * 100).toFixed(0)}%)`
      : '–';
  return [
    ...intro,
    '',
    `Offered: ${rate(c.rate)}, ${c.rateReason}; ${count(results.config.steady.visitors)} visitors, ${count(results.config.steady.agents)} agents, ${results.config.cluster.durationMs / 1000} s after ${results.config.cluster.warmupMs / 1000} s of warm-up.`,
    '',
    table(
      ['', '1 node behind nginx', '3 nodes behind nginx', 'added by 3 nodes'],
      [
        row('end to end p50', (r) => r.endToEnd.p50),
        row('end to end p95', (r) => r.endToEnd.p95),
        row('**end to end p99**', (r) => r.endToEnd.p99),
        row('end to end max', (r) => r.endToEnd.max),
        row('ack p99', (r) => r.ack.p99),
        [
          'forwarded by the nodes, of the requests the clients made',
          share(c.single),
          share(c.cluster),
          '',
        ],
        ['errors', errorsOf(c.single.result), errorsOf(c.cluster.result), ''],
        ['messages lost', count(c.single.result.lost), count(c.cluster.result.lost), ''],
        ['disconnects', disconnectsOf(c.single.result), disconnectsOf(c.cluster.result), ''],
      ],
    ),
  ].join('\n');
}

/**
 * Says so when the machine was busy before the benchmark started anything: the figures then
 * carry that other work too, and only the ratios measured within the run compare.
 */
function otherLoad(results: Results): string[] {
  const m = results.machine;
  const atStart = m.loadAverage[0];
  if (atStart < m.cores / 2) return [];
  return [
    `**Other load was present.** Before the benchmark started anything, the 1-minute load average was already ${atStart.toFixed(1)} on ${m.cores} cores: other work was running on this machine, and it ran on during the measurements (load average ${results.loadDuring.min.toFixed(1)} to ${results.loadDuring.max.toFixed(1)}, mean ${results.loadDuring.mean.toFixed(1)}, the benchmark's own processes included). Every process measured here got a share of the cores it would have had alone, so absolute latencies are longer and sustained rates lower than on an idle machine, and they move with that other work from one scenario to the next. The bare relay ran under the same conditions in the same run: compare Parley with it, ratio to ratio, rather than with figures from another run.`,
    '',
  ];
}

function methodSection(results: Results): string {
  return [
    '## How it is measured',
    '',
    "- Three kinds of process: the server (Parley's production build, `node apps/api/dist/main.js`, or the bare relay `bench/dist/baseline/relay.js`), one load generator (`bench/dist/load/generator.js`) and the runner. They share the machine's cores, so compare the ratios measured in one run; absolute times move with the machine and with whatever else it runs.",
    "- The baseline is a bare socket.io 4 server doing the same relay with nothing else: the same namespaces (`/widget`, `/agent`), events and ack shapes from `libs/protocol`, the same fan-out (the visitor's room, and every agent in one room, with `conversation:updated` and `message:new`), both transports, the same heartbeat; no authentication, no validation, no database.",
    '- Clients are the official `socket.io-client`, one per visitor and per agent, pinned to one transport (`transports: [<transport>]`, no upgrade); Parley is switched to the same transport mode first. Long-polling clients reuse connections (a keep-alive agent), as browsers do. Agents sign in over the REST API, one session each.',
    '- Sending is open-loop: the generator sends on a clock whatever the replies, so a slower server meets a growing queue rather than a politely slower client. Every message has a unique client id; the generator knows when it sent each one and when each intended recipient received it. Percentiles are nearest-rank over every sample (no sampling, no histogram buckets).',
    '- Lost means acknowledged but not received by every intended recipient within the drain time after sending stopped. Errors are failed acks (by code) and acks that never came (`TIMEOUT`).',
    '- Per-address and per-socket abuse limits are switched off in the measured Parley (`LIMIT_*=off`): every simulated client connects from 127.0.0.1, so they would throttle the generator rather than measure the server.',
    "- Server memory and event-loop figures come from a small probe preloaded into the server process (`--require bench/dist/probe/probe.js`, with `--expose-gc`), the same for Parley and the baseline; CPU comes from `/proc`. Database CPU is the PostgreSQL processes serving the benchmark's own database.",
    `- Each measured server starts on an empty database created for it (\`parley_bench_*\`, dropped afterwards); PGlite runs in the server process with its data in a temporary folder.`,
    `- The run is bounded: each step has a time limit and the whole run stops after 30 minutes at most. This run took ${(results.durationMs / 60_000).toFixed(1)} minutes.`,
  ].join('\n');
}

function searchSection(results: Results): string {
  const search = results.search ?? null;
  if (!search) return '## Search\n\nNot measured in this run.';
  const other = search.command !== results.command;
  return [
    '## Search',
    '',
    `\`GET /api/search\` as a signed-in agent, one request at a time, on PostgreSQL: ${search.messages.toLocaleString('en-US')} messages in ${search.conversations.toLocaleString('en-US')} conversations written with SQL (\`scripts/search-seed.mjs\`, ${(search.seedMs / 1000).toFixed(1)} s, support vocabulary with common, topic and rare words, visitor names and emails), then ${search.rounds} passes over the queries below after one not counted. Each time runs from sending the request to having parsed the JSON answer: HTTP, authentication, the ranked full-text query, the page of 20 conversations and their snippets.`,
    ...(other
      ? [
          '',
          `Measured on its own by \`${search.command}\` at ${search.date} (load average ${search.loadAverage.map((l) => l.toFixed(2)).join(', ')}) and merged into the figures of the run above.`,
        ]
      : []),
    '',
    table(
      ['query', 'conversations found', 'p50', 'p95', 'max'],
      [
        ...search.perQuery.map((q) => [
          `\`${q.query}\``,
          count(q.total),
          ms(q.latency.p50),
          ms(q.latency.p95),
          ms(q.latency.max),
        ]),
        [
          '**all**',
          '',
          `**${ms(search.latency.p50)}**`,
          `**${ms(search.latency.p95)}**`,
          ms(search.latency.max),
        ],
      ],
    ),
  ].join('\n');
}

export function renderMarkdown(results: Results): string {
  const m = results.machine;
  const checks = checkTargets(results);
  const failures = results.failures;
  return [
    '# Benchmarks',
    '',
    ...(results.config.quick
      ? [
          '> **Quick run** (`--quick`): few clients, short steps. For trying the benchmark out, not for quoting.',
          '',
        ]
      : []),
    "Parley measured against the limit of its own stack: a bare socket.io server doing the same relay with nothing else, driven by the same load generator with the same load, in the same run, on the same machine. Every Parley figure stands beside the baseline's. This page is written by `npm run bench`; run it to reproduce every number here.",
    '',
    table(
      ['', ''],
      [
        ['date', results.date],
        ['command', `\`${results.command}\``],
        ['commit', m.commit ?? 'unknown'],
        ['machine', `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB`],
        ['system', `${m.os}, Linux ${m.kernel}`],
        ['Node.js', m.node],
        ['PostgreSQL', m.postgres ?? 'not reachable'],
        ['browser', results.widget?.browser ?? '–'],
        [
          'load average at the start (1, 5, 15 min)',
          m.loadAverage.map((l) => l.toFixed(2)).join(', '),
        ],
        [
          'load average during the run (1 min)',
          `${results.loadDuring.min.toFixed(1)} to ${results.loadDuring.max.toFixed(1)}, mean ${results.loadDuring.mean.toFixed(1)}, on ${m.cores} cores (the benchmark's own processes included)`,
        ],
      ],
    ),
    '',
    ...otherLoad(results),
    '## Targets',
    '',
    table(
      ['target', 'measured', 'result'],
      checks.map((c) => [c.target, c.measured, verdict(c.met)]),
    ),
    '',
    steadySection(results),
    '',
    saturationSection(results),
    '',
    idleSection(results),
    '',
    widgetSection(results),
    '',
    clusterSection(results),
    '',
    searchSection(results),
    '',
    ...(failures.length
      ? [
          '## Measurements that failed',
          '',
          table(
            ['scenario', 'transport', 'server', 'error'],
            failures.map((f) => [f.scenario, f.transport ?? '', f.kind ?? '', f.error]),
          ),
          '',
        ]
      : []),
    methodSection(results),
    '',
    'The raw figures of this run are in [benchmarks/results.json](benchmarks/results.json).',
    '',
  ].join('\n');
}
