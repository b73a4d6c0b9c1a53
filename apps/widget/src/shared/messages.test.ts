import { describe, expect, it } from 'vitest';
import { envelope, MESSAGE_VERSION, parseFrameMessage, parseLoaderMessage } from './messages';

describe('the loader ⇄ frame message map', () => {
  it('stamps every message with the map version', () => {
    expect(envelope({ type: 'parley:open' })).toEqual({ type: 'parley:open', v: MESSAGE_VERSION });
  });

  it('reads the frame messages of its version', () => {
    expect(parseFrameMessage(envelope({ type: 'parley:ready' }))).toMatchObject({
      type: 'parley:ready',
    });
    expect(
      parseFrameMessage(envelope({ type: 'parley:unread', count: 3, preview: 'Hi' })),
    ).toMatchObject({ type: 'parley:unread', count: 3, preview: 'Hi' });
    expect(
      parseFrameMessage(envelope({ type: 'parley:connection', state: 'reconnecting' })),
    ).toMatchObject({ type: 'parley:connection', state: 'reconnecting' });
  });

  it('refuses other versions and anything that is not a message', () => {
    expect(parseFrameMessage({ type: 'parley:ready' })).toBeNull();
    expect(parseFrameMessage({ type: 'parley:ready', v: 2 })).toBeNull();
    expect(parseFrameMessage({ v: 1, type: 42 })).toBeNull();
    expect(parseFrameMessage('parley:ready')).toBeNull();
    expect(parseFrameMessage(null)).toBeNull();
  });

  it('reads the loader messages it knows and nothing else', () => {
    expect(parseLoaderMessage(envelope({ type: 'parley:open' }))).toEqual({ type: 'parley:open' });
    expect(parseLoaderMessage(envelope({ type: 'parley:close' }))).toEqual({
      type: 'parley:close',
    });
    expect(
      parseLoaderMessage(envelope({ type: 'parley:page', url: 'https://shop.example/a' })),
    ).toEqual({
      type: 'parley:page',
      url: 'https://shop.example/a',
    });
    expect(parseLoaderMessage({ type: 'parley:page', v: 1, url: 42 })).toBeNull();
    expect(parseLoaderMessage(envelope({ type: 'parley:ready' }))).toBeNull();
  });
});

describe('visitor memory messages', () => {
  it('carries a token and the open flag both ways, and refuses anything else', () => {
    expect(parseLoaderMessage({ v: 1, type: 'parley:state', token: 'abc_-1', open: true })).toEqual(
      {
        type: 'parley:state',
        token: 'abc_-1',
        open: true,
      },
    );
    expect(
      parseFrameMessage({ v: 1, type: 'parley:persist', token: null, open: false }),
    ).toMatchObject({ type: 'parley:persist', token: null, open: false });
    expect(
      parseLoaderMessage({ v: 1, type: 'parley:state', token: '<script>', open: true }),
    ).toBeNull();
  });
});
