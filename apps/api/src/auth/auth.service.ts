import { Inject, Injectable } from '@nestjs/common';
import type { Agent as AgentDto, UpdateProfileRequest } from '@parley/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Agent } from '../generated/prisma/client';
import { ApiException } from '../common/api-error';
import { hashToken, newId, newToken } from '../common/ids';
import { describeWait } from '../common/rate-limit-spec';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { PrismaService } from '../services/database/prisma.service';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password';
import { RateLimits } from './rate-limits.service';

export interface AuthenticatedAgent {
  agent: Agent;
  sessionId: string;
}

export function toAgentDto(
  agent: Pick<Agent, 'id' | 'email' | 'name' | 'role' | 'avatarUrl'>,
): AgentDto {
  return {
    id: agent.id,
    email: agent.email,
    name: agent.name,
    role: agent.role,
    avatarUrl: agent.avatarUrl,
  };
}

/** Only refresh a session's last-seen time this often, to keep reads cheap. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly limits: RateLimits,
    private readonly publisher: RealtimePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks credentials and opens a session; the returned token goes into the cookie. Failed
   * attempts are throttled per account and per client IP, with exponential backoff.
   */
  async login(
    email: string,
    password: string,
    ip: string,
  ): Promise<{ agent: Agent; token: string; expiresAt: Date }> {
    const emailKey = email.trim().toLowerCase();
    const { loginFailuresPerAccount: byAccount, loginFailuresPerIp: byIp } = this.limits;
    const wait = Math.max(await byAccount.retryAfter(emailKey), await byIp.retryAfter(ip));
    if (wait > 0) {
      throw ApiException.rateLimited(
        `Too many failed sign-in attempts. Try again in ${describeWait(wait)}.`,
        wait,
      );
    }
    const agent = await this.prisma.agent.findUnique({ where: { email: emailKey } });
    const valid = await verifyPassword(password, agent?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!agent || !valid || !agent.active) {
      await Promise.all([byAccount.fail(emailKey), byIp.fail(ip)]);
      throw ApiException.unauthorized(
        agent && valid && !agent.active
          ? 'This account is deactivated.'
          : 'Wrong email or password.',
      );
    }
    await byAccount.reset(emailKey);
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3_600_000);
    await this.prisma.$transaction([
      this.prisma.agentSession.create({
        data: { id: newId(), tokenHash: hashToken(token), agentId: agent.id, expiresAt },
      }),
      this.prisma.agent.update({ where: { id: agent.id }, data: { lastLoginAt: new Date() } }),
    ]);
    return { agent, token, expiresAt };
  }

  /** The agent behind a session token, or null when the session is unknown, expired or the agent deactivated. */
  async authenticate(token: string | undefined): Promise<AuthenticatedAgent | null> {
    if (!token || token.length > 128) return null;
    const session = await this.prisma.agentSession.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { agent: true },
    });
    if (!session || session.expiresAt.getTime() <= Date.now() || !session.agent.active) return null;
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.prisma.agentSession.update({
        where: { id: session.id },
        data: { lastSeenAt: new Date() },
      });
    }
    return { agent: session.agent, sessionId: session.id };
  }

  /**
   * Replaces the agent's password (also the one-time password of a new agent). Every other
   * session of the agent ends and its connections close; this one stays signed in.
   */
  async changePassword(
    auth: AuthenticatedAgent,
    currentPassword: string,
    newPassword: string,
  ): Promise<Agent> {
    if (!(await verifyPassword(currentPassword, auth.agent.passwordHash))) {
      throw ApiException.validation('The current password is wrong.', {
        currentPassword: 'wrong password',
      });
    }
    const passwordHash = await hashPassword(newPassword);
    const others = await this.prisma.agentSession.findMany({
      where: { agentId: auth.agent.id, id: { not: auth.sessionId } },
      select: { id: true },
    });
    const [agent] = await this.prisma.$transaction([
      this.prisma.agent.update({
        where: { id: auth.agent.id },
        data: { passwordHash, mustChangePassword: false },
      }),
      this.prisma.agentSession.deleteMany({
        where: { agentId: auth.agent.id, id: { not: auth.sessionId } },
      }),
    ]);
    for (const session of others) this.publisher.disconnectAgentSession(session.id);
    return agent;
  }

  /** The agent's own display name and picture. */
  async updateProfile(agentId: string, input: UpdateProfileRequest): Promise<Agent> {
    return this.prisma.agent.update({
      where: { id: agentId },
      data: {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.avatarUrl === undefined ? {} : { avatarUrl: input.avatarUrl }),
      },
    });
  }

  /** Ends the session and closes the sockets opened with it. */
  async logout(token: string | undefined): Promise<void> {
    if (!token || token.length > 128) return;
    const session = await this.prisma.agentSession.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true },
    });
    if (!session) return;
    await this.prisma.agentSession.deleteMany({ where: { id: session.id } });
    this.publisher.disconnectAgentSession(session.id);
  }
}
