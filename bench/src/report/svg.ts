/** A small line chart in SVG, both axes logarithmic: latency against load. */

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  /** `failed`: the step did not pass; drawn with a red ring. */
  points: { x: number; y: number; failed?: boolean }[];
}

export interface Chart {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Horizontal reference lines (e.g. a latency threshold). */
  marks: { y: number; label: string }[];
}

const WIDTH = 760;
const HEIGHT = 440;
const PAD = { left: 70, right: 200, top: 60, bottom: 56 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** 1, 2, 5, 10, 20, 50… between the bounds. */
function ticks125(min: number, max: number): number[] {
  const out: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(min)); decade <= max; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const v = decade * m;
      if (v >= min && v <= max) out.push(v);
    }
  }
  return out;
}

function tickLabel(v: number, unit: string): string {
  if (unit === 'ms' && v >= 1000) return `${v / 1000} s`;
  if (v >= 1000) return `${v / 1000}k`;
  return String(v);
}

export function renderChart(chart: Chart): string {
  const all = chart.series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  const xs = all.map((p) => p.x);
  const ys = [...all.map((p) => p.y), ...chart.marks.map((m) => m.y)];
  const xMin = 10 ** Math.floor(Math.log10(Math.min(...xs, 100)));
  const xMax = 10 ** Math.ceil(Math.log10(Math.max(...xs, 1000)));
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...ys, 1))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys, 10)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (v: number) =>
    PAD.left + ((Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotW;
  const y = (v: number) =>
    PAD.top +
    plotH -
    ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="24" font-size="16" font-weight="600" fill="#111">${escape(chart.title)}</text>`,
    `<text x="${PAD.left}" y="42" fill="#555">${escape(chart.subtitle)}</text>`,
  );
  for (const t of ticks125(xMin, xMax)) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" y1="${PAD.top}" x2="${x(t).toFixed(1)}" y2="${PAD.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${x(t).toFixed(1)}" y="${PAD.top + plotH + 16}" text-anchor="middle" fill="#444">${tickLabel(t, '')}</text>`,
    );
  }
  for (const t of ticks125(yMin, yMax)) {
    parts.push(
      `<line x1="${PAD.left}" y1="${y(t).toFixed(1)}" x2="${PAD.left + plotW}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${tickLabel(t, 'ms')}</text>`,
    );
  }
  parts.push(
    `<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle" fill="#222">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escape(chart.yLabel)}</text>`,
  );
  for (const mark of chart.marks) {
    parts.push(
      `<line x1="${PAD.left}" y1="${y(mark.y).toFixed(1)}" x2="${PAD.left + plotW}" y2="${y(mark.y).toFixed(1)}" stroke="#c62828" stroke-dasharray="6 4"/>`,
      `<text x="${PAD.left + plotW - 4}" y="${(y(mark.y) - 5).toFixed(1)}" text-anchor="end" fill="#c62828">${escape(mark.label)}</text>`,
    );
  }
  chart.series.forEach((series, i) => {
    const points = series.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    if (points.length) {
      const d = points
        .map((p, j) => `${j ? 'L' : 'M'}${x(p.x).toFixed(1)} ${y(p.y).toFixed(1)}`)
        .join(' ');
      parts.push(
        `<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
        ...points.map(
          (p) =>
            `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3" fill="${series.dashed ? '#fff' : series.color}" stroke="${series.color}"/>` +
            (p.failed
              ? `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="6.5" fill="none" stroke="#c62828" stroke-width="1.5"/>`
              : ''),
        ),
      );
    }
    const ly = PAD.top + 10 + i * 20;
    const lx = PAD.left + plotW + 16;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
      `<text x="${lx + 30}" y="${ly + 4}" fill="#222">${escape(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
