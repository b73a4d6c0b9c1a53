// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { envelope } from '../shared/messages';
import { createBridge, type Bridge } from './bridge';

const PARENT = 'https://shop.example';
let bridge: Bridge | undefined;

afterEach(() => {
  bridge?.dispose();
});

/** A window whose parent is a separate fake, as in a real embedded frame. */
function embeddedWindow() {
  const parent = { postMessage: vi.fn() };
  const win = Object.create(window, { parent: { value: parent } }) as Window;
  win.addEventListener = window.addEventListener.bind(window);
  win.removeEventListener = window.removeEventListener.bind(window);
  return { win, parent };
}

describe('the frame bridge', () => {
  it('posts to the parent with the exact parent origin', () => {
    const { win, parent } = embeddedWindow();
    bridge = createBridge({ win, parentOrigin: PARENT, onMessage: vi.fn() });
    bridge.post({ type: 'parley:unread', count: 2, preview: '' });
    expect(parent.postMessage).toHaveBeenCalledWith(
      envelope({ type: 'parley:unread', count: 2, preview: '' }),
      PARENT,
    );
  });

  it('accepts messages only from the parent window with the parent origin', () => {
    const { win, parent } = embeddedWindow();
    const onMessage = vi.fn();
    bridge = createBridge({ win, parentOrigin: PARENT, onMessage });
    const send = (origin: string, source: unknown) => {
      const event = new MessageEvent('message', {
        data: envelope({ type: 'parley:open' }),
        origin,
      });
      Object.defineProperty(event, 'source', { value: source });
      window.dispatchEvent(event);
    };
    send('https://evil.example', parent);
    send(PARENT, window);
    send(PARENT, null);
    expect(onMessage).not.toHaveBeenCalled();
    send(PARENT, parent);
    expect(onMessage).toHaveBeenCalledWith({ type: 'parley:open' });
  });

  it('stays silent when the frame is not embedded', () => {
    const postMessage = vi.spyOn(window, 'postMessage');
    bridge = createBridge({ win: window, parentOrigin: PARENT, onMessage: vi.fn() });
    bridge.post({ type: 'parley:ready' });
    expect(postMessage).not.toHaveBeenCalled();
  });
});
