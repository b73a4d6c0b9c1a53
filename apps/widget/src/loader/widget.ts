import {
  envelope,
  parseFrameMessage,
  type FrameToLoaderMessage,
  type IdentityClaim,
  type LoaderToFrameMessage,
  type VisitorMemory,
} from '../shared/messages';
import { isTrustedMessage } from '../shared/origin';
import { EVENTS, type Commands, type EventName } from './api';
import { configUrl, errorMessageOf, frameUrl } from './config';
import { adoptCss, BASE_CSS } from './styles';

export interface WidgetOptions {
  win: Window;
  siteKey: string;
  /** Where the API and the frame live; the only origin we post to or accept messages from. */
  apiOrigin: string;
  /** Draw no launcher: the page opens the chat itself (`Parley.open()`). */
  hideLauncher?: boolean;
  /** Overrides the site's launcher position. */
  position?: 'left' | 'right' | undefined;
}

type Handler = (data?: unknown) => void;

const IDENTITY_KEYS = ['userId', 'email', 'name', 'userHash'];

/**
 * An attribute value of a kind the server accepts (text, number, boolean, null). Names and
 * lengths are checked by the frame, which reports a refusal as an `error` event.
 */
const attributeOk = ([, value]: [string, unknown]): boolean =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Throws the clear error a page's developer sees for a bad argument. */
function invalid(text: string): never {
  throw new TypeError(`Parley.${text}`);
}

/** Checks an object argument (`null` is allowed) entry by entry. */
function check(value: unknown, ok: (entry: [string, unknown]) => boolean, text: string): void {
  if (value != null && (typeof value !== 'object' || !Object.entries(value).every(ok))) {
    invalid(text);
  }
}

/**
 * Draws the launcher in its own Shadow DOM and manages the chat frame: created after the host
 * page's `load` event (hidden until opened) so that a visitor with an open conversation
 * reconnects without clicking, and driven only through `postMessage` with exact origins.
 */
