import type { VisitorConversation } from '@parley/protocol';
import { useStrings } from '../i18n';

export interface ConversationListProps {
  conversations: readonly VisitorConversation[];
  /** A conversation is open: the button goes back to it instead of starting another. */
  hasCurrent: boolean;
  onSelect: (conversationId: string) => void;
  onNew: () => void;
}

function when(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/** The visitor's conversations, newest first, each with its last message and status. */
export function ConversationList({
  conversations,
  hasCurrent,
  onSelect,
  onNew,
}: ConversationListProps) {
  const t = useStrings();
  return (
    <nav className="threads" aria-label={t.conversations}>
      <h2 className="threads__title">{t.conversations}</h2>
      <ul className="threads__list">
        {conversations.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="threads__item"
              data-status={c.status}
              onClick={() => {
                onSelect(c.id);
              }}
            >
              <span className="threads__preview" dir="auto">
                {c.lastMessagePreview ?? '…'}
              </span>
              <span className="threads__meta">
                {c.status === 'RESOLVED' ? t.statusResolved : t.statusOpen}
                {c.lastMessageAt ? ` · ${when(c.lastMessageAt)}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="threads__new" onClick={onNew}>
        {hasCurrent ? t.backToConversation : t.newConversation}
      </button>
    </nav>
  );
}
