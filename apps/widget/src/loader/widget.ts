import {
  envelope,
  parseFrameMessage,
  type FrameToLoaderMessage,
  type IdentityClaim,
  type LoaderToFrameMessage,
  type VisitorMemory,
} from '../shared/messages';
import { isTrustedMessage } from '../shared/origin';
import type { Commands } from './api';
import {
  configUrl,
  errorMessageOf,
  frameUrl,
  readLauncherConfig,
  type LauncherConfig,
} from './config';
import { adoptCss, widgetCss } from './styles';

export interface WidgetOptions {
  win: Window;
  siteKey: string;
  /** Where the API and the frame live; the only origin we post to or accept messages from. */
  apiOrigin: string;
}

/**
 * Draws the launcher in its own Shadow DOM and manages the chat frame: created after the host
 * page's `load` event (hidden until opened) so that a visitor with an open conversation
 * reconnects without clicking, and driven only through `postMessage` with exact origins.
 */
export function createWidget({ win, siteKey, apiOrigin }: WidgetOptions): Commands {
  const doc = win.document;
  let open = false;
  /** The frame has said `parley:ready`: messages posted now are received. */
  let ready = false;
  let pageLoaded = doc.readyState === 'complete';
  let sentUrl = '';
  let ui: {
    wrapper: HTMLElement;
    panel: HTMLElement;
    launcher: HTMLButtonElement;
    badge: HTMLElement;
  } | null = null;
  let frame: HTMLIFrameElement | null = null;
  /** The host page's signed-in user, passed on to the frame whenever it is (re)loaded. */
  let identity: IdentityClaim | null = null;

  const post = (message: LoaderToFrameMessage): void => {
    if (ready) frame?.contentWindow?.postMessage(envelope(message), apiOrigin);
  };

  const sendPage = (): void => {
    const url = win.location.href;
    if (ready && url !== sentUrl) {
      sentUrl = url;
      post({ type: 'parley:page', url });
    }
  };

  const ensureFrame = (): void => {
    if (frame || !ui) return;
    frame = doc.createElement('iframe');
    frame.title = 'Parley chat';
    frame.src = frameUrl(apiOrigin, siteKey, win.location.origin);
    ui.panel.append(frame);
  };

  const render = (): void => {
    if (!ui) return;
    ui.wrapper.classList.toggle('o', open);
    ui.launcher.setAttribute('aria-expanded', String(open));
  };

  const setOpen = (next: boolean): void => {
    if (next === open) return;
    open = next;
    if (open) ensureFrame();
    render();
    post({ type: open ? 'parley:open' : 'parley:close' });
    if (open) frame?.focus();
  };

  const mount = (config: LauncherConfig): void => {
    const el = (tag: string, className: string): HTMLElement => {
      const node = doc.createElement(tag);
      node.className = className;
      return node;
    };
    const host = doc.createElement('parley-widget');
    const root = host.attachShadow({ mode: 'open' });
    adoptCss(root, widgetCss(config.color));
    const wrapper = el('div', config.position === 'left' ? 'w l' : 'w r');
    const panel = el('div', 'p');
    panel.id = 'parley-panel';
    const launcher = el('button', 'b') as HTMLButtonElement;
    launcher.type = 'button';
    launcher.setAttribute('aria-controls', panel.id);
    const label = el('span', '');
    label.textContent = config.label;
    const badge = el('span', 'n');
    badge.hidden = true;
    badge.setAttribute('aria-hidden', 'true');
    launcher.append(label, badge);
    launcher.addEventListener('click', () => {
      setOpen(!open);
    });
    wrapper.append(panel, launcher);
    root.append(wrapper);
    doc.body.append(host);
    ui = { wrapper, panel, launcher, badge };
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
        post({ type: 'parley:state', ...recall() });
        sendPage();
        post({ type: open ? 'parley:open' : 'parley:close' });
        break;
      case 'parley:close-request':
        setOpen(false);
        ui?.launcher.focus();
        break;
      case 'parley:unread':
        if (ui) {
          ui.badge.textContent = String(message.count);
          ui.badge.hidden = message.count === 0;
        }
        break;
      case 'parley:connection':
        ui?.launcher.setAttribute('data-connection', message.state);
        break;
      case 'parley:persist':
        remember({ token: message.token, open: message.open });
        break;
    }
  };

  win.addEventListener('message', (event: MessageEvent) => {
    if (!frame || !isTrustedMessage(event, apiOrigin, frame.contentWindow)) return;
    const message = parseFrameMessage(event.data);
    if (message) onFrameMessage(message);
  });

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
      const config = response.ok ? readLauncherConfig(body) : null;
      if (!config) {
        throw new Error(errorMessageOf(body) ?? `HTTP ${response.status}`);
      }
      if (doc.readyState !== 'loading') mount(config);
      else
        doc.addEventListener(
          'DOMContentLoaded',
          () => {
            mount(config);
          },
          { once: true },
        );
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
      // A plain copy: pages often pass framework proxies, which postMessage cannot clone.
      // The frame keeps only the string fields it knows.
      identity = JSON.parse(JSON.stringify(value ?? {})) as IdentityClaim;
      post({ type: 'parley:identify', identity });
    },
  };
}
