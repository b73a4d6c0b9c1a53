import type { Conversation, Message } from '@parley/protocol';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { type PendingReply, pendingIn } from '../lib/outbox';
import { formatDateTime, formatTime } from '../lib/relative-time';
import { safeHttpUrl, visitorLabel } from '../lib/visitor';
import { Composer } from './Composer';
import { MessageText } from './MessageText';
import { useConsole, useStore } from './context';

function ConversationHeader({ conversation }: { conversation: Conversation | undefined }) {
  if (!conversation) {
    return (
      <header className="conversation-header">
        <h2>Conversation</h2>
      </header>
    );
  }
  const { visitor } = conversation;
  const pageUrl = safeHttpUrl(visitor.pageUrl);
  return (
    <header className="conversation-header">
      <div className="conversation-title">
        <h2 dir="auto">{visitorLabel(visitor)}</h2>
        <span className={`status-badge status-${conversation.status.toLowerCase()}`}>
          {conversation.status === 'OPEN' ? 'Open' : 'Resolved'}
        </span>
      </div>
      <dl className="visitor-facts">
        {visitor.name && visitor.email ? (
          <div>
            <dt>Email</dt>
            <dd dir="auto">{visitor.email}</dd>
          </div>
        ) : null}
        {visitor.pageUrl ? (
          <div>
            <dt>Page</dt>
            <dd dir="auto">
              {pageUrl ? (
                <a href={pageUrl} target="_blank" rel="noopener noreferrer">
                  {visitor.pageUrl}
                </a>
              ) : (
                visitor.pageUrl
              )}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(conversation.createdAt)}</dd>
        </div>
      </dl>
    </header>
  );
}

function authorOf(message: Message): string {
  if (message.authorName) return message.authorName;
  if (message.authorKind === 'VISITOR') return 'Visitor';
  if (message.authorKind === 'AGENT') return 'Agent';
  return 'Parley';
}

function MessageItem({ message, mine }: { message: Message; mine: boolean }) {
  const kind = message.authorKind.toLowerCase();
  return (
    <li className={`message message-${kind}${mine ? ' mine' : ''}`} data-seq={message.seq}>
      <div className="message-meta">
        <span className="message-author" dir="auto">
          {mine ? 'You' : authorOf(message)}
        </span>
        <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
          {formatTime(message.createdAt)}
        </time>
      </div>
      <p className="message-body" dir="auto">
        <MessageText text={message.body} />
      </p>
    </li>
  );
}

function PendingItem({ reply, connected }: { reply: PendingReply; connected: boolean }) {
  const store = useStore();
  let state: string;
  if (reply.status === 'failed') state = `Not sent: ${reply.error ?? 'the server refused it.'}`;
  else if (!connected) state = 'Waiting for the connection…';
  else state = 'Sending…';
  return (
    <li
      className={`message message-agent mine pending pending-${reply.status}`}
      data-client-message-id={reply.clientMessageId}
    >
      <div className="message-meta">
        <span className="message-author">You</span>
        <span className="pending-state">{state}</span>
      </div>
      <p className="message-body" dir="auto">
        {reply.body}
      </p>
      {reply.status === 'failed' ? (
        <div className="pending-actions">
          <button
            type="button"
            className="button small"
            onClick={() => {
              store.retryReply(reply.clientMessageId);
            }}
          >
            Retry
          </button>
          <button
            type="button"
            className="button subtle small"
            onClick={() => {
              store.discardReply(reply.clientMessageId);
            }}
          >
            Discard
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** Within this many pixels of the bottom, new messages keep the list scrolled to the end. */
const STICK_TO_BOTTOM_PX = 80;

export function ConversationView({ conversationId }: { conversationId: string }) {
  const store = useStore();
  const agentId = useConsole((s) => s.agent.id);
  const conversation = useConsole((s) => s.inbox.byId[conversationId]);
  const thread = useConsole((s) => s.threads[conversationId]);
  const outbox = useConsole((s) => s.outbox);
  const connected = useConsole((s) => s.connection.status === 'connected');
  const pending = useMemo(() => pendingIn(outbox, conversationId), [outbox, conversationId]);

  const listRef = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const messageCount = (thread?.messages.length ?? 0) + pending.length;

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [messageCount]);

  const messages = thread?.messages ?? [];
  return (
    <section className="conversation" aria-label="Conversation">
      <ConversationHeader conversation={conversation} />
      {thread?.status === 'error' ? (
        <div className="inline-error" role="alert">
          <span>{thread.error}</span>
          <button
            type="button"
            className="button subtle small"
            onClick={() => {
              store.reloadThread(conversationId);
            }}
          >
            Try again
          </button>
        </div>
      ) : null}
      <ol
        className="message-list"
        role="log"
        aria-label="Messages"
        aria-busy={thread?.status === 'loading'}
        ref={listRef}
        onScroll={(event) => {
          const list = event.currentTarget;
          stickToBottom.current =
            list.scrollHeight - list.scrollTop - list.clientHeight < STICK_TO_BOTTOM_PX;
        }}
      >
        {thread?.status === 'loading' && messages.length === 0 ? (
          <li className="message-placeholder">Loading messages…</li>
        ) : null}
        {thread?.status === 'ready' && messages.length === 0 && pending.length === 0 ? (
          <li className="message-placeholder">No messages yet.</li>
        ) : null}
        {messages.map((message) => (
          <MessageItem
            key={message.seq}
            message={message}
            mine={message.authorKind === 'AGENT' && message.authorId === agentId}
          />
        ))}
        {pending.map((reply) => (
          <PendingItem key={reply.clientMessageId} reply={reply} connected={connected} />
        ))}
      </ol>
      <Composer key={conversationId} conversationId={conversationId} />
    </section>
  );
}
