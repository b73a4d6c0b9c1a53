import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Transport } from '../load/messages';
import type { Results } from '../results';
import type { TargetKind } from '../servers/targets';
import { chartFile, renderMarkdown } from './markdown';
import { renderChart, type Series } from './svg';

const COLORS: Record<TargetKind, string> = {
  baseline: '#6b7280',
  postgres: '#1f6feb',
  pglite: '#d97706',
};

function chartFor(results: Results, transport: Transport): string {
  const ramps = results.ramps.filter((r) => r.transport === transport);
  const series: Series[] = ramps.flatMap((ramp) => [
    {
      name: `${ramp.label} p99`,
      color: COLORS[ramp.kind],
      points: ramp.steps.map((s) => ({ x: s.rate, y: s.result.endToEnd.p99, failed: !s.pass })),
    },
    {
      name: `${ramp.label} p50`,
      color: COLORS[ramp.kind],
      dashed: true,
      points: ramp.steps.map((s) => ({ x: s.rate, y: s.result.endToEnd.p50 })),
    },
  ]);
  return renderChart({
    title: `End-to-end latency against load, ${transport === 'websocket' ? 'WebSocket' : 'long-polling'}`,
    subtitle: `${results.config.steady.visitors} visitors, ${results.config.steady.agents} agents; ${results.machine.cores} cores; ${results.date.slice(0, 10)}; red ring: the step failed`,
    xLabel: 'messages per second offered (log scale)',
    yLabel: 'latency, send to receipt (log scale)',
    series,
    marks: [
      {
        y: results.config.saturation.thresholdMs,
        label: `${results.config.saturation.thresholdMs} ms`,
      },
    ],
  });
}

/** Writes the page, its charts and the raw figures; prints the page's tables. */
export async function writeReport(results: Results, outDir: string): Promise<string[]> {
  mkdirSync(join(outDir, 'benchmarks'), { recursive: true });
  const written: string[] = [];
  const json = join(outDir, 'benchmarks', 'results.json');
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  written.push(json);
  for (const transport of results.config.transports) {
    if (!results.ramps.some((r) => r.transport === transport)) continue;
    const file = join(outDir, chartFile(transport));
    writeFileSync(file, chartFor(results, transport));
    written.push(file);
  }
  const page = join(outDir, 'benchmarks.md');
  // Formatted as the repository's Prettier settings would, so `prettier --check` accepts it.
  const options = (await resolveConfig(page)) ?? {};
  const markdown = await format(renderMarkdown(results), { ...options, filepath: page });
  writeFileSync(page, markdown);
  written.push(page);
  console.log(`\n${consoleView(markdown)}`);
  return written;
}

/** The page without its step-by-step details and method notes: what a terminal needs. */
function consoleView(markdown: string): string {
  return markdown
    .replace(/<details>[\s\S]*?<\/details>\n?/g, '')
    .replace(/\n## How it is measured[\s\S]*$/, '\n')
    .replace(/!\[[^\]]*\]\([^)]*\)\n?/g, '')
    .replace(/\n{3,}/g, '\n\n');
}
