import { Injectable } from '@nestjs/common';
import { Limits, type ConversationStatus, type SyncResult } from '@parley/protocol';
import { ApiException } from '../common/api-error';
import { PrismaService } from '../services/database/prisma.service';
import {
  toConversationDto,
  toMessageDto,
  toVisitorConversationDto,
  type ConversationWithVisitor,
} from './conversation.mapper';

@Injectable()
export class ConversationsService {
  constructor(private readonly prisma: PrismaService) {}

  /** The agents' inbox: conversations by last activity, newest first. */
  async listForAgents(status?: ConversationStatus) {
    const rows = await this.prisma.conversation.findMany({
      where: status ? { status } : {},
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

  /** A visitor's conversations, newest first. */
  async listForVisitor(visitorId: string) {
    const rows = await this.prisma.conversation.findMany({
      where: { visitorId },
      orderBy: { createdAt: 'desc' },
      take: 50,
    });
    return rows.map(toVisitorConversationDto);
  }

  /** Refuses, as "not found", any conversation that is not the visitor's own. */
  async assertVisitorOwns(visitorId: string, conversationId: string): Promise<void> {
    const found = await this.prisma.conversation.count({
      where: { id: conversationId, visitorId },
    });
    if (!found) throw ApiException.notFound('This conversation does not exist.');
  }

  /** Messages after `afterSeq`, oldest first, one page at a time. */
  async messagesAfter(conversationId: string, afterSeq: number): Promise<SyncResult> {
    const conversation = await this.prisma.conversation.findUnique({
      where: { id: conversationId },
      select: { lastSeq: true },
    });
    if (!conversation) throw ApiException.notFound('This conversation does not exist.');
    const messages = await this.prisma.message.findMany({
      where: { conversationId, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
      take: Limits.historyPageMax,
    });
    return { conversationId, messages: messages.map(toMessageDto), lastSeq: conversation.lastSeq };
  }
}
