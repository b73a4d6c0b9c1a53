import { useEffect, useSyncExternalStore } from 'react';
import { textColorOn } from '../shared/color';
import type { ChatController } from './chat-controller';
import { Composer } from './components/Composer';
import { ConnectionStatus } from './components/ConnectionStatus';
import { MessageList } from './components/MessageList';
import { useStrings } from './i18n';

const FOCUSABLE = 'a[href], button:not(:disabled), textarea:not(:disabled), input:not(:disabled)';

/**
 * Keeps Tab and Shift+Tab inside the open panel: from the last control Tab goes to the first and
 * Shift+Tab from the first to the last, instead of leaving the frame for the page behind it.
 */
export function trapFocus(event: KeyboardEvent, container: Element): void {
  if (event.key !== 'Tab') return;
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && focusable.includes(active);
  if (event.shiftKey && (active === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}

export function App({ controller }: { controller: ChatController }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const widget = state.config?.widget;
  const t = useStrings();

  useEffect(() => {
    if (!widget) return;
    // Through the CSSOM, which a strict style-src allows (unlike style attributes in markup).
    const root = document.documentElement.style;
    root.setProperty('--parley-color', widget.color);
    root.setProperty('--parley-on-color', textColorOn(widget.color));
    document.title = widget.title;
  }, [widget]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') controller.requestClose();
      const chat = document.querySelector('.chat');
      if (chat) trapFocus(event, chat);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [controller]);

  return (
    <div className="chat">
      <header className="chat__header">
        <div className="chat__heading">
          <h1 className="chat__title">{widget?.title ?? t.chat}</h1>
          <ConnectionStatus state={state.connection} />
        </div>
        <button
          type="button"
          className="chat__close"
          aria-label={t.closeChat}
          onClick={controller.requestClose}
        >
          <span aria-hidden="true">×</span>
        </button>
      </header>
      {state.phase === 'unavailable' ? (
        <p className="chat__notice">{t.unavailable}</p>
      ) : (
        <MessageList
          greeting={widget?.greeting ?? ''}
          conversations={state.conversations}
          pending={state.pending}
          onRetry={controller.retry}
        />
      )}
      {state.notice && (
        <p className="chat__notice chat__notice--alert" role="alert">
          {state.notice}
        </p>
      )}
      <Composer disabled={state.phase !== 'ready'} focused={state.open} onSend={controller.send} />
    </div>
  );
}
