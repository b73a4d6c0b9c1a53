import type {
  Conversation as ConversationDto,
  ConversationStatus,
  Message as MessageDto,
  Satisfaction,
  VisitorConversation,
  VisitorConversationStatus,
} from '@parley/protocol';
import { toAttachmentDto } from '../attachments/attachment.mapper';
import type { Attachment, Conversation, Message, Visitor } from '../generated/prisma/client';

export type ConversationWithVisitor = Conversation & { visitor: Visitor };

/** The visitor's fields that agents see with a conversation (what `toConversationDto` reads). */
export type ConversationVisitor = Pick<
  Visitor,
  'id' | 'name' | 'email' | 'pageUrl' | 'userAgent' | 'lastSeenAt'
>;

/** A message row with its files (`include: { attachments: true }`). */
export type MessageWithAttachments = Message & { attachments: Attachment[] };

/** Orders a message's files as they were uploaded (the order the sender gave them). */
export const ATTACHMENTS_IN_ORDER = { attachments: { orderBy: { createdAt: 'asc' } } } as const;

export function toMessageDto(m: MessageWithAttachments): MessageDto {
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    authorKind: m.authorKind,
    authorId: m.authorId,
    authorName: m.authorName,
    authorAvatarUrl: m.authorAvatarUrl,
    body: m.body,
    internal: m.internal,
    clientMessageId: m.clientMessageId,
    createdAt: m.createdAt.toISOString(),
    attachments: m.attachments.map(toAttachmentDto),
  };
}

/** The conversation's fields that `toConversationDto` reads. */
export type ConversationForAgents = Pick<
  Conversation,
  | 'id'
  | 'siteId'
  | 'status'
  | 'assigneeId'
  | 'lastSeq'
  | 'lastMessageAt'
  | 'lastMessagePreview'
  | 'snoozedUntil'
  | 'createdAt'
  | 'visitorLastReadSeq'
  | 'agentLastReadSeq'
  | 'satisfactionRating'
  | 'satisfactionComment'
  | 'satisfactionRatedAt'
> & { visitor: ConversationVisitor };

export function toConversationDto(c: ConversationForAgents): ConversationDto {
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
    visitorLastReadSeq: c.visitorLastReadSeq,
    agentLastReadSeq: c.agentLastReadSeq,
    satisfaction: satisfactionOf(c),
  };
}

/** The visitor's rating, when given. */
export function satisfactionOf(
  c: Pick<Conversation, 'satisfactionRating' | 'satisfactionComment' | 'satisfactionRatedAt'>,
): Satisfaction | null {
  if (c.satisfactionRating === null || c.satisfactionRatedAt === null) return null;
  return {
    rating: c.satisfactionRating,
    comment: c.satisfactionComment,
    ratedAt: c.satisfactionRatedAt.toISOString(),
  };
}

/** PENDING and SNOOZED are the agents' business: the visitor sees an open conversation. */
export function visitorStatusOf(status: ConversationStatus): VisitorConversationStatus {
  return status === 'RESOLVED' ? 'RESOLVED' : 'OPEN';
}

/**
 * A conversation as its visitor sees it. `lastVisibleBody` is the last message the visitor may
 * read (never an internal note); leave it out when it was not looked up.
 */
export function toVisitorConversationDto(
  c: Pick<
    Conversation,
    'id' | 'status' | 'lastSeq' | 'lastMessageAt' | 'createdAt' | 'agentLastReadSeq'
  > & { satisfactionRating: number | null },
  lastVisibleBody?: string | null,
): VisitorConversation {
  return {
    id: c.id,
    status: visitorStatusOf(c.status),
    lastSeq: c.lastSeq,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    agentLastReadSeq: c.agentLastReadSeq,
    satisfactionRating: c.satisfactionRating,
    ...(lastVisibleBody === undefined ? {} : { lastMessagePreview: lastVisibleBody }),
  };
}
