/** Number formatting shared by the page, the console table and the charts. */

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function ratio(value: number, base: number): string {
  if (!(base > 0) || !Number.isFinite(value)) return '–';
  const r = value / base;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(0)}%`;
}

/** Kilobytes of 1,024 bytes. */
export function kb(bytes: number): string {
  const k = bytes / 1024;
  return `${k >= 100 ? k.toFixed(0) : k.toFixed(1)} KB`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function rate(value: number): string {
  return `${count(value)} msg/s`;
}

/** A markdown table; cells are escaped for pipes. */
export function table(header: string[], rows: string[][]): string {
  const esc = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ];
  return lines.join('\n');
}
