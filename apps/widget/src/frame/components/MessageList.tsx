import type { Message } from '@parley/protocol';
import { AuthorKind } from '@parley/protocol/zod-free';
import { Fragment, Suspense, useEffect, useRef, type ReactNode } from 'react';
import type { ConversationView, PendingMessage } from '../chat-controller';
import { useStrings } from '../i18n';
import { Attachments } from '../later';
import { MessageText } from './MessageText';

export interface MessageListProps {
  greeting: string;
  conversations: readonly ConversationView[];
  pending: readonly PendingMessage[];
  onRetry: (clientMessageId: string) => void;
  /** An agent typing in the conversation shown: their name (null: unnamed); undefined: nobody. */
  typingName?: string | null | undefined;
  /** Shown after the messages (the satisfaction survey). */
  footer?: ReactNode;
  /** Lets the frame show the conversation's files (`session:ready`). */
  attachmentKey?: string | null;
}

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function MessageItem({
  message,
  seen,
  attachmentKey,
}: {
  message: Message;
  seen: boolean;
  attachmentKey: string | null;
}) {
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
        <p className="msg__author">
          {message.authorAvatarUrl?.startsWith('https://') ? (
            <img
              className="msg__avatar"
              src={message.authorAvatarUrl}
              alt=""
              width={20}
              height={20}
              referrerPolicy="no-referrer"
            />
          ) : null}
          <span dir="auto">{message.authorName ?? t.support}</span>
        </p>
      )}
      {message.body && (
        <p className="msg__body" dir="auto">
          <MessageText text={message.body} />
        </p>
      )}
      {message.attachments?.length ? (
        <Suspense fallback={null}>
          <Attachments attachments={message.attachments} attachmentKey={attachmentKey} />
        </Suspense>
      ) : null}
      <p className="msg__meta">
        <time dateTime={message.createdAt}>{timeOf(message.createdAt)}</time>
        {mine && ` · ${seen ? t.seen : t.sent}`}
      </p>
    </div>
  );
}

function PendingItem({ item, onRetry }: { item: PendingMessage; onRetry: (id: string) => void }) {
  const t = useStrings();
  return (
    <div className="msg msg--mine msg--pending" data-status={item.status}>
      <p className="msg__body" dir="auto">
        {item.fileName === undefined ? item.body : `📎 ${item.fileName}`}
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
export function MessageList({
  greeting,
  conversations,
  pending,
  onRetry,
  typingName,
  footer,
  attachmentKey = null,
}: MessageListProps) {
  const t = useStrings();
  const ref = useRef<HTMLDivElement>(null);
  const count = pending.length + conversations.reduce((total, c) => total + c.messages.length, 0);
  const typing = typingName !== undefined;

  useEffect(() => {
    const log = ref.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [count, typing, footer]);

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
            <MessageItem
              key={message.id}
              message={message}
              seen={message.seq <= (conversation.agentLastReadSeq ?? 0)}
              attachmentKey={attachmentKey}
            />
          ))}
          {conversation.status === 'RESOLVED' && conversation.messages.length > 0 && (
            <p className="log__note">{t.closed}</p>
          )}
        </Fragment>
      ))}
      {pending.map((item) => (
        <PendingItem key={item.clientMessageId} item={item} onRetry={onRetry} />
      ))}
      {typing && (
        <p className="log__typing" dir="auto">
          {typingName ? t.typingNamed.replace('{name}', typingName) : t.typing}
        </p>
      )}
      {footer}
    </div>
  );
}
