import { Suspense, useEffect, useSyncExternalStore } from 'react';
import { textColorOn } from '../shared/color';
import {
  asksSurvey,
  needsPreChat,
  shownConversationId,
  type ChatController,
} from './chat-controller';
import { Availability } from './components/Availability';
import { Composer } from './components/Composer';
import { ConnectionStatus } from './components/ConnectionStatus';
import { MessageList } from './components/MessageList';
import { useStrings } from './i18n';
import { ConversationList, PreChatForm, Survey } from './later';

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
  const shownId = shownConversationId(state);
  const shown = shownId === null ? undefined : state.conversations.find((c) => c.id === shownId);
  const preChat = needsPreChat(state);
  const settings = state.config?.preChat;
  // Pending messages belong to the conversation they are sent to: the one on screen.
  const writingHere = !state.showingList;
  const resolvedOnScreen = shown?.status === 'RESOLVED' && state.currentConversationId === null;
  const typingName =
    state.agentTyping && state.agentTyping.conversationId === shownId
      ? state.agentTyping.name
      : undefined;

  useEffect(() => {
    if (!widget) return;
    // Through the CSSOM, which a strict style-src allows (unlike style attributes in markup).
    const root = document.documentElement.style;
    root.setProperty('--parley-color', widget.color);
    root.setProperty('--parley-on-color', textColorOn(widget.color));
    // light, dark, or auto (the visitor's prefers-color-scheme, in styles.css).
    document.documentElement.dataset.theme = widget.theme;
    document.title = widget.title;
  }, [widget]);

  // Who can answer may have changed since the frame loaded: ask again whenever the chat opens.
  useEffect(() => {
    if (state.open) void controller.refreshConfig();
  }, [controller, state.open]);

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
        {state.history.length > 0 && !state.showingList && (
          <button type="button" className="chat__threads" onClick={controller.showList}>
            {t.conversations}
          </button>
        )}
        <button
          type="button"
          className="chat__close"
          aria-label={t.closeChat}
          onClick={controller.requestClose}
        >
          <span aria-hidden="true">×</span>
        </button>
      </header>
      {state.phase === 'ready' ? (
        <Availability
          availability={state.config?.availability}
          email={state.email ?? state.visitor?.email ?? null}
          askEmail={!(preChat && settings?.email !== 'off')}
          onEmail={controller.setEmail}
        />
      ) : null}
      {state.phase === 'unavailable' ? (
        <p className="chat__notice">{t.unavailable}</p>
      ) : state.showingList ? (
        <Suspense fallback={null}>
          <ConversationList
            conversations={state.history}
            hasCurrent={state.currentConversationId !== null}
            onSelect={controller.select}
            onNew={controller.startNew}
          />
        </Suspense>
      ) : (
        <MessageList
          greeting={widget?.greeting ?? ''}
          conversations={shown ? [shown] : []}
          pending={writingHere ? state.pending : []}
          onRetry={controller.retry}
          typingName={typingName}
          footer={
            shown && asksSurvey(state, shown) ? (
              <Suspense fallback={null}>
                <Survey
                  conversationId={shown.id}
                  onRate={controller.rate}
                  onDismiss={controller.dismissSurvey}
                />
              </Suspense>
            ) : shown?.satisfactionRating ? (
              <p className="log__note">
                {t.rated.replace('{n}', String(shown.satisfactionRating))}
              </p>
            ) : null
          }
          attachmentKey={state.attachmentKey}
        />
      )}
      {state.notice && (
        <p className="chat__notice chat__notice--alert" role="alert">
          {state.notice}
        </p>
      )}
      {state.uploading !== null && (
        <p className="chat__notice" role="status">
          {t.uploading.replace('{name}', state.uploading)}
        </p>
      )}
      {state.fileError !== null && (
        <p className="chat__notice chat__notice--alert" role="alert">
          {state.fileError}
        </p>
      )}
      {resolvedOnScreen && !state.showingList && (
        <button type="button" className="chat__new" onClick={controller.startNew}>
          {t.newConversation}
        </button>
      )}
      {!state.showingList &&
        (preChat && settings && state.visitor ? (
          <Suspense fallback={null}>
            <PreChatForm
              settings={settings}
              visitor={state.visitor}
              onSubmit={controller.submitPreChat}
            />
          </Suspense>
        ) : (
          <Composer
            disabled={state.phase !== 'ready'}
            focused={state.open}
            onSend={controller.send}
            onInput={controller.typing}
            onFile={(file) => void controller.sendFile(file)}
            canAttach={state.attachmentKey !== null && state.uploading === null}
          />
        ))}
    </div>
  );
}
