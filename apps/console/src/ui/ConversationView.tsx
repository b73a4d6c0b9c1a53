import type { Conversation, Message, Satisfaction, UpdateConversation } from '@parley/protocol';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { STATUS_LABELS } from '../lib/inbox';
import { type PendingReply, pendingIn } from '../lib/outbox';
import { formatDateTime, formatTime } from '../lib/relative-time';
import { safeHttpUrl, visitorLabel } from '../lib/visitor';
import { Composer } from './Composer';
import { PRESENCE_LABELS } from './PresenceControls';
import { Attachments } from './Attachments';
import { MessageText } from './MessageText';
import { useConsole, useStore } from './context';

/** How long "Snooze" puts a conversation aside. */
const SNOOZE_CHOICES: { label: string; ms: number }[] = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '1 day', ms: 24 * 3_600_000 },
  { label: '1 week', ms: 7 * 24 * 3_600_000 },
];

/** Status and assignee controls of the conversation header. */
function ConversationControls({ conversation }: { conversation: Conversation }) {
  const store = useStore();
  const me = useConsole((s) => s.agent);
  const teammates = useConsole((s) => s.teammates);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [snoozeMs, setSnoozeMs] = useState(SNOOZE_CHOICES[0]?.ms ?? 3_600_000);
  const assigneeId = useId();
  const snoozeId = useId();

  useEffect(() => {
    void store.loadTeammates();
  }, [store, conversation.id]);

  async function update(change: Omit<UpdateConversation, 'conversationId'>) {
    setBusy(true);
    setError(null);
    const failure = await store.updateConversation({ conversationId: conversation.id, ...change });
    setBusy(false);
    setError(failure);
  }

  const others = teammates.filter((a) => a.id !== me.id);
  const assignee = conversation.assigneeId;
  // An assignee the list does not know (deactivated since, or the list failed to load).
  const unknownAssignee =
    assignee !== null && assignee !== me.id && !others.some((a) => a.id === assignee);
  const { status } = conversation;
  return (
    <div className="conversation-controls">
      <label htmlFor={assigneeId}>Assignee</label>
      <select
        id={assigneeId}
        value={assignee ?? ''}
        disabled={busy}
        onChange={(event) => {
          void update({ assigneeId: event.target.value || null });
        }}
      >
        <option value="">Unassigned</option>
        <option value={me.id}>Me ({me.name})</option>
        {others.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
        {unknownAssignee ? <option value={assignee}>Another agent</option> : null}
      </select>
      {assignee !== null && assignee !== me.id ? <AssigneePresence agentId={assignee} /> : null}
      {assignee !== me.id ? (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => void update({ assigneeId: me.id })}
        >
          Assign to me
        </button>
      ) : null}
      <span className="controls-separator" aria-hidden="true" />
      {status === 'OPEN' ? null : (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => void update({ status: 'OPEN' })}
        >
          Reopen
        </button>
      )}
      {status === 'PENDING' || status === 'RESOLVED' ? null : (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => void update({ status: 'PENDING' })}
        >
          Mark pending
        </button>
      )}
      {status === 'RESOLVED' ? null : (
        <button
          type="button"
          className="button small primary"
          disabled={busy}
          onClick={() => void update({ status: 'RESOLVED' })}
        >
          Resolve
        </button>
      )}
      <label htmlFor={snoozeId} className="visually-hidden">
        Snooze for
      </label>
      <select
        id={snoozeId}
        value={snoozeMs}
        disabled={busy}
        onChange={(event) => {
          setSnoozeMs(Number(event.target.value));
        }}
      >
        {SNOOZE_CHOICES.map((choice) => (
          <option key={choice.ms} value={choice.ms}>
            {choice.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button small"
        disabled={busy}
        onClick={() =>
          void update({
            status: 'SNOOZED',
            snoozedUntil: new Date(Date.now() + snoozeMs).toISOString(),
          })
        }
      >
        Snooze
      </button>
      {error ? (
        <p className="controls-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function VisitorPresenceBadge({ visitorId }: { visitorId: string }) {
  const online = useConsole((s) => s.onlineVisitors[visitorId] === true);
  return (
    <span className={`visitor-presence ${online ? 'presence-online' : 'presence-offline'}`}>
      <span
        className={`presence-dot presence-${online ? 'online' : 'offline'}`}
        aria-hidden="true"
      />
      {online ? 'Online' : 'Offline'}
    </span>
  );
}

function AssigneePresence({ agentId }: { agentId: string }) {
  const status = useConsole((s) => s.agentPresence[agentId] ?? 'offline');
  return (
    <span className={`assignee-presence presence-${status}`} data-testid="assignee-presence">
      <span className={`presence-dot presence-${status}`} aria-hidden="true" />
      {PRESENCE_LABELS[status]}
    </span>
  );
}

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
        <VisitorPresenceBadge visitorId={visitor.id} />
        <span className={`status-badge status-${conversation.status.toLowerCase()}`}>
          {STATUS_LABELS[conversation.status]}
        </span>
        {conversation.status === 'SNOOZED' && conversation.snoozedUntil ? (
          <span className="snoozed-until">
            until{' '}
            <time dateTime={conversation.snoozedUntil}>
              {formatDateTime(conversation.snoozedUntil)}
            </time>
          </span>
        ) : null}
      </div>
      <ConversationControls conversation={conversation} />
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

function MessageItem({
  message,
  mine,
  seen,
}: {
  message: Message;
  mine: boolean;
  /** The last agent message the visitor has read: it says "Seen". */
  seen: boolean;
}) {
  const kind = message.authorKind.toLowerCase();
  return (
    <li
      className={`message message-${kind}${mine ? ' mine' : ''}${message.internal ? ' note' : ''}`}
      data-seq={message.seq}
    >
      <div className="message-meta">
        <span className="message-author" dir="auto">
          {mine ? 'You' : authorOf(message)}
        </span>
        {message.internal ? <span className="note-badge">Internal note</span> : null}
        <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
          {formatTime(message.createdAt)}
        </time>
      </div>
      {message.body ? (
        <p className="message-body" dir="auto">
          <MessageText text={message.body} />
        </p>
      ) : null}
      <Attachments attachments={message.attachments ?? []} />
      {seen ? <p className="message-seen">Seen</p> : null}
    </li>
  );
}

/** The visitor's rating of the resolved conversation, as stars and words. */
function SatisfactionNote({ satisfaction }: { satisfaction: Satisfaction }) {
  return (
    <li className="message-satisfaction" aria-label="Satisfaction rating">
      <span className="satisfaction-stars" aria-hidden="true">
        {'★'.repeat(satisfaction.rating)}
        {'☆'.repeat(5 - satisfaction.rating)}
      </span>{' '}
      <span>Rated {satisfaction.rating} out of 5 by the visitor</span>
      {satisfaction.comment ? (
        <q className="satisfaction-comment" dir="auto">
          {satisfaction.comment}
        </q>
      ) : null}
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
      className={`message message-agent mine pending pending-${reply.status}${reply.internal ? ' note' : ''}`}
      data-client-message-id={reply.clientMessageId}
    >
      <div className="message-meta">
        <span className="message-author">You</span>
        {reply.internal ? <span className="note-badge">Internal note</span> : null}
        <span className="pending-state">{state}</span>
      </div>
      <p className="message-body" dir="auto">
        {reply.fileName === undefined ? reply.body : `📎 ${reply.fileName}`}
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
  const visitorTyping = useConsole((s) => s.visitorTyping[conversationId] === true);
  const visitorRead = conversation?.visitorLastReadSeq ?? 0;
  // "Seen" goes under the last message the visitor can see that it has read.
  const lastSeenSeq = messages.reduce(
    (last, m) => (m.authorKind !== 'VISITOR' && !m.internal && m.seq <= visitorRead ? m.seq : last),
    0,
  );
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
            seen={message.seq === lastSeenSeq}
          />
        ))}
        {pending.map((reply) => (
          <PendingItem key={reply.clientMessageId} reply={reply} connected={connected} />
        ))}
        {conversation?.satisfaction ? (
          <SatisfactionNote satisfaction={conversation.satisfaction} />
        ) : null}
      </ol>
      <p className="typing-indicator" aria-live="polite">
        {visitorTyping ? 'The visitor is typing…' : ''}
      </p>
      <Composer key={conversationId} conversationId={conversationId} />
    </section>
  );
}
