import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  Limits,
  type MarkRead,
  type RateConversation,
  type ReadUpdate,
  SNOOZE_MAX_MS,
  type Conversation as ConversationDto,
  type ConversationStatus,
  type InboxView,
  type SyncResult,
  type UpdateConversation,
} from '@parley/protocol';
import { ApiException } from '../common/api-error';
import type { Prisma } from '../generated/prisma/client';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import {
  ATTACHMENTS_IN_ORDER,
  toConversationDto,
  toMessageDto,
  toVisitorConversationDto,
  visitorStatusOf,
  type ConversationWithVisitor,
} from './conversation.mapper';

/** Characters of a message shown in conversation lists. */
const PREVIEW_LENGTH = 140;

@Injectable()
export class ConversationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
  ) {}

  /**
   * The agents' inbox: conversations by last activity, newest first. `mine` is the ones
   * assigned to `agentId`, `unassigned` those assigned to nobody.
   */
  async listForAgents(status?: ConversationStatus, view: InboxView = 'all', agentId?: string) {
    const where: Prisma.ConversationWhereInput = status ? { status } : {};
    if (view === 'mine') where.assigneeId = agentId ?? null;
    if (view === 'unassigned') where.assigneeId = null;
    const rows = await this.prisma.conversation.findMany({
      where,
      include: { visitor: true },
      orderBy: [{ lastMessageAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
      take: 200,
    });
    return rows.map(toConversationDto);
  }

  async getForAgents(conversationId: string): Promise<ConversationWithVisitor> {
    const conversation = await this.prisma.conversation.findUnique({
      where: { id: conversationId },
      include: { visitor: true },
    });
    if (!conversation) throw ApiException.notFound('This conversation does not exist.');
    return conversation;
  }

  /** A visitor's conversations, newest first, each with the last message the visitor may read. */
  async listForVisitor(visitorId: string) {
    const rows = await this.prisma.conversation.findMany({
      where: { visitorId },
      orderBy: { createdAt: 'desc' },
      take: 50,
      include: {
        messages: {
          where: { internal: false },
          orderBy: { seq: 'desc' },
          take: 1,
          select: { body: true },
        },
      },
    });
    return rows.map((row) =>
      toVisitorConversationDto(row, row.messages[0]?.body.slice(0, PREVIEW_LENGTH) ?? null),
    );
  }

  /**
   * Moves one side's read position forward, never past the conversation's last message and never
   * back. Publishes only when it moved. `visitorId` limits a visitor to its own conversations.
   */
  async markRead(
    reader: 'VISITOR' | 'AGENT',
    input: MarkRead,
    visitorId?: string,
  ): Promise<ReadUpdate> {
    const column = reader === 'VISITOR' ? 'visitor_last_read_seq' : 'agent_last_read_seq';
    // One statement: concurrent marks from several tabs or nodes can only move it forward.
    const rows = await this.prisma.$queryRawUnsafe<
      { seq: number; site_id: string; visitor_id: string; moved: boolean }[]
    >(
      `WITH target AS (
         SELECT id, site_id, visitor_id, ${column} AS before, LEAST($2::int, last_seq) AS wanted
         FROM conversations WHERE id = $1 AND ($3::text IS NULL OR visitor_id = $3::text)
         FOR UPDATE
       )
       UPDATE conversations c SET ${column} = GREATEST(t.before, t.wanted)
       FROM target t WHERE c.id = t.id
       RETURNING c.${column} AS seq, t.site_id, t.visitor_id, t.wanted > t.before AS moved`,
      input.conversationId,
      input.seq,
      visitorId ?? null,
    );
    const row = rows[0];
    if (!row) throw ApiException.notFound('This conversation does not exist.');
    const update: ReadUpdate = { conversationId: input.conversationId, reader, seq: row.seq };
    if (row.moved) {
      this.publisher.readUpdated(update, { siteId: row.site_id, visitorId: row.visitor_id });
    }
    return update;
  }

  /**
   * The visitor rates a resolved conversation of its own: once. The agents see the rating in the
   * conversation (published with it); the visitor's other tabs stop asking.
   */
  async rate(visitorId: string, input: RateConversation, now = new Date()) {
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    const updated = await this.prisma.conversation.updateManyAndReturn({
      where: {
        id: input.conversationId,
        visitorId,
        status: 'RESOLVED',
        satisfactionRating: null,
      },
      data: {
        satisfactionRating: input.rating,
        satisfactionComment: comment,
        satisfactionRatedAt: now,
      },
      select: { id: true },
    });
    if (updated.length === 0) {
      const existing = await this.prisma.conversation.findFirst({
        where: { id: input.conversationId, visitorId },
        select: { status: true, satisfactionRating: true },
      });
      if (!existing) throw ApiException.notFound('This conversation does not exist.');
      if (existing.satisfactionRating !== null) {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.Conflict,
          'You have already rated this conversation.',
        );
      }
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.Conflict,
        'Only a resolved conversation can be rated.',
      );
    }
    const row = await this.getForAgents(input.conversationId);
    const dto = toConversationDto(row);
    this.publisher.conversationChanged(dto, true);
    return toVisitorConversationDto(row);
  }

  /** Refuses, as "not found", any conversation that is not the visitor's own. */
  async assertVisitorOwns(visitorId: string, conversationId: string): Promise<void> {
    const found = await this.prisma.conversation.count({
      where: { id: conversationId, visitorId },
    });
    if (!found) throw ApiException.notFound('This conversation does not exist.');
  }

  /**
   * Messages after `afterSeq`, oldest first, one page at a time. The visitor's view leaves out
   * internal notes (their seqs are simply absent; `lastSeq` still covers them, so a client that
   * synced up to it has seen everything it may see).
   */
  async messagesAfter(
    conversationId: string,
    afterSeq: number,
    audience: 'agents' | 'visitor',
  ): Promise<SyncResult> {
    const conversation = await this.prisma.conversation.findUnique({
      where: { id: conversationId },
      select: { lastSeq: true },
    });
    if (!conversation) throw ApiException.notFound('This conversation does not exist.');
    const messages = await this.prisma.message.findMany({
      where: {
        conversationId,
        seq: { gt: afterSeq },
        ...(audience === 'visitor' ? { internal: false } : {}),
      },
      orderBy: { seq: 'asc' },
      take: Limits.historyPageMax,
      include: ATTACHMENTS_IN_ORDER,
    });
    return { conversationId, messages: messages.map(toMessageDto), lastSeq: conversation.lastSeq };
  }

  /**
   * An agent changes a conversation's status or assignee. Assigning needs an active agent;
   * snoozing needs a time in the future. Published after the transaction commits.
   */
  async update(input: UpdateConversation, now = new Date()): Promise<ConversationDto> {
    const data: Prisma.ConversationUncheckedUpdateInput = {};
    if (input.status !== undefined) {
      data.status = input.status;
      data.snoozedUntil = null;
      if (input.status === 'SNOOZED' && input.snoozedUntil !== undefined) {
        const until = new Date(input.snoozedUntil);
        if (until.getTime() <= now.getTime()) {
          throw ApiException.validation('Snooze until a time in the future.', {
            snoozedUntil: 'must be in the future',
          });
        }
        if (until.getTime() - now.getTime() > SNOOZE_MAX_MS) {
          throw ApiException.validation('Snooze for a year at most.', {
            snoozedUntil: 'must be within a year',
          });
        }
        data.snoozedUntil = until;
      }
    }
    const { before, after } = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.conversation.findUnique({
        where: { id: input.conversationId },
        select: { status: true },
      });
      if (!existing) throw ApiException.notFound('This conversation does not exist.');
      if (input.status === 'RESOLVED' && existing.status !== 'RESOLVED') data.resolvedAt = now;
      if (input.assigneeId !== undefined) {
        if (input.assigneeId !== null) {
          const assignee = await tx.agent.findUnique({
            where: { id: input.assigneeId },
            select: { active: true },
          });
          if (!assignee?.active) {
            throw ApiException.validation('Assign the conversation to an active agent.', {
              assigneeId: 'no active agent has this id',
            });
          }
        }
        data.assigneeId = input.assigneeId;
      }
      const updated = await tx.conversation.update({
        where: { id: input.conversationId },
        data,
        include: { visitor: true },
      });
      return { before: existing, after: updated };
    });
    const dto = toConversationDto(after);
    this.publisher.conversationChanged(
      dto,
      visitorStatusOf(before.status) !== visitorStatusOf(after.status),
    );
    return dto;
  }

  /**
   * Opens every snoozed conversation whose time has come. The UPDATE's WHERE is evaluated again
   * on each row it locks, so when several nodes run this at once each conversation is woken
   * (and published) by exactly one of them.
   */
  async wakeSnoozed(now = new Date()): Promise<ConversationDto[]> {
    const woken = await this.prisma.conversation.updateManyAndReturn({
      where: { status: 'SNOOZED', snoozedUntil: { lte: now } },
      data: { status: 'OPEN', snoozedUntil: null },
      select: { id: true },
    });
    if (woken.length === 0) return [];
    const rows = await this.prisma.conversation.findMany({
      where: { id: { in: woken.map((w) => w.id) } },
      include: { visitor: true },
    });
    const dtos = rows.map(toConversationDto);
    // Visitors see PENDING and SNOOZED as open already: only the agents hear of it.
    for (const dto of dtos) this.publisher.conversationChanged(dto, false);
    return dtos;
  }
}
