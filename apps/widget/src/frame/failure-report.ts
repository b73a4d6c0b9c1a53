import type { ConnectionFailureReport } from '@parley/protocol';

/** A failed handshake or upgrade, before the client field is added. */
export type FailureReport = Omit<ConnectionFailureReport, 'client'>;

export const FAILURE_REPORT_INTERVAL_MS = 60_000;

export interface FailureReporterOptions {
  send: (report: ConnectionFailureReport) => void;
  now?: () => number;
  intervalMs?: number;
}

/** Shapes a report so the server's schema accepts it. */
export function normalizeReport(report: FailureReport): ConnectionFailureReport {
  const reason = report.reason.trim().slice(0, 300) || 'unknown';
  const { statusCode } = report;
  return {
    client: 'widget',
    transport: report.transport,
    phase: report.phase,
    reason,
    statusCode:
      statusCode !== null && Number.isInteger(statusCode) && statusCode >= 0 && statusCode <= 999
        ? statusCode
        : null,
  };
}

/**
 * Returns a function that sends a report at most once per reason per interval (a browser stuck
 * behind a proxy that blocks WebSocket would otherwise report on every retry). It returns
 * whether the report was sent.
 */
export function createFailureReporter(
  options: FailureReporterOptions,
): (report: FailureReport) => boolean {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? FAILURE_REPORT_INTERVAL_MS;
  const lastSent = new Map<string, number>();
  return (report) => {
    const normalized = normalizeReport(report);
    const key = normalized.reason;
    const at = now();
    const previous = lastSent.get(key);
    if (previous !== undefined && at - previous < interval) return false;
    lastSent.set(key, at);
    options.send(normalized);
    return true;
  };
}

/**
 * Posts a report to the API, best-effort. `text/plain` keeps it a simple request; the API
 * parses the body as JSON.
 */
export function postFailureReport(
  report: ConnectionFailureReport,
  fetchImpl: typeof fetch = fetch,
): void {
  fetchImpl('/api/realtime/failures', {
    method: 'POST',
    body: JSON.stringify(report),
    headers: { 'content-type': 'text/plain' },
    keepalive: true,
  }).catch(() => undefined);
}
