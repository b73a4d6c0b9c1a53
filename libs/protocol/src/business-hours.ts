import { z } from 'zod';

/** `HH:MM`, 00:00 to 23:59; a closing time may also be `24:00` (midnight at the end of the day). */
const TimeOfDaySchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time such as 09:00 (24-hour clock)');

/** An IANA time zone such as `Europe/Paris`, known to the runtime's Intl. */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be a time zone such as Europe/Paris');

/**
 * One opening range on a day of the week (0 Sunday … 6 Saturday) in the site's time zone. A
 * closing time at or before the opening time runs overnight into the next day (22:00–06:00).
 */
export const OpeningRangeSchema = z
  .object({
    day: z.number().int().min(0).max(6),
    open: TimeOfDaySchema.refine((t) => t !== '24:00', 'an opening time ends before 24:00'),
    close: TimeOfDaySchema,
  })
  .strict();
export type OpeningRange = z.infer<typeof OpeningRangeSchema>;

/** A site's business hours: weekly ranges in one time zone. */
export const BusinessHoursSchema = z
  .object({
    timeZone: TimeZoneSchema,
    ranges: z.array(OpeningRangeSchema).max(50, 'at most 50 ranges'),
  })
  .strict();
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at an instant. */
export function wallClock(instant: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts['year'] ?? 1970;
  const month = parts['month'] ?? 1;
  const day = parts['day'] ?? 1;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { year, month, day, weekday, minutes: (parts['hour'] ?? 0) * 60 + (parts['minute'] ?? 0) };
}

/** How far `timeZone` is ahead of UTC at an instant, in ms (whole minutes). */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes);
  return asUtc - Math.floor(instant / MINUTE) * MINUTE;
}

/**
 * The instant of a wall-clock time in `timeZone`, as Temporal's "compatible" choice: a time the
 * clocks skip (02:30 on a spring-forward night) moves forward by the jump (03:30); a time that
 * happens twice (on the fall-back night) is its first occurrence.
 */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  minutes: number,
  timeZone: string,
): number {
  const local = Date.UTC(year, month - 1, day, 0, minutes);
  const DAY = 24 * 60 * MINUTE;
  const before = local - offsetAt(local - DAY, timeZone);
  const after = local - offsetAt(local + DAY, timeZone);
  const reads = (t: number) => {
    const w = wallClock(t, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes) === local;
  };
  const valid = [before, after].filter(reads);
  if (valid.length > 0) return Math.min(...valid);
  return before;
}

export interface BusinessHoursStatus {
  /** Open at the instant asked about. */
  open: boolean;
  /** When it next opens, as an ISO instant (null when open, or when no range is set). */
  nextOpenAt: string | null;
}

/** Whether the site is open at `now`, and if not, when it opens next. */
export function businessHoursStatus(hours: BusinessHours, now: number): BusinessHoursStatus {
  const { timeZone, ranges } = hours;
  const clock = wallClock(now, timeZone);
  for (const range of ranges) {
    const open = minutesOf(range.open);
    const close = minutesOf(range.close);
    if (close > open) {
      if (clock.weekday === range.day && clock.minutes >= open && clock.minutes < close) {
        return { open: true, nextOpenAt: null };
      }
    } else {
      // Overnight: from `open` on its day to `close` on the next.
      if (clock.weekday === range.day && clock.minutes >= open) {
        return { open: true, nextOpenAt: null };
      }
      if (clock.weekday === (range.day + 1) % 7 && clock.minutes < close) {
        return { open: true, nextOpenAt: null };
      }
    }
  }
  let next: number | null = null;
  // Today and the next seven days cover every weekly range.
  for (let ahead = 0; ahead <= 7 && next === null; ahead += 1) {
    const date = new Date(Date.UTC(clock.year, clock.month - 1, clock.day + ahead));
    const weekday = date.getUTCDay();
    const opens = ranges
      .filter((r) => r.day === weekday)
      .map((r) => minutesOf(r.open))
      .sort((a, b) => a - b);
    for (const minutes of opens) {
      if (minutes >= DAY_MINUTES) continue;
      const at = zonedInstant(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        minutes,
        timeZone,
      );
      if (at > now) {
        next = at;
        break;
      }
    }
  }
  return { open: false, nextOpenAt: next === null ? null : new Date(next).toISOString() };
}
