import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createBridge } from './bridge';
import { ChatController } from './chat-controller';
import { newClientMessageId } from './client-id';
import { fetchWidgetConfig } from './config';
import { createFailureReporter, postFailureReport } from './failure-report';
import { localeOf, pickLocale, STRINGS, StringsContext, type Locale } from './i18n';
import { prefetchLaterParts } from './later';
import { createSocketLink } from './link';
import { readFrameParams } from './params';
import { createChime } from './sound';
import { browserStorage, createHostBackedStore } from './storage';
import type { LoaderToFrameMessage } from '../shared/messages';
import './styles.css';

const container = document.getElementById('root') ?? document.body;
const root = createRoot(container);
const params = readFrameParams(window.location.search);

if (!params.ok) {
  console.warn(`Parley: ${params.error}`);
  root.render(<p className="chat__notice">This chat could not start.</p>);
} else {
  const { siteKey, parentOrigin } = params.params;
  // The browser's language, until the host page calls `Parley.setLocale(...)`.
  let locale: Locale = pickLocale(navigator.languages);
  const localeListeners = new Set<() => void>();
  const subscribeLocale = (listener: () => void) => {
    localeListeners.add(listener);
    return () => {
      localeListeners.delete(listener);
    };
  };
  const setLocale = (next: Locale) => {
    locale = next;
    document.documentElement.lang = next;
    controller?.setStrings(STRINGS[next]);
    for (const listener of localeListeners) listener();
  };
  const strings = STRINGS[locale];
  document.documentElement.lang = locale;
  const LocalizedApp = ({ chat }: { chat: ChatController }) => {
    const current = useSyncExternalStore(subscribeLocale, () => locale);
    return (
      <StringsContext.Provider value={STRINGS[current]}>
        <App controller={chat} />
      </StringsContext.Provider>
    );
  };
  let chimes = 0;
  let controller: ChatController | null = null;
  let started = false;
  const start = () => {
    if (started || !controller) return;
    started = true;
    void controller.start();
  };
  /**
   * Messages from the loader are handled one after another, in order: checking an identity waits
   * for code loaded on first use, and what the page said next (open, start) must not overtake it.
   */
  let handled: Promise<void> = Promise.resolve();
  const bridge = createBridge({
    win: window,
    parentOrigin,
    onMessage: (message) => {
      handled = handled
        .then(() => handle(message))
        .catch((error: unknown) => {
          console.warn('Parley:', error);
        });
    },
  });
  const handle = async (message: LoaderToFrameMessage): Promise<void> => {
    switch (message.type) {
      case 'parley:open':
        controller?.setOpen(true);
        break;
      case 'parley:close':
        controller?.setOpen(false);
        break;
      case 'parley:page':
        controller?.setPageUrl(message.url, message.referrer);
        break;
      case 'parley:identify': {
        const { readIdentity } = await import('./host-input');
        const reading = readIdentity(message.identity);
        if (reading.ok) controller?.setIdentity(reading.identity);
        else console.warn(reading.error);
        break;
      }
      case 'parley:attributes':
        await controller?.setAttributes(message.attributes);
        break;
      case 'parley:reset':
        controller?.reset();
        break;
      case 'parley:locale': {
        const chosen = localeOf(message.locale);
        if (chosen) setLocale(chosen);
        else {
          console.warn(
            `Parley.setLocale: the chat does not speak "${message.locale}"; it speaks en and fr`,
          );
        }
        break;
      }
      case 'parley:state':
        store.hydrate(message);
        start();
        break;
    }
  };
  const store = createHostBackedStore(siteKey, browserStorage(), (memory) => {
    bridge.post({ type: 'parley:persist', ...memory });
  });
  controller = new ChatController({
    siteKey,
    loadConfig: () => fetchWidgetConfig(siteKey),
    createLink: createSocketLink,
    store,
    notify: bridge.post,
    reportFailure: createFailureReporter({
      send: (report) => {
        postFailureReport(report);
      },
    }),
    newId: () => newClientMessageId(),
    strings,
    // The page that embeds the frame: the server checks it against the site's allowed origins.
    ...(window.parent === window ? {} : { pageOrigin: parentOrigin }),
    warn: (text) => {
      console.warn(text);
    },
    chime: createChime(
      () => (typeof AudioContext === 'function' ? new AudioContext() : null),
      () => {
        // How many chimes sounded, for whoever needs to know (the browser tests).
        document.documentElement.dataset.chimes = String(++chimes);
      },
    ),
  });
  const onVisibility = () => {
    controller.setVisible(document.visibilityState === 'visible');
  };
  document.addEventListener('visibilitychange', onVisibility);
  onVisibility();
  root.render(
    <StrictMode>
      <LocalizedApp chat={controller} />
    </StrictMode>,
  );
  prefetchLaterParts();
  // Opened on its own (not embedded by the loader), the chat is simply open.
  if (window.parent === window) controller.setOpen(true);
  bridge.post({ type: 'parley:ready' });
  // Embedded, the frame starts once the loader has passed on what the host page remembers;
  // an old loader that never does is waited for only briefly.
  if (window.parent === window) start();
  else setTimeout(start, 2_000);
}
