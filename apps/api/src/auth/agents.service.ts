import { randomBytes } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type AgentListResponse,
  type AgentResponse,
  type CreateAgentRequest,
  type CreateAgentResponse,
  type TeammatesResponse,
} from '@parley/protocol';
import { ApiException } from '../common/api-error';
import { newId } from '../common/ids';
import { Prisma, type Agent } from '../generated/prisma/client';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { toAgentDto } from './auth.service';
import { hashPassword } from './password';

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

  /** The active agents, for any agent (assignment). */
  async teammates(): Promise<TeammatesResponse> {
    const agents = await this.prisma.agent.findMany({
      where: { active: true },
      orderBy: { name: 'asc' },
    });
    return { agents: agents.map(toAgentDto) };
  }

  /** A new agent with a random one-time password, returned this once and stored hashed. */
  async create(input: CreateAgentRequest): Promise<CreateAgentResponse> {
    const password = randomBytes(18).toString('base64url');
    try {
      const agent = await this.prisma.agent.create({
        data: {
          id: newId(),
          email: input.email.toLowerCase(),
          name: input.name,
          role: input.role,
          passwordHash: await hashPassword(password),
        },
      });
      return { agent: toListedAgent(agent), password };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.Conflict,
          'An agent with this email already exists.',
        );
      }
      throw error;
    }
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
