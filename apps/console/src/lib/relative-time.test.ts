import { describe, expect, it } from 'vitest';
import { formatDateTime, relativeTime } from './relative-time';

// Local-time dates, so calendar boundaries hold in any time zone.
const now = new Date(2025, 2, 12, 15, 0, 0).getTime(); // Wednesday 12 March 2025, 15:00
const iso = (date: Date) => date.toISOString();

describe('relativeTime', () => {
  it('says "just now" for the last seconds and for slightly future times', () => {
    expect(relativeTime(iso(new Date(now - 10_000)), now)).toBe('just now');
    expect(relativeTime(iso(new Date(now + 5_000)), now)).toBe('just now');
  });

  it('counts minutes, then hours', () => {
    expect(relativeTime(iso(new Date(now - 60_000)), now)).toBe('1 min ago');
    expect(relativeTime(iso(new Date(now - 42 * 60_000)), now)).toBe('42 min ago');
    expect(relativeTime(iso(new Date(now - 3 * 3_600_000 - 60_000)), now)).toBe('3 h ago');
  });

  it('says "Yesterday" for the previous calendar day', () => {
    expect(relativeTime(iso(new Date(2025, 2, 11, 1, 0)), now, 'en-GB')).toBe('Yesterday');
  });

  it('names the weekday within the last week, then the date', () => {
    expect(relativeTime(iso(new Date(2025, 2, 8, 10, 0)), now, 'en-GB')).toBe('Sat');
    expect(relativeTime(iso(new Date(2025, 1, 20, 10, 0)), now, 'en-GB')).toBe('20 Feb');
    expect(relativeTime(iso(new Date(2024, 11, 24, 10, 0)), now, 'en-GB')).toBe('24 Dec 2024');
  });

  it('returns nothing for an unreadable timestamp', () => {
    expect(relativeTime('not a date', now)).toBe('');
    expect(formatDateTime('not a date')).toBe('');
  });
});
