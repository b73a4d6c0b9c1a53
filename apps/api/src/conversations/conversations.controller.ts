import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import {
  IdSchema,
  ListConversationsQuerySchema,
  ListMessagesQuerySchema,
  type ListConversationsQuery,
  type ListConversationsResponse,
  type ListMessagesQuery,
  type SyncResult,
} from '@parley/protocol';
import { AgentGuard, authOf, type AgentRequest } from '../auth/agent.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { ConversationsService } from './conversations.service';

@Controller('api/conversations')
@UseGuards(AgentGuard)
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  async list(
    @Query(new ZodValidationPipe(ListConversationsQuerySchema, 'query'))
    query: ListConversationsQuery,
    @Req() req: AgentRequest,
  ): Promise<ListConversationsResponse> {
    return {
      conversations: await this.conversations.listForAgents(
        query.status,
        query.view,
        authOf(req).agent.id,
      ),
    };
  }

  @Get(':id/messages')
  messages(
    @Param('id', new ZodValidationPipe(IdSchema, 'conversation id')) id: string,
    @Query(new ZodValidationPipe(ListMessagesQuerySchema, 'query')) query: ListMessagesQuery,
  ): Promise<SyncResult> {
    return this.conversations.messagesAfter(id, query.afterSeq, 'agents');
  }
}
