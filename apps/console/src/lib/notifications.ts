import type { Conversation, Message } from '@parley/protocol';

/** What a notification is about: a conversation that just started, or a visitor's new message. */
export type NotificationKind = 'conversation' | 'message';

export interface NotificationContext {
  readonly agentId: string;
  /** The conversation as the inbox knows it (its assignee). */
  readonly conversation: Conversation | undefined;
  /** The conversation open in the console, if any. */
  readonly activeConversationId: string | null;
  /** The console's tab has the focus. */
  readonly focused: boolean;
}

/**
 * Whether a live message deserves a notification: a visitor's message (never the agent's own,
 * a colleague's or a note) in a conversation that is the agent's or nobody's, unless the agent
 * is looking at that very conversation.
 */
export function notificationFor(
  message: Message,
  context: NotificationContext,
): NotificationKind | null {
  if (message.authorKind !== 'VISITOR' || message.internal) return null;
  const { conversation } = context;
  if (!conversation) return null;
  if (conversation.assigneeId !== null && conversation.assigneeId !== context.agentId) return null;
  if (context.focused && context.activeConversationId === message.conversationId) return null;
  return message.seq === 1 ? 'conversation' : 'message';
}

/** The tab title: the number of conversations with unread messages first, as in "(3) Parley". */
export function titleWithCount(base: string, unread: number): string {
  return unread > 0 ? `(${String(unread)}) ${base}` : base;
}
