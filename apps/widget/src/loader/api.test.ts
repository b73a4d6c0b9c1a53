import { describe, expect, it, vi } from 'vitest';
import {
  assertMethod,
  createApi,
  isParleyApi,
  queuedCalls,
  replay,
  type Commands,
  type ParleySdk,
} from './api';

function commands(): Commands & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    open: () => calls.push('open'),
    close: () => calls.push('close'),
    toggle: () => calls.push('toggle'),
    identify: (user) => calls.push(`identify ${JSON.stringify(user)}`),
    setAttributes: (attributes) => calls.push(`setAttributes ${JSON.stringify(attributes)}`),
    setLocale: (locale) => calls.push(`setLocale ${String(locale)}`),
    reset: () => calls.push('reset'),
    shutdown: () => calls.push('shutdown'),
    on: (name) => calls.push(`on ${String(name)}`),
    off: (name) => calls.push(`off ${String(name)}`),
  };
}

describe('the Parley API', () => {
  it('accepts the known methods and names the valid ones when refusing', () => {
    expect(() => {
      assertMethod('open');
    }).not.toThrow();
    expect(() => {
      assertMethod('destroy');
    }).toThrow(
      'Parley: unknown method "destroy"; expected one of open, close, toggle, identify, setAttributes, setLocale, reset, shutdown, on, off',
    );
    expect(() => {
      assertMethod(42);
    }).toThrow(/unknown method "42"/);
    expect(() => {
      assertMethod('toString');
    }).toThrow(/unknown method/);
  });

  it('dispatches calls in every supported style', () => {
    const c = commands();
    const api = createApi(c);
    api('open');
    api.close();
    api.push(['toggle']);
    expect(c.calls).toEqual(['open', 'close', 'toggle']);
    expect(() => {
      api('explode');
    }).toThrow(/unknown method "explode"/);
    expect(isParleyApi(api)).toBe(true);
  });

  it('passes identify its argument in every style, queued or not', () => {
    const c = commands();
    const api = createApi(c);
    api.identify({ userId: 'u1' });
    api('identify', { userId: 'u2' });
    api.push(['identify', { userId: 'u3' }]);
    replay([['identify', { userId: 'u4' }]], api, () => undefined);
    expect(c.calls).toEqual([
      'identify {"userId":"u1"}',
      'identify {"userId":"u2"}',
      'identify {"userId":"u3"}',
      'identify {"userId":"u4"}',
    ]);
  });

  it('reads the queue of an array stub or a function stub', () => {
    expect(queuedCalls(undefined)).toEqual([]);
    expect(queuedCalls([['open'], ['close']])).toEqual([['open'], ['close']]);
    const stub = Object.assign(() => undefined, { q: [['toggle']] });
    expect(queuedCalls(stub)).toEqual([['toggle']]);
    expect(queuedCalls(() => undefined)).toEqual([]);
  });

  it('leaves a window.Parley that belongs to someone else alone', () => {
    expect(queuedCalls({ version: '9' })).toBeNull();
    expect(queuedCalls('Parley')).toBeNull();
    expect(isParleyApi(() => undefined)).toBe(false);
  });

  it('replays queued calls in order and reports a bad one without stopping', () => {
    const c = commands();
    const report = vi.fn();
    replay([['open'], ['nope'], ['close']], createApi(c), report);
    expect(c.calls).toEqual(['open', 'close']);
    expect(report).toHaveBeenCalledTimes(1);
    expect(String(report.mock.calls[0]?.[0])).toMatch(/unknown method "nope"/);
  });
});

describe('the SDK type', () => {
  it('is what the global implements', () => {
    const sdk: ParleySdk = createApi(commands());
    sdk.on('unreadCountChange', (count) => {
      expect(typeof count).toBe('number');
    });
    sdk.identify({ userId: 'u-1' });
    expect((sdk as unknown as { calls: string[] }).calls).toEqual([
      'on unreadCountChange',
      'identify {"userId":"u-1"}',
    ]);
  });
});
