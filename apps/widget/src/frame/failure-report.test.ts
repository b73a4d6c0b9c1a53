import { ConnectionFailureReportSchema } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { createFailureReporter, normalizeReport, postFailureReport } from './failure-report';

describe('connection failure reports', () => {
  it('reports each reason at most once a minute', () => {
    let now = 0;
    const send = vi.fn();
    const report = createFailureReporter({ send, now: () => now });
    const upgrade = {
      transport: 'websocket',
      phase: 'upgrade',
      reason: 'probe error',
      statusCode: null,
    } as const;
    expect(report(upgrade)).toBe(true);
    now = 30_000;
    expect(report(upgrade)).toBe(false);
    expect(report({ ...upgrade, reason: 'websocket error', phase: 'handshake' })).toBe(true);
    now = 60_000;
    expect(report(upgrade)).toBe(true);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('sends what the server schema accepts', () => {
    const normalized = normalizeReport({
      transport: 'polling',
      phase: 'handshake',
      reason: `  ${'x'.repeat(400)}  `,
      statusCode: 1234,
    });
    expect(normalized.client).toBe('widget');
    expect(normalized.reason).toHaveLength(300);
    expect(normalized.statusCode).toBeNull();
    expect(ConnectionFailureReportSchema.safeParse(normalized).success).toBe(true);
    expect(
      normalizeReport({ transport: 'polling', phase: 'handshake', reason: ' ', statusCode: 502 }),
    ).toEqual({
      client: 'widget',
      transport: 'polling',
      phase: 'handshake',
      reason: 'unknown',
      statusCode: 502,
    });
  });

  it('posts a simple text/plain request and ignores failures', async () => {
    const fetchMock = vi.fn(() => Promise.reject(new Error('offline')));
    const report = normalizeReport({
      transport: 'polling',
      phase: 'handshake',
      reason: 'xhr poll error',
      statusCode: 400,
    });
    postFailureReport(report, fetchMock);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fetchMock).toHaveBeenCalledWith('/api/realtime/failures', {
      method: 'POST',
      body: JSON.stringify(report),
      headers: { 'content-type': 'text/plain' },
      keepalive: true,
    });
  });
});
