import type { Agent } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { unreadOpenCount } from '../lib/inbox';
import { startRealtime } from '../realtime/agent-socket';
import { ConsoleStore } from '../state/store';
import { ConversationView } from './ConversationView';
import { Header } from './Header';
import { InboxPanel } from './InboxPanel';
import { SitesPage } from './SitesPage';
import { TransportPage } from './TransportPage';
import { StoreContext, useApi } from './context';
import { useRoute } from './hooks';

export interface SignedInAppProps {
  agent: Agent;
  /** The server no longer accepts the session. */
  onSessionEnded: () => void;
  /** The agent signed out; `notice` explains anything that went wrong doing so. */
  onSignedOut: (notice: string | null) => void;
}

const BASE_TITLE = 'Parley console';

function readStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function SignedInApp({ agent, onSessionEnded, onSignedOut }: SignedInAppProps) {
  const api = useApi();
  const [store] = useState(
    () =>
      new ConsoleStore(agent, {
        api,
        onUnauthorized: onSessionEnded,
        storage: readStorage(),
        isPageVisible: () => document.visibilityState === 'visible',
      }),
  );
  const route = useRoute();

  useEffect(() => {
    void store.refreshInbox();
    void store.loadWorkspace();
    const stop = startRealtime(store, api, { onUnauthorized: onSessionEnded });
    const onVisibility = () => {
      store.visibilityChanged();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      stop();
    };
  }, [store, api, onSessionEnded]);

  const activeId = route.page === 'conversation' ? route.conversationId : null;
  useEffect(() => {
    store.openConversation(activeId);
  }, [store, activeId]);

  // The tab title counts open conversations with unread messages, for agents in other tabs.
  useEffect(() => {
    const unsubscribe = store.subscribe(() => {
      const unread = unreadOpenCount(store.getState().inbox);
      document.title = unread > 0 ? `(${String(unread)}) ${BASE_TITLE}` : BASE_TITLE;
    });
    return () => {
      unsubscribe();
      document.title = BASE_TITLE;
    };
  }, [store]);

  return (
    <StoreContext value={store}>
      <div className="app">
        <Header route={route} onSignedOut={onSignedOut} />
        {route.page === 'transport' ? (
          <main className="page" id="main">
            <TransportPage isAdmin={agent.role === 'ADMIN'} />
          </main>
        ) : route.page === 'sites' ? (
          <main className="page" id="main">
            <SitesPage isAdmin={agent.role === 'ADMIN'} />
          </main>
        ) : (
          <main className="workspace" id="main">
            <InboxPanel activeConversationId={activeId} />
            {activeId ? (
              <ConversationView key={activeId} conversationId={activeId} />
            ) : (
              <section className="conversation empty-state" aria-label="Conversation">
                <p>Select a conversation to read and reply.</p>
              </section>
            )}
          </main>
        )}
      </div>
    </StoreContext>
  );
}
