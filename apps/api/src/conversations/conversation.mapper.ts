import type {
  Conversation as ConversationDto,
  ConversationStatus,
  Message as MessageDto,
  VisitorConversation,
  VisitorConversationStatus,
} from '@parley/protocol';
import type { Conversation, Message, Visitor } from '../generated/prisma/client';

export type ConversationWithVisitor = Conversation & { visitor: Visitor };

export function toMessageDto(m: Message): MessageDto {
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    authorKind: m.authorKind,
    authorId: m.authorId,
    authorName: m.authorName,
    body: m.body,
    internal: m.internal,
    clientMessageId: m.clientMessageId,
    createdAt: m.createdAt.toISOString(),
  };
}

export function toConversationDto(c: ConversationWithVisitor): ConversationDto {
  return {
    id: c.id,
    siteId: c.siteId,
    status: c.status,
    assigneeId: c.assigneeId,
    lastSeq: c.lastSeq,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: c.lastMessagePreview,
    snoozedUntil: c.snoozedUntil?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    visitor: {
      id: c.visitor.id,
      name: c.visitor.name,
      email: c.visitor.email,
      pageUrl: c.visitor.pageUrl,
      userAgent: c.visitor.userAgent,
      lastSeenAt: c.visitor.lastSeenAt?.toISOString() ?? null,
    },
  };
}

/** PENDING and SNOOZED are the agents' business: the visitor sees an open conversation. */
export function visitorStatusOf(status: ConversationStatus): VisitorConversationStatus {
  return status === 'RESOLVED' ? 'RESOLVED' : 'OPEN';
}

export function toVisitorConversationDto(
  c: Pick<Conversation, 'id' | 'status' | 'lastSeq' | 'lastMessageAt' | 'createdAt'>,
): VisitorConversation {
  return {
    id: c.id,
    status: visitorStatusOf(c.status),
    lastSeq: c.lastSeq,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}
