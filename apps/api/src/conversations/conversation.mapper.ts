import type {
  Conversation as ConversationDto,
  Message as MessageDto,
  VisitorConversation,
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

export function toVisitorConversationDto(c: Conversation): VisitorConversation {
  return {
    id: c.id,
    status: c.status,
    lastSeq: c.lastSeq,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}
