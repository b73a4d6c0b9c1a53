import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createBridge } from './bridge';
import { ChatController } from './chat-controller';
import { newClientMessageId } from './client-id';
import { fetchWidgetConfig } from './config';
import { createFailureReporter, postFailureReport } from './failure-report';
import { pickLocale, STRINGS, StringsContext } from './i18n';
import { readIdentity } from './identity';
import { createSocketLink } from './link';
import { readFrameParams } from './params';
import { browserStorage, createHostBackedStore } from './storage';
import './styles.css';

const container = document.getElementById('root') ?? document.body;
const root = createRoot(container);
const params = readFrameParams(window.location.search);

if (!params.ok) {
  console.warn(`Parley: ${params.error}`);
  root.render(<p className="chat__notice">This chat could not start.</p>);
} else {
  const { siteKey, parentOrigin } = params.params;
  const locale = pickLocale(navigator.languages);
  const strings = STRINGS[locale];
  document.documentElement.lang = locale;
  let controller: ChatController | null = null;
  let started = false;
  const start = () => {
    if (started || !controller) return;
    started = true;
    void controller.start();
  };
  const bridge = createBridge({
    win: window,
    parentOrigin,
    onMessage: (message) => {
      switch (message.type) {
        case 'parley:open':
          controller?.setOpen(true);
          break;
        case 'parley:close':
          controller?.setOpen(false);
          break;
        case 'parley:page':
          controller?.setPageUrl(message.url);
          break;
        case 'parley:identify': {
          const reading = readIdentity(message.identity);
          if (reading.ok) controller?.setIdentity(reading.identity);
          else console.warn(reading.error);
          break;
        }
        case 'parley:attributes':
          controller?.setAttributes(message.attributes);
          break;
        case 'parley:reset':
          controller?.reset();
          break;
        case 'parley:state':
          store.hydrate(message);
          start();
          break;
      }
    },
  });
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
  });
  root.render(
    <StrictMode>
      <StringsContext.Provider value={strings}>
        <App controller={controller} />
      </StringsContext.Provider>
    </StrictMode>,
  );
  // Opened on its own (not embedded by the loader), the chat is simply open.
  if (window.parent === window) controller.setOpen(true);
  bridge.post({ type: 'parley:ready' });
  // Embedded, the frame starts once the loader has passed on what the host page remembers;
  // an old loader that never does is waited for only briefly.
  if (window.parent === window) start();
  else setTimeout(start, 2_000);
}
