import { HttpStatus, Injectable } from '@nestjs/common';
import type { AgentSendMessage, SendMessageResult, VisitorSendMessage } from '@parley/protocol';
import { ErrorCode } from '@parley/protocol';
import { Prisma, type Agent, type Visitor } from '../generated/prisma/client';
import { ApiException } from '../common/api-error';
import { newId } from '../common/ids';
import {
  toConversationDto,
  toMessageDto,
  type ConversationWithVisitor,
} from '../conversations/conversation.mapper';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';

type Tx = Prisma.TransactionClient;

interface Author {
  kind: 'VISITOR' | 'AGENT' | 'SYSTEM';
  id: string | null;
  name: string | null;
}

const PREVIEW_LENGTH = 140;

/**
 * Commits messages. Each gets the next `seq` of its conversation in the same transaction as the
 * insert; `(conversationId, clientMessageId)` is unique, so a resent message returns the original.
 * Nothing is published before it is committed.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async sendFromVisitor(visitor: Visitor, input: VisitorSendMessage): Promise<SendMessageResult> {
    const original = await this.findVisitorDuplicate(visitor.id, input.clientMessageId);
    if (original) return original;
    const author: Author = { kind: 'VISITOR', id: visitor.id, name: visitor.name };
    return this.commitOrReturnOriginal(
      () => this.findVisitorDuplicate(visitor.id, input.clientMessageId),
      async (tx) => {
        // One visitor's sends are serialised so that two first messages open one conversation.
        await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', visitor.id);
        let conversationId = input.conversationId;
        if (conversationId) {
          const owned = await tx.conversation.count({
            where: { id: conversationId, visitorId: visitor.id },
          });
          if (!owned) throw ApiException.notFound('This conversation does not exist.');
        } else {
          // Pending and snoozed conversations are still the visitor's current one.
          const open = await tx.conversation.findFirst({
            where: { visitorId: visitor.id, status: { not: 'RESOLVED' } },
            orderBy: { createdAt: 'desc' },
            select: { id: true },
          });
          conversationId =
            open?.id ??
            (
              await tx.conversation.create({
                data: { id: newId(), siteId: visitor.siteId, visitorId: visitor.id },
                select: { id: true },
              })
            ).id;
        }
        const duplicate = await tx.message.findUnique({
          where: {
            conversationId_clientMessageId: {
              conversationId,
              clientMessageId: input.clientMessageId,
            },
          },
        });
        if (duplicate) return { duplicate: visitorsOwn(duplicate) };
        // A visitor writing again reopens a resolved, pending or snoozed conversation.
        return this.append(tx, conversationId, author, input.clientMessageId, input.body, {
          reopen: true,
          internal: false,
        });
      },
    );
  }

  async sendFromAgent(agent: Agent, input: AgentSendMessage): Promise<SendMessageResult> {
    const key = { conversationId: input.conversationId, clientMessageId: input.clientMessageId };
    const findOriginal = async () => {
      const message = await this.prisma.message.findUnique({
        where: { conversationId_clientMessageId: key },
      });
      return message ? duplicateResult(message) : null;
    };
    const original = await findOriginal();
    if (original) return original;
    const author: Author = { kind: 'AGENT', id: agent.id, name: agent.name };
    return this.commitOrReturnOriginal(findOriginal, async (tx) => {
      const exists = await tx.conversation.count({ where: { id: input.conversationId } });
      if (!exists) throw ApiException.notFound('This conversation does not exist.');
      return this.append(tx, input.conversationId, author, input.clientMessageId, input.body, {
        reopen: false,
        internal: input.internal ?? false,
      });
    });
  }

  /** The visitor's own message with this id: never an agent's reply or note. */
  private async findVisitorDuplicate(visitorId: string, clientMessageId: string) {
    const message = await this.prisma.message.findFirst({
      where: { clientMessageId, conversation: { visitorId } },
    });
    return message ? duplicateResult(visitorsOwn(message)) : null;
  }

  /**
   * Runs the write; if a concurrent copy of the same message won the race (unique violation),
   * returns that one instead. Publishes only what this call committed.
   */
  private async commitOrReturnOriginal(
    findOriginal: () => Promise<SendMessageResult | null>,
    write: (tx: Tx) => Promise<Committed | { duplicate: Prisma.MessageGetPayload<object> }>,
  ): Promise<SendMessageResult> {
    let outcome: Committed | { duplicate: Prisma.MessageGetPayload<object> };
    try {
      outcome = await this.prisma.$transaction(write);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const original = await findOriginal();
        if (original) return original;
      }
      throw error;
    }
    if ('duplicate' in outcome) return duplicateResult(outcome.duplicate);
    const message = toMessageDto(outcome.message);
    this.publisher.messageCommitted(
      message,
      toConversationDto(outcome.conversation),
      outcome.reopened,
    );
    return {
      id: message.id,
      seq: message.seq,
      conversationId: message.conversationId,
      duplicate: false,
      message,
    };
  }

  private async append(
    tx: Tx,
    conversationId: string,
    author: Author,
    clientMessageId: string,
    body: string,
    options: { reopen: boolean; internal: boolean },
  ): Promise<Committed> {
    const before = await tx.conversation.findUniqueOrThrow({
      where: { id: conversationId },
      select: { status: true },
    });
    const reopened = options.reopen && before.status !== 'OPEN';
    const now = new Date();
    // The UPDATE locks the row: concurrent sends to one conversation take consecutive seqs.
    const conversation = await tx.conversation.update({
      where: { id: conversationId },
      data: {
        lastSeq: { increment: 1 },
        lastMessageAt: now,
        lastMessagePreview: body.slice(0, PREVIEW_LENGTH),
        ...(reopened ? { status: 'OPEN' as const, snoozedUntil: null } : {}),
      },
      include: { visitor: true },
    });
    const message = await tx.message.create({
      data: {
        id: newId(),
        conversationId,
        seq: conversation.lastSeq,
        authorKind: author.kind,
        authorId: author.id,
        authorName: author.name,
        body,
        internal: options.internal,
        clientMessageId,
        createdAt: now,
      },
    });
    return { message, conversation, reopened };
  }
}

/**
 * A visitor resending a client id that an agent's message already uses gets a conflict, never
 * that message (which may be an internal note).
 */
function visitorsOwn(message: Prisma.MessageGetPayload<object>): Prisma.MessageGetPayload<object> {
  if (message.authorKind !== 'VISITOR') {
    throw new ApiException(
      HttpStatus.CONFLICT,
      ErrorCode.Conflict,
      'This clientMessageId is already used; send the message with a new one.',
    );
  }
  return message;
}

interface Committed {
  message: Prisma.MessageGetPayload<object>;
  conversation: ConversationWithVisitor;
  reopened: boolean;
}

function duplicateResult(message: Prisma.MessageGetPayload<object>): SendMessageResult {
  const dto = toMessageDto(message);
  return {
    id: dto.id,
    seq: dto.seq,
    conversationId: dto.conversationId,
    duplicate: true,
    message: dto,
  };
}
