const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/**
 * A short, calm label for how long ago something happened: "just now", "5 min ago", "3 h ago",
 * "Yesterday", a weekday within the week, then a date. Times slightly in the future (clock skew
 * between the browser and the server) read as "just now".
 */
export function relativeTime(iso: string, now: number, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const elapsed = now - time;
  if (elapsed < 45_000) return 'just now';
  if (elapsed < HOUR) return `${Math.max(1, Math.round(elapsed / MINUTE))} min ago`;
  const today = startOfDay(now);
  if (elapsed < 12 * HOUR || time >= today) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (time >= today - DAY) return 'Yesterday';
  if (time >= today - 6 * DAY) {
    return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(time);
  }
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(time);
}

/** The full date and time, for tooltips and the message list. */
export function formatDateTime(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

/** Only the time of day, for messages of today. */
export function formatTime(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(time);
}