export function createWidget({
  win,
  siteKey,
  apiOrigin,
  hideLauncher,
  position,
}: WidgetOptions): Commands {
  const doc = win.document;
  let open = false;
  /** `Parley.shutdown()` was called: the widget is gone from this page. */
  let off = false;
  const handlers = new Map<string, Set<Handler>>();
  const emit = (name: EventName, data?: unknown): void => {
    handlers.get(name)?.forEach((handler) => {
      try {
        handler(data);
      } catch (error) {
        console.error(error);
      }
    });
  };
  /** The frame has said `parley:ready`: messages posted now are received. */
  let ready = false;
  let pageLoaded = doc.readyState === 'complete';
  let sentUrl = '';
  /** The launcher and panel are on the page (built at once, attached once the config allows). */
  let mounted = false;
  let frame: HTMLIFrameElement | null = null;
  /** The host page's signed-in user, passed on to the frame whenever it is (re)loaded. */
  let identity: IdentityClaim | null = null;
  /** Every custom attribute set on this page, passed on to the frame whenever it is (re)loaded. */
  let attributes: Record<string, unknown> = {};
  /** `Parley.setLocale(...)`, passed on to the frame whenever it is (re)loaded. */
  let locale = '';

  const el = (tag: string, className: string): HTMLElement => {
    const node = doc.createElement(tag);
    node.className = className;
    return node;
  };
  const host = doc.createElement('parley-widget');
  const root = host.attachShadow({ mode: 'open' });
  adoptCss(root, BASE_CSS);
  const wrapper = el('div', 'w');
  const panel = el('div', 'p');
  panel.id = 'parley-panel';
  const launcher = el('button', 'b') as HTMLButtonElement;
  launcher.type = 'button';
  launcher.setAttribute('aria-controls', panel.id);
  const label = el('span', '');
  const badge = el('span', 'n');
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  // The last new message while the chat is closed, as text, in a bubble above the launcher (part
  // of the button, after its label, so a click on it opens the chat); the frame's CSS hides it
  // when empty.
  const bubble = el('span', 'v');
  launcher.append(label, badge, bubble);
  launcher.addEventListener('click', () => {
    setOpen(!open);
  });
  wrapper.append(panel);
  if (!hideLauncher) wrapper.append(launcher);
  root.append(wrapper);

  const post = (message: LoaderToFrameMessage): void => {
    if (ready) frame?.contentWindow?.postMessage(envelope(message), apiOrigin);
  };

  const sendPage = (): void => {
    const url = win.location.href;
    if (ready && url !== sentUrl) {
      sentUrl = url;
      post({ type: 'parley:page', url, referrer: doc.referrer });
    }
  };

  const ensureFrame = (): void => {
    if (frame || !mounted) return;
    frame = doc.createElement('iframe');
    frame.title = 'Parley chat';
    // The chat plays its new-message sound once the visitor has interacted with this page.
    frame.allow = 'autoplay';
    frame.src = frameUrl(apiOrigin, siteKey, win.location.origin);
    panel.append(frame);
  };

  const render = (): void => {
    wrapper.classList.toggle('o', open);
    launcher.setAttribute('aria-expanded', String(open));
  };

  const setOpen = (next: boolean): void => {
    if (next === open || off) return;
    open = next;
    if (open) ensureFrame();
    render();
    post({ type: open ? 'parley:open' : 'parley:close' });
    if (open) frame?.focus();
    emit(open ? 'open' : 'close');
  };

  const mount = (): void => {
    doc.body.append(host);
    mounted = true;
    render();
    if (open || pageLoaded) ensureFrame();
  };

  // The visitor's memory lives in the host page's own storage: first-party, so browsers that
  // block third-party storage in the frame still keep the conversation across page loads.
  const memoryKey = `parley:${siteKey}`;
  const recall = (): VisitorMemory => {
    try {
      const m = JSON.parse(win.localStorage.getItem(memoryKey) ?? '{}') as Partial<VisitorMemory>;
      return { token: typeof m.token === 'string' ? m.token : null, open: m.open === true };
    } catch {
      return { token: null, open: false };
    }
  };
  const remember = (memory: VisitorMemory): void => {
    try {
      if (memory.token) win.localStorage.setItem(memoryKey, JSON.stringify(memory));
      else win.localStorage.removeItem(memoryKey);
    } catch {
      // No storage on this page: the visitor is forgotten at the next page load.
    }
  };

  const onFrameMessage = (message: FrameToLoaderMessage): void => {
    switch (message.type) {
      case 'parley:ready':
        ready = true;
        sentUrl = '';
        if (identity) post({ type: 'parley:identify', identity });
        post({ type: 'parley:attributes', attributes });
        if (locale) post({ type: 'parley:locale', locale });
        post({ type: 'parley:state', ...recall() });
        sendPage();
        post({ type: open ? 'parley:open' : 'parley:close' });
        emit('ready');
        break;
      case 'parley:close-request':
        setOpen(false);
        launcher.focus();
        break;
      case 'parley:unread': {
        const n = message.count;
        badge.textContent = String(n);
        badge.hidden = !n;
        bubble.textContent = message.preview;
        const title = doc.title.replace(/^\(\d+\) /, '');
        // Only once the visitor has interacted with the page (older browsers: never).
        doc.title =
          n && (win.navigator as Partial<Navigator>).userActivation?.hasBeenActive
            ? `(${n}) ${title}`
            : title;
        emit('unreadCountChange', n);
        break;
      }
      case 'parley:launcher':
        adoptCss(root, message.css);
        label.textContent = message.label;
        wrapper.classList.toggle('l', (position ?? message.position) === 'left');
        wrapper.classList.toggle('r', (position ?? message.position) !== 'left');
        break;
      case 'parley:event':
        emit(message.name, message.data);
        break;
      case 'parley:connection':
        launcher.setAttribute('data-connection', message.state);
        break;
      case 'parley:persist':
        remember({ token: message.token, open: message.open });
        break;
    }
  };

  const onMessage = (event: MessageEvent): void => {
    if (!frame || !isTrustedMessage(event, apiOrigin, frame.contentWindow)) return;
    const message = parseFrameMessage(event.data);
    if (message) onFrameMessage(message);
  };
  win.addEventListener('message', onMessage);

  win.addEventListener(
    'load',
    () => {
      pageLoaded = true;
      ensureFrame();
    },
    { once: true },
  );

  // Single-page apps navigate without reloading: follow history changes.
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = win.history[name].bind(win.history);
    win.history[name] = (...args: Parameters<History['pushState']>) => {
      original(...args);
      sendPage();
    };
  }
  win.addEventListener('popstate', sendPage);
  win.addEventListener('hashchange', sendPage);

  fetch(configUrl(apiOrigin, siteKey))
    .then(async (response) => {
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        throw new Error(errorMessageOf(body) ?? `HTTP ${response.status}`);
      }
      if (off) return;
      if (doc.readyState !== 'loading') mount();
      else doc.addEventListener('DOMContentLoaded', mount, { once: true });
    })
    .catch((error: unknown) => {
      console.warn(
        `Parley: the chat widget is off: ${error instanceof Error ? error.message : String(error)}`,
      );
    });

  return {
    open: () => {
      setOpen(true);
    },
    close: () => {
      setOpen(false);
    },
    toggle: () => {
      setOpen(!open);
    },
    identify: (value) => {
      check(
        value,
        ([key, field]) =>
          IDENTITY_KEYS.includes(key) && (field === undefined || typeof field === 'string'),
        'identify: expected null or { userId, email, name, userHash } with string values',
      );
      // A plain copy: pages often pass framework proxies, which postMessage cannot clone.
      identity = JSON.parse(JSON.stringify(value ?? {})) as IdentityClaim;
      post({ type: 'parley:identify', identity });
    },
    setAttributes: (value) => {
      check(value, attributeOk, 'setAttributes: expected { name: text | number | boolean | null }');
      const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
      attributes = { ...attributes, ...copy };
      post({ type: 'parley:attributes', attributes: copy });
    },
    setLocale: (value) => {
      if (typeof value != 'string' || !/^[a-z]{2,3}(-\w+)*$/i.test(value)) {
        invalid('setLocale: expected a language tag like "fr"');
      }
      locale = value;
      post({ type: 'parley:locale', locale });
    },
    reset: () => {
      identity = null;
      attributes = {};
      remember({ token: null, open: false });
      post({ type: 'parley:reset' });
    },
    shutdown: () => {
      setOpen(false);
      off = true;
      ready = false;
      host.remove();
      mounted = false;
      frame = null;
      win.removeEventListener('message', onMessage);
    },
    on: (name, handler) => {
      subscribe(name, handler).add(handler as Handler);
    },
    off: (name, handler) => {
      subscribe(name, handler).delete(handler as Handler);
    },
  };

  function subscribe(name: unknown, handler: unknown): Set<Handler> {
    if (!(EVENTS as readonly unknown[]).includes(name)) {
      invalid(`on: unknown event "${String(name)}"; expected one of ${EVENTS.join(', ')}`);
    }
    if (typeof handler !== 'function') invalid('on: the handler must be a function');
    let set = handlers.get(name as string);
    if (!set) handlers.set(name as string, (set = new Set()));
    return set;
  }
}
