import { useId } from 'react';

export interface BarDatum {
  /** A day, YYYY-MM-DD. */
  label: string;
  /** null: nothing to show that day. */
  value: number | null;
}

const WIDTH = 640;
const HEIGHT = 180;
const TOP = 12;
const BOTTOM = 24;
const LEFT = 56;

/**
 * A bar chart drawn as SVG, one bar per day. Each bar says its day and value (its `<title>`,
 * read by screen readers and shown on hover); days with no value draw no bar.
 */
export function BarChart({
  title,
  data,
  format,
  max,
}: {
  title: string;
  data: BarDatum[];
  format: (value: number) => string;
  /** The top of the scale; the largest value when not given. */
  max?: number;
}) {
  const titleId = useId();
  const values = data.map((d) => d.value).filter((v): v is number => v !== null);
  const top = max ?? Math.max(0, ...values);
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = data.length > 0 ? plotWidth / data.length : plotWidth;
  const barWidth = Math.max(1, slot * 0.7);
  const first = data[0]?.label ?? '';
  const last = data.at(-1)?.label ?? '';
  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${String(WIDTH)} ${String(HEIGHT)}`}
        role="group"
        aria-labelledby={titleId}
        className="chart-svg"
      >
        <line
          x1={LEFT}
          x2={WIDTH - 8}
          y1={TOP + plotHeight}
          y2={TOP + plotHeight}
          className="chart-axis"
        />
        <text x={LEFT - 6} y={TOP + 4} textAnchor="end" className="chart-label">
          {values.length > 0 ? format(top) : ''}
        </text>
        <text x={LEFT - 6} y={TOP + plotHeight} textAnchor="end" className="chart-label">
          0
        </text>
        {data.map((d, i) => {
          const x = LEFT + i * slot + (slot - barWidth) / 2;
          if (d.value === null) return null;
          const h = top > 0 ? (d.value / top) * plotHeight : 0;
          return (
            <rect
              key={d.label}
              x={x}
              y={TOP + plotHeight - h}
              width={barWidth}
              height={Math.max(h, d.value > 0 ? 1 : 0)}
              className="chart-bar"
              role="img"
              aria-label={`${d.label}: ${format(d.value)}`}
            >
              <title>{`${d.label}: ${format(d.value)}`}</title>
            </rect>
          );
        })}
        <text x={LEFT} y={HEIGHT - 6} className="chart-label">
          {first}
        </text>
        <text x={WIDTH - 8} y={HEIGHT - 6} textAnchor="end" className="chart-label">
          {data.length > 1 ? last : ''}
        </text>
      </svg>
      {values.length === 0 ? <p className="chart-empty">Nothing in this period.</p> : null}
    </figure>
  );
}
