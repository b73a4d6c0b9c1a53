import { describe, expect, it } from 'vitest';
import { TransportModeSchema, transportsFor } from './transport';

describe('transportsFor', () => {
  it('never offers WebSocket in polling mode', () => {
    expect(transportsFor('polling')).toEqual({ transports: ['polling'], upgrade: false });
  });

  it('offers only WebSocket in websocket mode', () => {
    expect(transportsFor('websocket')).toEqual({ transports: ['websocket'], upgrade: false });
  });

  it('starts with polling and upgrades in auto mode', () => {
    expect(transportsFor('auto')).toEqual({ transports: ['polling', 'websocket'], upgrade: true });
  });

  it('knows exactly three modes', () => {
    expect(TransportModeSchema.options).toEqual(['auto', 'polling', 'websocket']);
  });
});
