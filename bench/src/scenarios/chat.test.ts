import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../load/messages';
import { EMPTY_SUMMARY } from '../load/samples';
import { failureOf } from './chat';

function result(overrides: Partial<LoadResult>): LoadResult {
  return {
    type: 'loaded',
    id: 1,
    rate: 100,
    sent: 600,
    sentRate: 100,
    acked: 600,
    ackErrors: {},
    delivered: 600,
    lost: 0,
    missingDeliveries: 0,
    duplicates: 0,
    disconnects: 0,
    disconnectReasons: {},
    restored: 0,
    visitorToAgent: EMPTY_SUMMARY,
    agentToVisitor: EMPTY_SUMMARY,
    endToEnd: { ...EMPTY_SUMMARY, p99: 40 },
    ack: EMPTY_SUMMARY,
    httpRequests: 0,
    generatorCpu: 0.2,
    generatorLagP99Ms: 11,
    generatorWaiting: 0.01,
    ms: 6000,
    ...overrides,
  };
}

describe('failureOf', () => {
  it('passes a step under the threshold with nothing wrong', () => {
    expect(failureOf(result({}), 100)).toBeNull();
  });

  it('fails on errors, loss, disconnects or a p99 over the threshold', () => {
    expect(failureOf(result({ ackErrors: { TIMEOUT: 3 } }), 100)).toBe('errors: 3 TIMEOUT');
    expect(failureOf(result({ lost: 2 }), 100)).toBe('2 messages lost');
    expect(
      failureOf(result({ disconnects: 1, disconnectReasons: { 'ping timeout': 1 } }), 100),
    ).toBe('disconnects: 1 (ping timeout: 1)');
    expect(failureOf(result({ endToEnd: { ...EMPTY_SUMMARY, p99: 250 } }), 100)).toBe('p99 250 ms');
  });

  it('blames the generator when it could not keep the rate or its event loop stalled', () => {
    expect(failureOf(result({ sentRate: 80 }), 100)).toBe('generator sent only 80 msg/s');
    expect(
      failureOf(result({ endToEnd: { ...EMPTY_SUMMARY, p99: 300 }, generatorLagP99Ms: 90 }), 100),
    ).toBe('generator stalled (event-loop lag p99 90 ms); p99 300 ms');
  });
});
