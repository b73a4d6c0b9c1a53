import type { Agent } from '@parley/protocol';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { unreadOpenCount } from '../lib/inbox';
import { ConsoleNotifier } from '../lib/notifier';
import { notificationFor, titleWithCount } from '../lib/notifications';
import { routeHref } from '../lib/route';
import { visitorLabel } from '../lib/visitor';
import { startRealtime } from '../realtime/agent-socket';
import { ConsoleStore } from '../state/store';
import { ConversationView } from './ConversationView';
import { VisitorPanel } from './VisitorPanel';
import { Header } from './Header';
import { InboxPanel } from './InboxPanel';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { ReportsPage } from './ReportsPage';
import { AgentsPage } from './AgentsPage';
import { CannedResponsesPage } from './CannedResponsesPage';
import { ProfilePage } from './ProfilePage';
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
  const [shortcutsHelp, setShortcutsHelp] = useState(false);
  const [{ store, notifier }] = useState(() => {
    const notifier = new ConsoleNotifier({
      preferences: () => store.getState().preferences,
      open: (conversationId) => {
        window.location.hash = routeHref({ page: 'conversation', conversationId });
      },
    });
    const store: ConsoleStore = new ConsoleStore(agent, {
      api,
      onUnauthorized: onSessionEnded,
      storage: readStorage(),
      isPageVisible: () => document.visibilityState === 'visible',
      onLiveMessage: (message) => {
        const state = store.getState();
        const conversation = state.inbox.byId[message.conversationId];
        const kind = notificationFor(message, {
          agentId: state.agent.id,
          conversation,
          activeConversationId: state.activeConversationId,
          focused: document.visibilityState === 'visible' && document.hasFocus(),
        });
        if (kind && conversation)
          notifier.notify(kind, message, visitorLabel(conversation.visitor));
      },
    });
    return { store, notifier };
  });
  const route = useRoute();

  useEffect(() => {
    void store.refreshInbox();
    void store.loadWorkspace();
    const stop = startRealtime(store, api, { onUnauthorized: onSessionEnded });
    const onVisibility = () => {
      store.visibilityChanged();
    };
    document.addEventListener('visibilitychange', onVisibility);
    // Browsers start audio only after a user gesture: any click or key in the console will do.
    const unlock = () => {
      notifier.unlock();
    };
    document.addEventListener('pointerdown', unlock);
    document.addEventListener('keydown', unlock);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('pointerdown', unlock);
      document.removeEventListener('keydown', unlock);
      stop();
    };
  }, [store, notifier, api, onSessionEnded]);

  const activeId = route.page === 'conversation' ? route.conversationId : null;
  const activeVisitorId = useSyncExternalStore(store.subscribe, () =>
    activeId === null ? null : (store.getState().inbox.byId[activeId]?.visitor.id ?? null),
  );
  useEffect(() => {
    store.openConversation(activeId);
  }, [store, activeId]);

  // The tab title counts open conversations with unread messages, for agents in other tabs.
  useEffect(() => {
    const unsubscribe = store.subscribe(() => {
      document.title = titleWithCount(BASE_TITLE, unreadOpenCount(store.getState().inbox));
    });
    return () => {
      unsubscribe();
      document.title = BASE_TITLE;
    };
  }, [store]);

  return (
    <StoreContext value={store}>
      <div className="app">
        <Header
          route={route}
          onSignedOut={onSignedOut}
          onShowShortcuts={() => {
            setShortcutsHelp(true);
          }}
        />
        <KeyboardShortcuts
          route={route}
          activeId={activeId}
          helpOpen={shortcutsHelp}
          setHelpOpen={setShortcutsHelp}
        />
        {route.page === 'transport' ? (
          <main className="page" id="main">
            <TransportPage isAdmin={agent.role === 'ADMIN'} />
          </main>
        ) : route.page === 'sites' ? (
          <main className="page" id="main">
            <SitesPage isAdmin={agent.role === 'ADMIN'} />
          </main>
        ) : route.page === 'reports' ? (
          <main className="page" id="main">
            <ReportsPage />
          </main>
        ) : route.page === 'agents' ? (
          <main className="page" id="main">
            <AgentsPage isAdmin={agent.role === 'ADMIN'} />
          </main>
        ) : route.page === 'canned' ? (
          <main className="page" id="main">
            <CannedResponsesPage isAdmin={agent.role === 'ADMIN'} />
          </main>
        ) : route.page === 'profile' ? (
          <main className="page" id="main">
            <ProfilePage />
          </main>
        ) : (
          <main className="workspace" id="main">
            <InboxPanel activeConversationId={activeId} />
            {activeId ? (
              <>
                <ConversationView key={activeId} conversationId={activeId} />
                {activeVisitorId ? (
                  <VisitorPanel visitorId={activeVisitorId} conversationId={activeId} />
                ) : null}
              </>
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
