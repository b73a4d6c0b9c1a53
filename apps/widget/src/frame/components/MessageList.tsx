import { AuthorKind, type Message } from '@parley/protocol';
import { Fragment, useEffect, useRef } from 'react';
import type { ConversationView, PendingMessage } from '../chat-controller';
import { useStrings } from '../i18n';
import { MessageText } from './MessageText';

export interface MessageListProps {
  greeting: string;
  conversations: readonly ConversationView[];
  pending: readonly PendingMessage[];
  onRetry: (clientMessageId: string) => void;
}

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function MessageItem({ message }: { message: Message }) {
  const t = useStrings();
  if (message.authorKind === AuthorKind.System) {
    return (
      <p className="log__note" dir="auto">
        {message.body}
      </p>
    );
  }
  const mine = message.authorKind === AuthorKind.Visitor;
  return (
    <div className={mine ? 'msg msg--mine' : 'msg msg--agent'} data-status="sent">
      {!mine && (
        <p className="msg__author" dir="auto">
          {message.authorName ?? t.support}
        </p>
      )}
      <p className="msg__body" dir="auto">
        <MessageText text={message.body} />
      </p>
      <p className="msg__meta">
        <time dateTime={message.createdAt}>{timeOf(message.createdAt)}</time>
        {mine && ` · ${t.sent}`}
      </p>
    </div>
  );
}

function PendingItem({ item, onRetry }: { item: PendingMessage; onRetry: (id: string) => void }) {
  const t = useStrings();
  return (
    <div className="msg msg--mine msg--pending" data-status={item.status}>
      <p className="msg__body" dir="auto">
        {item.body}
      </p>
      {item.status === 'sending' ? (
        <p className="msg__meta">{t.sending}</p>
      ) : (
        <p className="msg__meta msg__meta--failed">
          {t.notSent}
          {item.error ? `: ${item.error}` : ''}{' '}
          <button
            type="button"
            className="msg__retry"
            onClick={() => {
              onRetry(item.clientMessageId);
            }}
          >
            {t.retry}
          </button>
        </p>
      )}
    </div>
  );
}

/** The conversation, as text only (never HTML), newest at the bottom. */
export function MessageList({ greeting, conversations, pending, onRetry }: MessageListProps) {
  const t = useStrings();
  const ref = useRef<HTMLDivElement>(null);
  const count = pending.length + conversations.reduce((total, c) => total + c.messages.length, 0);

  useEffect(() => {
    const log = ref.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [count]);

  return (
    <div ref={ref} className="log" role="log" aria-live="polite" aria-label={t.messages}>
      {greeting && (
        <div className="msg msg--agent msg--greeting">
          <p className="msg__body" dir="auto">
            {greeting}
          </p>
        </div>
      )}
      {conversations.map((conversation) => (
        <Fragment key={conversation.id}>
          {conversation.messages.map((message) => (
            <MessageItem key={message.id} message={message} />
          ))}
          {conversation.status === 'RESOLVED' && conversation.messages.length > 0 && (
            <p className="log__note">This conversation was closed.</p>
          )}
        </Fragment>
      ))}
      {pending.map((item) => (
        <PendingItem key={item.clientMessageId} item={item} onRetry={onRetry} />
      ))}
    </div>
  );
}
