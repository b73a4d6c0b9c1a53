import type { ReportResponse } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { errorMessage } from '../api/http';
import { formatDuration, lastDays, localTimeZone } from '../lib/reports';
import { BarChart } from './BarChart';
import { useApi } from './context';

type ReportState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly report: ReportResponse }
  | { readonly kind: 'error'; readonly message: string };

const count = (n: number) => n.toLocaleString('en-US');
const rating = (n: number) => `${n.toFixed(1)} / 5`;

function Figure({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <div className="report-figure">
      <dt>{label}</dt>
      <dd>
        <span className="report-value">{value}</span>
        <span className="report-detail">{detail}</span>
      </dd>
    </div>
  );
}

/** Conversations, first response, resolution and satisfaction over a period (any agent). */
export function ReportsPage() {
  const api = useApi();
  const [period, setPeriod] = useState(() => lastDays(30, Date.now()));
  const [siteId, setSiteId] = useState('');
  const [agentId, setAgentId] = useState('');
  const [state, setState] = useState<ReportState>({ kind: 'loading' });
  const ids = { from: useId(), to: useId(), site: useId(), agent: useId() };

  useEffect(() => {
    if (!period.from || !period.to) return;
    let cancelled = false;
    setState({ kind: 'loading' });
    api
      .report({
        from: period.from,
        to: period.to,
        ...(siteId ? { siteId } : {}),
        ...(agentId ? { agentId } : {}),
        timeZone: localTimeZone(),
      })
      .then(
        (report) => {
          if (!cancelled) setState({ kind: 'loaded', report });
        },
        (error: unknown) => {
          if (!cancelled) setState({ kind: 'error', message: errorMessage(error) });
        },
      );
    return () => {
      cancelled = true;
    };
  }, [api, period, siteId, agentId]);

  const report = state.kind === 'loaded' ? state.report : null;
  const totals = report?.totals;
  return (
    <section className="settings-page reports-page" aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <form
        className="report-filters"
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <label htmlFor={ids.from}>From</label>
        <input
          id={ids.from}
          type="date"
          value={period.from}
          max={period.to}
          onChange={(event) => {
            setPeriod((p) => ({ ...p, from: event.target.value }));
          }}
        />
        <label htmlFor={ids.to}>To</label>
        <input
          id={ids.to}
          type="date"
          value={period.to}
          min={period.from}
          onChange={(event) => {
            setPeriod((p) => ({ ...p, to: event.target.value }));
          }}
        />
        <label htmlFor={ids.site}>Site</label>
        <select
          id={ids.site}
          value={siteId}
          onChange={(event) => {
            setSiteId(event.target.value);
          }}
        >
          <option value="">All sites</option>
          {report?.options.sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.agent}>Agent</label>
        <select
          id={ids.agent}
          value={agentId}
          onChange={(event) => {
            setAgentId(event.target.value);
          }}
        >
          <option value="">All agents</option>
          {report?.options.agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </form>
      <p className="report-note">
        Conversations created in the period (days in your time zone, {localTimeZone()}); the agent
        filter keeps those assigned to the agent.
      </p>
      {state.kind === 'error' ? (
        <div className="inline-error" role="alert">
          <span>{state.message}</span>
        </div>
      ) : null}
      {state.kind === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {report && totals ? (
        <>
          <dl className="report-figures" aria-label="Totals">
            <Figure
              label="Conversations"
              value={count(totals.conversations)}
              detail={`${count(totals.responded)} answered`}
            />
            <Figure
              label="Median first response"
              value={
                totals.medianFirstResponseSeconds === null
                  ? '–'
                  : formatDuration(totals.medianFirstResponseSeconds)
              }
              detail={`over ${count(totals.responded)} answered`}
            />
            <Figure
              label="Median resolution time"
              value={
                totals.medianResolutionSeconds === null
                  ? '–'
                  : formatDuration(totals.medianResolutionSeconds)
              }
              detail={`over ${count(totals.resolved)} resolved`}
            />
            <Figure
              label="Satisfaction"
              value={totals.satisfactionAverage === null ? '–' : rating(totals.satisfactionAverage)}
              detail={`${count(totals.ratings)} ${totals.ratings === 1 ? 'rating' : 'ratings'}`}
            />
          </dl>
          <div className="report-charts">
            <BarChart
              title="Conversations per day"
              data={report.days.map((d) => ({ label: d.date, value: d.conversations }))}
              format={count}
            />
            <BarChart
              title="Median first response per day"
              data={report.days.map((d) => ({
                label: d.date,
                value: d.medianFirstResponseSeconds,
              }))}
              format={formatDuration}
            />
            <BarChart
              title="Median resolution time per day"
              data={report.days.map((d) => ({ label: d.date, value: d.medianResolutionSeconds }))}
              format={formatDuration}
            />
            <BarChart
              title="Satisfaction per day"
              data={report.days.map((d) => ({ label: d.date, value: d.satisfactionAverage }))}
              format={rating}
              max={5}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}
