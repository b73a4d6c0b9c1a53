import { describe, expect, it } from 'vitest';
import {
  BusinessHoursSchema,
  businessHoursStatus,
  zonedInstant,
  type BusinessHours,
} from './business-hours';

const at = (iso: string) => Date.parse(iso);
const weekdays = (open: string, close: string) =>
  [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));

describe('business hours', () => {
  const paris: BusinessHours = { timeZone: 'Europe/Paris', ranges: weekdays('09:00', '17:00') };

  it('is open inside a range in the site’s time zone, not in UTC', () => {
    // Wednesday 2026-11-25: 08:30 UTC is 09:30 in Paris (UTC+1 in winter).
    expect(businessHoursStatus(paris, at('2026-11-25T08:30:00Z'))).toEqual({
      open: true,
      nextOpenAt: null,
    });
    // 07:30 UTC is 08:30 in Paris: opens at 09:00 Paris, 08:00 UTC.
    expect(businessHoursStatus(paris, at('2026-11-25T07:30:00Z'))).toEqual({
      open: false,
      nextOpenAt: '2026-11-25T08:00:00.000Z',
    });
    // The closing minute is already closed.
    expect(businessHoursStatus(paris, at('2026-11-25T16:00:00Z')).open).toBe(false);
  });

  it('finds the next opening across the weekend', () => {
    // Friday 2026-11-27 18:00 Paris → Monday 2026-11-30 09:00 Paris.
    expect(businessHoursStatus(paris, at('2026-11-27T17:00:00Z'))).toEqual({
      open: false,
      nextOpenAt: '2026-11-30T08:00:00.000Z',
    });
  });

  it('follows daylight saving time', () => {
    const newYork: BusinessHours = {
      timeZone: 'America/New_York',
      ranges: weekdays('09:00', '17:00'),
    };
    // Summer (EDT, UTC-4): Friday 2026-06-05 09:00 is 13:00 UTC.
    expect(businessHoursStatus(newYork, at('2026-06-05T13:00:00Z')).open).toBe(true);
    expect(businessHoursStatus(newYork, at('2026-06-05T12:59:00Z')).open).toBe(false);
    // Winter (EST, UTC-5): 09:00 is 14:00 UTC.
    expect(businessHoursStatus(newYork, at('2026-12-04T13:30:00Z')).open).toBe(false);
    expect(businessHoursStatus(newYork, at('2026-12-04T14:00:00Z')).open).toBe(true);
    // Friday 2026-10-30 after closing → Monday 2026-11-02 09:00, after the clocks went back on
    // Sunday 1 November: 14:00 UTC, not 13:00.
    expect(businessHoursStatus(newYork, at('2026-10-30T22:00:00Z')).nextOpenAt).toBe(
      '2026-11-02T14:00:00.000Z',
    );
    // Saturday 2026-03-07 → Monday 2026-03-09 09:00 EDT (clocks went forward on the 8th).
    expect(businessHoursStatus(newYork, at('2026-03-07T12:00:00Z')).nextOpenAt).toBe(
      '2026-03-09T13:00:00.000Z',
    );
  });

  it('moves a time the clocks skip forward by the jump, and takes the first of a repeated one', () => {
    // 02:30 on 2026-03-29 does not exist in Paris (02:00 → 03:00): it becomes 03:30 CEST.
    expect(new Date(zonedInstant(2026, 3, 29, 150, 'Europe/Paris')).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 02:30 on 2026-10-25 happens twice in Paris: the first one (CEST, 00:30 UTC).
    expect(new Date(zonedInstant(2026, 10, 25, 150, 'Europe/Paris')).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('runs an overnight range into the next day, across the end of the week', () => {
    const nights: BusinessHours = {
      timeZone: 'Asia/Tokyo',
      ranges: [{ day: 6, open: '22:00', close: '06:00' }],
    };
    // Saturday 2026-11-28 23:00 Tokyo (14:00 UTC): open.
    expect(businessHoursStatus(nights, at('2026-11-28T14:00:00Z')).open).toBe(true);
    // Sunday 05:59 Tokyo (Saturday 20:59 UTC): still open.
    expect(businessHoursStatus(nights, at('2026-11-28T20:59:00Z')).open).toBe(true);
    // Sunday 06:00 Tokyo: closed until next Saturday 22:00 Tokyo (13:00 UTC).
    expect(businessHoursStatus(nights, at('2026-11-28T21:00:00Z'))).toEqual({
      open: false,
      nextOpenAt: '2026-12-05T13:00:00.000Z',
    });
  });

  it('treats 24:00 as the end of the day and no ranges as never open', () => {
    const allDay: BusinessHours = {
      timeZone: 'UTC',
      ranges: [{ day: 3, open: '00:00', close: '24:00' }],
    };
    expect(businessHoursStatus(allDay, at('2026-11-25T23:59:00Z')).open).toBe(true);
    expect(businessHoursStatus(allDay, at('2026-11-26T00:00:00Z')).open).toBe(false);
    expect(
      businessHoursStatus({ timeZone: 'UTC', ranges: [] }, at('2026-11-26T00:00:00Z')),
    ).toEqual({ open: false, nextOpenAt: null });
  });

  it('refuses unknown time zones and malformed times', () => {
    expect(BusinessHoursSchema.safeParse({ timeZone: 'Mars/Olympus', ranges: [] }).success).toBe(
      false,
    );
    expect(
      BusinessHoursSchema.safeParse({
        timeZone: 'UTC',
        ranges: [{ day: 1, open: '9:00', close: '17:00' }],
      }).success,
    ).toBe(false);
    expect(
      BusinessHoursSchema.safeParse({
        timeZone: 'UTC',
        ranges: [{ day: 7, open: '09:00', close: '17:00' }],
      }).success,
    ).toBe(false);
    expect(
      BusinessHoursSchema.safeParse({
        timeZone: 'UTC',
        ranges: [{ day: 1, open: '24:00', close: '17:00' }],
      }).success,
    ).toBe(false);
  });
});
