import {
  envelope,
  parseLoaderMessage,
  type FrameToLoaderMessage,
  type LoaderToFrameMessage,
} from '../shared/messages';
import { isTrustedMessage } from '../shared/origin';

export interface Bridge {
  post: (message: FrameToLoaderMessage) => void;
  dispose: () => void;
}

export interface BridgeOptions {
  win: Window;
  /** The host page's origin, from the frame's URL. */
  parentOrigin: string;
  onMessage: (message: LoaderToFrameMessage) => void;
}

/**
 * The frame's side of the `postMessage` channel: posts only to the parent with the exact parent
 * origin as target, and accepts only messages from the parent window with that origin.
 */
export function createBridge({ win, parentOrigin, onMessage }: BridgeOptions): Bridge {
  const embedded = win.parent !== win;
  const listener = (event: MessageEvent) => {
    if (!embedded || !isTrustedMessage(event, parentOrigin, win.parent)) return;
    const message = parseLoaderMessage(event.data);
    if (message) onMessage(message);
  };
  win.addEventListener('message', listener);
  return {
    post: (message) => {
      if (embedded) win.parent.postMessage(envelope(message), parentOrigin);
    },
    dispose: () => {
      win.removeEventListener('message', listener);
    },
  };
}
