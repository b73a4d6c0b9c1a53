import { describe, expect, it } from 'vitest';
import { formatDuration, lastDays } from './reports';

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(210)).toBe('3 min 30 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
  });
});

describe('lastDays', () => {
  it('ends today and counts today in', () => {
    expect(lastDays(30, Date.parse('2026-11-23T18:00:00Z'), 'UTC')).toEqual({
      from: '2026-10-25',
      to: '2026-11-23',
    });
  });

  it("counts the reader's days: already tomorrow in Auckland", () => {
    expect(lastDays(7, Date.parse('2026-11-23T18:00:00Z'), 'Pacific/Auckland')).toEqual({
      from: '2026-11-18',
      to: '2026-11-24',
    });
  });
});
