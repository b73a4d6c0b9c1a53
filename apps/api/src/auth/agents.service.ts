import { randomBytes } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type AgentListResponse,
  type AgentResponse,
  type CreateAgentRequest,
  type CreateAgentResponse,
  type ManagedAgent,
  type TeammatesResponse,
  type UpdateAgentRequest,
} from '@parley/protocol';
import { ApiException } from '../common/api-error';
import { newId } from '../common/ids';
import { Prisma, type Agent } from '../generated/prisma/client';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { toAgentDto } from './auth.service';
import { hashPassword } from './password';

function toManagedAgent(agent: Agent): ManagedAgent {
  return {
    ...toAgentDto(agent),
    active: agent.active,
    mustChangePassword: agent.mustChangePassword,
    lastLoginAt: agent.lastLoginAt?.toISOString() ?? null,
  };
}

/**
 * Admins manage agents: create them with a one-time password, change their role, name and
 * picture, deactivate and reactivate them. The team always keeps at least one active admin.
 */
@Injectable()
export class AgentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async list(): Promise<AgentListResponse> {
    const agents = await this.prisma.agent.findMany({ orderBy: { createdAt: 'asc' } });
    return { agents: agents.map(toManagedAgent) };
  }

  /** The active agents, for any agent (assignment). */
  async teammates(): Promise<TeammatesResponse> {
    const agents = await this.prisma.agent.findMany({
      where: { active: true },
      orderBy: { name: 'asc' },
    });
    return { agents: agents.map(toAgentDto) };
  }

  /**
   * A new agent with a random one-time password, returned this once and stored hashed; the agent
   * must choose its own password at first sign-in.
   */
  async create(input: CreateAgentRequest): Promise<CreateAgentResponse> {
    const password = randomBytes(18).toString('base64url');
    try {
      const agent = await this.prisma.agent.create({
        data: {
          id: newId(),
          email: input.email.toLowerCase(),
          name: input.name,
          role: input.role,
          avatarUrl: input.avatarUrl ?? null,
          mustChangePassword: true,
          passwordHash: await hashPassword(password),
        },
      });
      return { agent: toManagedAgent(agent), password };
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
   * Changes an agent's name, picture, role or active state. Deactivating ends every session of
   * the agent and closes its live connections on every node at once; reactivating lets it sign
   * in again. A change that would leave no active admin is refused with LAST_ADMIN: the active
   * admins' rows are locked first, so two admins demoting each other at once cannot both win.
   */
  async update(agentId: string, input: UpdateAgentRequest, by: Agent): Promise<AgentResponse> {
    if (agentId === by.id && input.active === false) {
      throw ApiException.validation('You cannot deactivate your own account.');
    }
    const agent = await this.prisma.$transaction(async (tx) => {
      const admins = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM agents WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`;
      const existing = await tx.agent.findUnique({ where: { id: agentId } });
      if (!existing) throw ApiException.notFound('This agent does not exist.');
      const wasActiveAdmin = existing.role === 'ADMIN' && existing.active;
      const staysActiveAdmin =
        (input.role ?? existing.role) === 'ADMIN' && (input.active ?? existing.active);
      if (wasActiveAdmin && !staysActiveAdmin && admins.every((a) => a.id === agentId)) {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.LastAdmin,
          'This is the last active admin: make another agent an admin first.',
        );
      }
      const updated = await tx.agent.update({
        where: { id: agentId },
        data: {
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.avatarUrl === undefined ? {} : { avatarUrl: input.avatarUrl }),
          ...(input.role === undefined ? {} : { role: input.role }),
          ...(input.active === undefined ? {} : { active: input.active }),
        },
      });
      if (input.active === false) await tx.agentSession.deleteMany({ where: { agentId } });
      return updated;
    });
    if (input.active === false) this.publisher.disconnectAgent(agentId);
    return { agent: toManagedAgent(agent) };
  }
}
