import { useEffect, useRef, useState } from 'react';
import { visibleConversations } from '../lib/inbox';
import { type Route, parseRoute, routeHref } from '../lib/route';
import { SHORTCUTS, type ShortcutAction, neighbour, shortcutFor } from '../lib/shortcuts';
import { SEARCH_INPUT_ID } from './SearchPanel';
import { useStore } from './context';

/** The `?` overlay: a modal dialog listing the shortcuts. Escape closes it; focus goes back. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    return () => {
      returnTo?.focus();
    };
  }, []);

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={dialog}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onClose();
          } else if (event.key === 'Tab') {
            // The close button is the only control: focus stays on it.
            event.preventDefault();
            closeButton.current?.focus();
          }
        }}
      >
        <div className="dialog-header">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeButton} type="button" className="button subtle small" onClick={onClose}>
            Close
          </button>
        </div>
        <table className="shortcuts-table">
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.action}>
                <td>
                  {shortcut.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 ? ' or ' : null}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="dialog-note">Shortcuts do nothing while you type in a field.</p>
      </div>
    </div>
  );
}

function focusSearch(): void {
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  }
}

/**
 * Listens for the console's shortcuts on the whole page and runs them; shows the help overlay.
 * `activeId` is the open conversation, if any.
 */
export function KeyboardShortcuts({
  route,
  activeId,
  helpOpen,
  setHelpOpen,
}: {
  route: Route;
  activeId: string | null;
  /** The help overlay is open (also opened from the header's button). */
  helpOpen: boolean;
  setHelpOpen: (open: boolean) => void;
}) {
  const store = useStore();
  const [notice, setNotice] = useState('');

  useEffect(() => {
    const onInbox = route.page === 'inbox' || route.page === 'conversation';

    /**
     * The conversation open now. The URL's: a key pressed a moment ago may have moved to another
     * one before this listener was replaced with the next render's, and the next key must start
     * from there (two quick `j` go two conversations down; `e` resolves the one on screen).
     */
    function openId(): string | null {
      const current = parseRoute(window.location.hash);
      return current.page === 'conversation' ? current.conversationId : activeId;
    }

    async function update(
      change: { status: 'RESOLVED' } | { assigneeId: string },
      done: string,
    ): Promise<void> {
      const conversationId = openId();
      if (!conversationId) return;
      const failure = await store.updateConversation({ conversationId, ...change });
      setNotice(failure ?? done);
    }

    function run(action: ShortcutAction): boolean {
      switch (action) {
        case 'help':
          setHelpOpen(true);
          return true;
        case 'search':
          if (!onInbox) {
            window.location.hash = routeHref({ page: 'inbox' });
            setTimeout(focusSearch, 0);
          } else focusSearch();
          return true;
        case 'next':
        case 'previous': {
          if (!onInbox) return false;
          const ids = visibleConversations(store.getState().inbox).map((c) => c.id);
          const target = neighbour(ids, openId(), action === 'next' ? 1 : -1);
          if (target)
            window.location.hash = routeHref({ page: 'conversation', conversationId: target });
          return true;
        }
        case 'resolve':
          if (!openId() || !onInbox) return false;
          void update({ status: 'RESOLVED' }, 'Conversation resolved');
          return true;
        case 'assignToMe':
          if (!openId() || !onInbox) return false;
          void update({ assigneeId: store.getState().agent.id }, 'Conversation assigned to you');
          return true;
        case 'focusComposer': {
          const composer = document.querySelector('textarea[data-composer]');
          if (!(composer instanceof HTMLTextAreaElement)) return false;
          composer.focus();
          return true;
        }
      }
    }

    function onKeyDown(event: KeyboardEvent) {
      if (helpOpen || event.defaultPrevented) return;
      const action = shortcutFor(event);
      if (action && run(action)) event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [store, route, activeId, helpOpen, setHelpOpen]);

  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {helpOpen ? (
        <ShortcutsHelp
          onClose={() => {
            setHelpOpen(false);
          }}
        />
      ) : null}
    </>
  );
}
