import type { OpeningRange, SiteAvailability } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { errorMessage } from '../api/http';
import { useApi } from './context';
import { FormMessages, useSaving } from './forms';
import '../styles/presence.css';

/** Monday first, as most of the world prints a week; `day` is 0 (Sunday) to 6. */
const DAYS: { day: number; name: string }[] = [
  { day: 1, name: 'Monday' },
  { day: 2, name: 'Tuesday' },
  { day: 3, name: 'Wednesday' },
  { day: 4, name: 'Thursday' },
  { day: 5, name: 'Friday' },
  { day: 6, name: 'Saturday' },
  { day: 0, name: 'Sunday' },
];

interface DayRow {
  open: boolean;
  from: string;
  to: string;
}

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function rowsFrom(ranges: readonly OpeningRange[]): Record<number, DayRow> {
  const rows: Record<number, DayRow> = {};
  for (const { day } of DAYS) {
    const range = ranges.find((r) => r.day === day);
    rows[day] = range
      ? { open: true, from: range.open, to: range.close === '24:00' ? '00:00' : range.close }
      : { open: day >= 1 && day <= 5 && ranges.length === 0, from: '09:00', to: '17:00' };
  }
  return rows;
}

/** The editor's rows as ranges; a closing time of 00:00 means midnight at the end of the day. */
function rangesFrom(rows: Record<number, DayRow>): OpeningRange[] {
  return DAYS.flatMap(({ day }) => {
    const row = rows[day];
    if (!row?.open) return [];
    return [{ day, open: row.from, close: row.to === '00:00' ? '24:00' : row.to }];
  });
}

/**
 * A site's business hours (one range a day, in the site's time zone; a closing time before the
 * opening time runs past midnight) and whether the launcher hides while nobody is online.
 */
export function SiteAvailabilityEditor({ siteId, siteName }: { siteId: string; siteName: string }) {
  const api = useApi();
  const headingId = useId();
  const zoneId = useId();
  const [loaded, setLoaded] = useState<SiteAvailability | null>(null);
  const [hoursOn, setHoursOn] = useState(false);
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [rows, setRows] = useState<Record<number, DayRow>>(() => rowsFrom([]));
  const [hideLauncher, setHideLauncher] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const saving = useSaving();

  useEffect(() => {
    let cancelled = false;
    api.siteAvailability(siteId).then(
      (availability) => {
        if (cancelled) return;
        setLoaded(availability);
        setHoursOn(availability.businessHours !== null);
        if (availability.businessHours) {
          setTimeZone(availability.businessHours.timeZone);
          setRows(rowsFrom(availability.businessHours.ranges));
        }
        setHideLauncher(availability.hideLauncherWhenOffline);
      },
      (failure: unknown) => {
        if (!cancelled) setLoadError(errorMessage(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, siteId]);

  const save = saving.submit(async () => {
    const next = await api.updateSiteAvailability(siteId, {
      businessHours: hoursOn ? { timeZone: timeZone.trim(), ranges: rangesFrom(rows) } : null,
      hideLauncherWhenOffline: hideLauncher,
    });
    setLoaded(next);
    return 'Availability saved.';
  });

  function setRow(day: number, change: Partial<DayRow>) {
    setRows((current) => ({
      ...current,
      [day]: { ...(current[day] ?? rowsFrom([])[day]), ...change } as DayRow,
    }));
  }

  return (
    <form className="card availability-editor" aria-labelledby={headingId} onSubmit={save}>
      <h2 id={headingId} dir="auto">
        Availability: {siteName}
      </h2>
      {!loaded && !loadError ? <p className="muted">Loading…</p> : null}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={hoursOn}
          onChange={(event) => {
            setHoursOn(event.target.checked);
          }}
        />
        Business hours (otherwise always open)
      </label>
      {hoursOn ? (
        <fieldset className="business-hours">
          <legend>Opening hours</legend>
          <label htmlFor={zoneId}>Time zone</label>
          <input
            id={zoneId}
            type="text"
            value={timeZone}
            placeholder="Europe/Paris"
            onChange={(event) => {
              setTimeZone(event.target.value);
            }}
          />
          <table>
            <tbody>
              {DAYS.map(({ day, name }) => {
                const row = rows[day] ?? { open: false, from: '09:00', to: '17:00' };
                return (
                  <tr key={day}>
                    <th scope="row">
                      <label className="checkbox">
                        <input
                          type="checkbox"
                          checked={row.open}
                          onChange={(event) => {
                            setRow(day, { open: event.target.checked });
                          }}
                        />
                        {name}
                      </label>
                    </th>
                    <td>
                      <input
                        type="time"
                        aria-label={`${name} opens at`}
                        value={row.from}
                        disabled={!row.open}
                        onChange={(event) => {
                          setRow(day, { from: event.target.value });
                        }}
                      />
                    </td>
                    <td>
                      <input
                        type="time"
                        aria-label={`${name} closes at`}
                        value={row.to}
                        disabled={!row.open}
                        onChange={(event) => {
                          setRow(day, { to: event.target.value });
                        }}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted">
            A closing time before the opening time runs past midnight; 00:00 closes at midnight.
            Outside these hours the widget tells visitors when you open and asks for their email.
          </p>
        </fieldset>
      ) : null}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={hideLauncher}
          onChange={(event) => {
            setHideLauncher(event.target.checked);
          }}
        />
        Hide the chat launcher while no agent is online
      </label>
      <FormMessages error={saving.error ?? loadError} notice={saving.notice} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving.pending || !loaded}>
          Save availability
        </button>
      </div>
    </form>
  );
}
