import { Body, Controller, Get, Param, Patch, Req, UseGuards } from '@nestjs/common';
import {
  IdSchema,
  UpdateAgentRequestSchema,
  type AgentListResponse,
  type AgentResponse,
  type UpdateAgentRequest,
} from '@parley/protocol';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AgentGuard, authOf, Roles, type AgentRequest } from './agent.guard';
import { AgentsService } from './agents.service';

@Controller('api/agents')
@UseGuards(AgentGuard)
@Roles('ADMIN')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  list(): Promise<AgentListResponse> {
    return this.agents.list();
  }

  @Patch(':id')
  update(
    @Param('id', new ZodValidationPipe(IdSchema, 'agent id')) id: string,
    @Body(new ZodValidationPipe(UpdateAgentRequestSchema, 'agent update')) body: UpdateAgentRequest,
    @Req() req: AgentRequest,
  ): Promise<AgentResponse> {
    return this.agents.setActive(id, body.active, authOf(req).agent);
  }
}
