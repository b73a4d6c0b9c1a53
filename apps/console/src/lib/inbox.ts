import type { Conversation, ConversationStatus, InboxView, Message } from '@parley/protocol';

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  OPEN: 'Open',
  PENDING: 'Pending',
  SNOOZED: 'Snoozed',
  RESOLVED: 'Resolved',
};

/** Longest preview kept for the inbox when it is built from a live message. */
export const PREVIEW_MAX = 140;

export interface InboxState {
  readonly filter: ConversationStatus;
  /** Whose conversations the list shows: this agent's, nobody's, or everyone's. */
  readonly view: InboxView;
  /** The signed-in agent, for the `mine` view. */
  readonly agentId: string;
  /** Every conversation the console knows, whatever its status. */
  readonly byId: Readonly<Record<string, Conversation>>;
  /** Whether the list for the current filter has been fetched since the filter was chosen. */
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  /** Conversations changed by a live event since the last list request (see `listLoaded`). */
  readonly touched: readonly string[];
  /** Per conversation, the highest seq this agent has seen. */
  readonly readSeq: Readonly<Record<string, number>>;
}

export type InboxAction =
  | { type: 'filterChanged'; filter: ConversationStatus }
  | { type: 'viewChanged'; view: InboxView }
  | { type: 'listRequested' }
  | { type: 'listLoaded'; status: ConversationStatus; conversations: readonly Conversation[] }
  | { type: 'listFailed'; error: string }
  | { type: 'conversationUpdated'; conversation: Conversation }
  | { type: 'messageReceived'; message: Message }
  | { type: 'conversationRead'; conversationId: string; seq: number };

export function initialInbox(
  readSeq: Readonly<Record<string, number>> = {},
  agentId = '',
): InboxState {
  return {
    filter: 'OPEN',
    view: 'all',
    agentId,
    byId: {},
    loaded: false,
    loading: false,
    error: null,
    touched: [],
    readSeq,
  };
}

/** A preview line: whitespace collapsed, cut at `PREVIEW_MAX` characters. */
export function previewOf(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > PREVIEW_MAX ? `${line.slice(0, PREVIEW_MAX - 1)}…` : line;
}

/**
 * Takes `incoming` as the new truth about a conversation, except that activity never goes
 * backwards: an event or a list that left the server before a newer message keeps the newer
 * message's seq, time and preview.
 */
function mergeConversation(
  existing: Conversation | undefined,
  incoming: Conversation,
): Conversation {
  if (!existing) return incoming;
  // Read positions only move forward, whatever order the events arrive in.
  const read = {
    visitorLastReadSeq: Math.max(existing.visitorLastReadSeq, incoming.visitorLastReadSeq),
    agentLastReadSeq: Math.max(existing.agentLastReadSeq, incoming.agentLastReadSeq),
  };
  if (incoming.lastSeq >= existing.lastSeq) return { ...incoming, ...read };
  return {
    ...incoming,
    ...read,
    lastSeq: existing.lastSeq,
    lastMessageAt: existing.lastMessageAt,
    lastMessagePreview: existing.lastMessagePreview,
  };
}

function touch(touched: readonly string[], id: string): readonly string[] {
  return touched.includes(id) ? touched : [...touched, id];
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'filterChanged':
      if (action.filter === state.filter) return state;
      return { ...state, filter: action.filter, loaded: false, error: null };

    case 'viewChanged':
      // Views narrow the status's list on the client: nothing to fetch.
      return action.view === state.view ? state : { ...state, view: action.view };

    case 'listRequested':
      return { ...state, loading: true, touched: [] };

    case 'listLoaded': {
      const listed = new Set(action.conversations.map((c) => c.id));
      const byId: Record<string, Conversation> = {};
      for (const [id, conversation] of Object.entries(state.byId)) {
        // Gone from the list (resolved, reopened or deleted elsewhere), unless a live event
        // about it arrived after the request left.
        const dropped =
          conversation.status === action.status && !listed.has(id) && !state.touched.includes(id);
        if (!dropped) byId[id] = conversation;
      }
      for (const conversation of action.conversations) {
        byId[conversation.id] = mergeConversation(byId[conversation.id], conversation);
      }
      return {
        ...state,
        byId,
        loading: false,
        loaded: state.loaded || action.status === state.filter,
        error: null,
      };
    }

    case 'listFailed':
      return { ...state, loading: false, error: action.error };

    case 'conversationUpdated': {
      const { conversation } = action;
      return {
        ...state,
        byId: {
          ...state.byId,
          [conversation.id]: mergeConversation(state.byId[conversation.id], conversation),
        },
        touched: touch(state.touched, conversation.id),
      };
    }

    case 'messageReceived': {
      const { message } = action;
      const existing = state.byId[message.conversationId];
      // A conversation the console has not listed yet arrives with `conversation:updated`.
      if (!existing || message.seq <= existing.lastSeq) return state;
      return {
        ...state,
        byId: {
          ...state.byId,
          [existing.id]: {
            ...existing,
            lastSeq: message.seq,
            lastMessageAt: message.createdAt,
            lastMessagePreview: previewOf(message.body),
          },
        },
        touched: touch(state.touched, existing.id),
      };
    }

    case 'conversationRead': {
      const previous = state.readSeq[action.conversationId] ?? 0;
      if (action.seq <= previous) return state;
      return { ...state, readSeq: { ...state.readSeq, [action.conversationId]: action.seq } };
    }
  }
}

/** When a conversation last moved: its last message, or its creation. */
export function activityTime(conversation: Conversation): number {
  return Date.parse(conversation.lastMessageAt ?? conversation.createdAt);
}

/** Newest activity first; ties broken by id so the order is stable. */
export function compareByActivity(a: Conversation, b: Conversation): number {
  return activityTime(b) - activityTime(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether a conversation belongs in a view, for the agent `agentId`. */
export function inView(conversation: Conversation, view: InboxView, agentId: string): boolean {
  if (view === 'mine') return conversation.assigneeId === agentId;
  if (view === 'unassigned') return conversation.assigneeId === null;
  return true;
}

/** The conversations the current status and view show, newest activity first. */
export function visibleConversations(state: InboxState): Conversation[] {
  return Object.values(state.byId)
    .filter((c) => c.status === state.filter && inView(c, state.view, state.agentId))
    .sort(compareByActivity);
}

/** Per view, how many conversations of the current status have unread messages. */
export function unreadByView(state: InboxState): Record<InboxView, number> {
  const counts: Record<InboxView, number> = { mine: 0, unassigned: 0, all: 0 };
  for (const c of Object.values(state.byId)) {
    if (c.status !== state.filter || !isUnread(state, c)) continue;
    counts.all += 1;
    if (inView(c, 'mine', state.agentId)) counts.mine += 1;
    if (inView(c, 'unassigned', state.agentId)) counts.unassigned += 1;
  }
  return counts;
}

/** Whether the conversation has messages this agent has not seen. */
export function isUnread(state: InboxState, conversation: Conversation): boolean {
  return conversation.lastSeq > (state.readSeq[conversation.id] ?? 0);
}

/** How many open conversations have unread messages. */
export function unreadOpenCount(state: InboxState): number {
  return Object.values(state.byId).filter((c) => c.status === 'OPEN' && isUnread(state, c)).length;
}
