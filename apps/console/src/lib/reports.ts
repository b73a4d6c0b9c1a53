/** Formatting and periods for the Reports page. */

/** "45 s", "3 min 30 s", "2 h 5 min", "3 d 4 h": the two largest units, rounded down. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${String(s)} s`;
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const first = units.findIndex(([size]) => s >= size);
  const [bigSize, bigName] = units[first] ?? [1, 's'];
  const [smallSize, smallName] = units[first + 1] ?? [1, 's'];
  const big = Math.floor(s / bigSize);
  const small = Math.floor((s % bigSize) / smallSize);
  return small > 0
    ? `${String(big)} ${bigName} ${String(small)} ${smallName}`
    : `${String(big)} ${bigName}`;
}

/** YYYY-MM-DD of a time, in UTC (the reports' days are UTC days). */
export function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The last `days` days up to today (UTC), both ends included. */
export function lastDays(days: number, now: number): { from: string; to: string } {
  return { from: isoDay(now - (days - 1) * 86_400_000), to: isoDay(now) };
}
