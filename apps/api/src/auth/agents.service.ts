import { Injectable } from '@nestjs/common';
import type { AgentListResponse, AgentResponse } from '@parley/protocol';
import { ApiException } from '../common/api-error';
import type { Agent } from '../generated/prisma/client';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { toAgentDto } from './auth.service';

function toListedAgent(agent: Agent) {
  return { ...toAgentDto(agent), active: agent.active };
}

/** Admins manage agents: list them, deactivate and reactivate them. */
@Injectable()
export class AgentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async list(): Promise<AgentListResponse> {
    const agents = await this.prisma.agent.findMany({ orderBy: { createdAt: 'asc' } });
    return { agents: agents.map(toListedAgent) };
  }

  /**
   * Deactivating ends every session of the agent and closes its live connections on every
   * node at once; reactivating lets it sign in again.
   */
  async setActive(agentId: string, active: boolean, by: Agent): Promise<AgentResponse> {
    if (agentId === by.id && !active) {
      throw ApiException.validation('You cannot deactivate your own account.');
    }
    const existing = await this.prisma.agent.findUnique({ where: { id: agentId } });
    if (!existing) throw ApiException.notFound('This agent does not exist.');
    const agent = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.agent.update({ where: { id: agentId }, data: { active } });
      if (!active) await tx.agentSession.deleteMany({ where: { agentId } });
      return updated;
    });
    if (!active) this.publisher.disconnectAgent(agentId);
    return { agent: toListedAgent(agent) };
  }
}
