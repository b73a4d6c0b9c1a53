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
/** The day `time` falls on in `timeZone` (the browser's own by default), as YYYY-MM-DD. */
export function isoDay(time: number, timeZone = localTimeZone()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(time);
}

/** The browser's time zone: reports count days as the reader's. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The last `days` days up to today (the reader's days), both ends included. */
export function lastDays(
  days: number,
  now: number,
  timeZone = localTimeZone(),
): { from: string; to: string } {
  return { from: isoDay(now - (days - 1) * 86_400_000, timeZone), to: isoDay(now, timeZone) };
}
