import { Body, Controller, Get, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import {
  CreateAgentRequestSchema,
  IdSchema,
  type CreateAgentRequest,
  type CreateAgentResponse,
  type TeammatesResponse,
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

  /** A new agent with a one-time password, returned this once. */
  @Post()
  create(
    @Body(new ZodValidationPipe(CreateAgentRequestSchema, 'new agent')) body: CreateAgentRequest,
  ): Promise<CreateAgentResponse> {
    return this.agents.create(body);
  }

  @Patch(':id')
  update(
    @Param('id', new ZodValidationPipe(IdSchema, 'agent id')) id: string,
    @Body(new ZodValidationPipe(UpdateAgentRequestSchema, 'agent update')) body: UpdateAgentRequest,
    @Req() req: AgentRequest,
  ): Promise<AgentResponse> {
    return this.agents.update(id, body, authOf(req).agent);
  }
}

/** Any agent: the active agents, to assign conversations to. */
@Controller('api/teammates')
@UseGuards(AgentGuard)
export class TeammatesController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  list(): Promise<TeammatesResponse> {
    return this.agents.teammates();
  }
}
