import type { Conversation, ConversationStatus, InboxView } from '@parley/protocol';
import { useMemo, useState } from 'react';
import {
  type InboxState,
  STATUS_LABELS,
  isUnread,
  unreadByView,
  visibleConversations,
} from '../lib/inbox';
import { formatDateTime, relativeTime } from '../lib/relative-time';
import { routeHref } from '../lib/route';
import { visitorLabel } from '../lib/visitor';
import { PresenceDot, TeamPresence } from './PresenceControls';
import { SearchBox, SearchResults } from './SearchPanel';
import { useConsole, useStore } from './context';
import { useNow } from './hooks';

const FILTERS: { status: ConversationStatus; label: string }[] = [
  { status: 'OPEN', label: 'Open' },
  { status: 'PENDING', label: 'Pending' },
  { status: 'SNOOZED', label: 'Snoozed' },
  { status: 'RESOLVED', label: 'Resolved' },
];

const VIEWS: { view: InboxView; label: string }[] = [
  { view: 'mine', label: 'Mine' },
  { view: 'unassigned', label: 'Unassigned' },
  { view: 'all', label: 'All' },
];

const EMPTY_TEXT: Record<ConversationStatus, string> = {
  OPEN: 'No open conversations. All caught up.',
  PENDING: 'No conversations waiting for a visitor.',
  SNOOZED: 'No snoozed conversations.',
  RESOLVED: 'No resolved conversations.',
};

function ConversationItem({
  conversation,
  unread,
  active,
  now,
  online,
  typing = false,
}: {
  conversation: Conversation;
  unread: boolean;
  active: boolean;
  now: number;
  /** The visitor has the chat open. */
  online: boolean;
  /** The visitor is typing now. */
  typing?: boolean;
}) {
  const activity = conversation.lastMessageAt ?? conversation.createdAt;
  const classes = ['inbox-item', unread ? 'unread' : '', active ? 'active' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li className={classes}>
      <a
        href={routeHref({ page: 'conversation', conversationId: conversation.id })}
        aria-current={active ? 'page' : undefined}
      >
        <span className="inbox-item-top">
          {unread ? (
            <span className="unread-dot" title="Unread">
              <span className="visually-hidden">Unread</span>
            </span>
          ) : null}
          <PresenceDot
            status={online ? 'online' : 'offline'}
            label={online ? 'Visitor online' : 'Visitor offline'}
          />
          <span className="inbox-name" dir="auto">
            {visitorLabel(conversation.visitor)}
          </span>
          <time className="inbox-time" dateTime={activity} title={formatDateTime(activity)}>
            {relativeTime(activity, now)}
          </time>
        </span>
        <span className="inbox-item-bottom">
          <span className={`inbox-preview${typing ? ' typing' : ''}`} dir="auto">
            {typing ? 'Typing…' : (conversation.lastMessagePreview ?? 'No messages yet')}
          </span>
          {conversation.satisfaction ? (
            <span
              className="inbox-rating"
              title={`Rated ${String(conversation.satisfaction.rating)} out of 5`}
            >
              ★{conversation.satisfaction.rating}
            </span>
          ) : null}
          <span className={`status-badge status-${conversation.status.toLowerCase()}`}>
            {STATUS_LABELS[conversation.status]}
          </span>
        </span>
      </a>
    </li>
  );
}

/** The list part of the inbox; pure rendering of an inbox state. */
export function InboxList({
  inbox,
  activeConversationId,
  now,
  onlineVisitors = {},
  visitorTyping = {},
}: {
  inbox: InboxState;
  activeConversationId: string | null;
  now: number;
  /** Visitors with the chat open, by id. */
  onlineVisitors?: Readonly<Record<string, true>>;
  /** Conversations whose visitor is typing now. */
  visitorTyping?: Readonly<Record<string, true>>;
}) {
  const conversations = useMemo(() => visibleConversations(inbox), [inbox]);
  if (conversations.length === 0) {
    if (!inbox.loaded) return <p className="inbox-empty">Loading conversations…</p>;
    return (
      <p className="inbox-empty">
        {inbox.view === 'all'
          ? EMPTY_TEXT[inbox.filter]
          : `${EMPTY_TEXT[inbox.filter]} (${inbox.view === 'mine' ? 'assigned to you' : 'unassigned'})`}
      </p>
    );
  }
  return (
    <ul className="inbox-list" aria-label="Conversations">
      {conversations.map((conversation) => (
        <ConversationItem
          key={conversation.id}
          conversation={conversation}
          unread={isUnread(inbox, conversation) && conversation.id !== activeConversationId}
          active={conversation.id === activeConversationId}
          now={now}
          online={onlineVisitors[conversation.visitor.id] === true}
          typing={visitorTyping[conversation.id] === true}
        />
      ))}
    </ul>
  );
}

export function InboxPanel({ activeConversationId }: { activeConversationId: string | null }) {
  const now = useNow();
  const [query, setQuery] = useState('');
  const searching = query.trim().length > 0;

  return (
    <aside className="inbox" aria-label="Inbox">
      <SearchBox value={query} onChange={setQuery} />
      {searching ? (
        <SearchResults query={query.trim()} activeConversationId={activeConversationId} />
      ) : (
        <InboxContent activeConversationId={activeConversationId} now={now} />
      )}
      <TeamPresence />
    </aside>
  );
}

function InboxContent({
  activeConversationId,
  now,
}: {
  activeConversationId: string | null;
  now: number;
}) {
  const store = useStore();
  const inbox = useConsole((s) => s.inbox);
  const onlineVisitors = useConsole((s) => s.onlineVisitors);
  const visitorTyping = useConsole((s) => s.visitorTyping);
  const unread = useMemo(() => unreadByView(inbox), [inbox]);
  return (
    <>
      <div className="inbox-header">
        <h1>Inbox</h1>
        <div className="segmented views" role="group" aria-label="View">
          {VIEWS.map(({ view, label }) => (
            <button
              key={view}
              type="button"
              aria-pressed={inbox.view === view}
              onClick={() => {
                store.setView(view);
              }}
            >
              {label}
              {unread[view] > 0 ? (
                <>
                  {' '}
                  <span className="unread-count">{unread[view]}</span>
                  <span className="visually-hidden"> unread</span>
                </>
              ) : null}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Filter conversations">
          {FILTERS.map(({ status, label }) => (
            <button
              key={status}
              type="button"
              aria-pressed={inbox.filter === status}
              onClick={() => {
                store.setFilter(status);
              }}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {inbox.error ? (
        <div className="inline-error" role="alert">
          <span>{inbox.error}</span>
          <button
            type="button"
            className="button subtle small"
            onClick={() => void store.refreshInbox()}
          >
            Try again
          </button>
        </div>
      ) : null}
      <InboxList
        inbox={inbox}
        activeConversationId={activeConversationId}
        now={now}
        onlineVisitors={onlineVisitors}
        visitorTyping={visitorTyping}
      />
    </>
  );
}
