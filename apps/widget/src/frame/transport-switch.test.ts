import { describe, expect, it, vi } from 'vitest';
import { applyTransportConfig, type ManagerLike } from './transport-switch';

describe('applyTransportConfig', () => {
  it('rewrites the manager options and closes the engine so it reconnects with them', () => {
    const calls: string[] = [];
    const manager: ManagerLike = {
      opts: { transports: ['polling', 'websocket'], upgrade: true },
      reconnectionDelay: vi.fn((ms: number) => calls.push(`delay ${ms}`)),
      reconnectionDelayMax: vi.fn((ms: number) => calls.push(`max ${ms}`)),
      engine: {
        close: () => {
          calls.push(
            `close with ${JSON.stringify(manager.opts.transports)} upgrade=${String(manager.opts.upgrade)}`,
          );
        },
      },
    };
    applyTransportConfig(manager, {
      mode: 'polling',
      transports: ['polling'],
      upgrade: false,
      reconnectionDelayMs: 500,
      reconnectionDelayMaxMs: 4000,
    });
    expect(manager.opts).toEqual({
      transports: ['polling'],
      upgrade: false,
      rememberUpgrade: false,
    });
    expect(calls).toEqual(['delay 500', 'max 4000', 'close with ["polling"] upgrade=false']);
  });

  it('is harmless before the engine exists', () => {
    const manager: ManagerLike = {
      opts: {},
      reconnectionDelay: () => undefined,
      reconnectionDelayMax: () => undefined,
      engine: null,
    };
    expect(() => {
      applyTransportConfig(manager, {
        mode: 'websocket',
        transports: ['websocket'],
        upgrade: false,
        reconnectionDelayMs: 1,
        reconnectionDelayMaxMs: 2,
      });
    }).not.toThrow();
    expect(manager.opts.transports).toEqual(['websocket']);
  });
});
