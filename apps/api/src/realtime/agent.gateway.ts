import { HttpStatus, Inject, Logger, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  AgentClientContract,
  ErrorCode,
  Events,
  Namespace,
  Rooms,
  ok,
  type Ack,
  type ContractHandlers,
  type Conversation,
  type ReadUpdate,
  type SendMessageResult,
  type SyncResult,
} from '@parley/protocol';
import type { z } from 'zod';
import { AuthService } from '../auth/auth.service';
import { RateLimits } from '../auth/rate-limits.service';
import { readSessionToken } from '../auth/session-cookie';
import { ApiException } from '../common/api-error';
import { clientAddress, compileTrustedProxies, type TrustProxy } from '../common/client-address';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ConversationsService } from '../conversations/conversations.service';
import type { Agent } from '../generated/prisma/client';
import { MessagesService } from '../messages/messages.service';
import { PresenceService } from '../presence/presence.service';
import { PrismaService } from '../services/database/prisma.service';
import { isOwnOrigin, originHeader } from '../sites/origins';
import { ConnectionRegistry } from './connection-registry';
import { TypingThrottle } from './typing-throttle';
import { RealtimePublisher } from './realtime.publisher';
import type { AgentNamespace, AgentSocket } from './types';
import { guardHandshakes, setUpConnection, WsAckExceptionFilter } from './ws-errors';
import { WsZodPipe } from './ws-zod.pipe';

type Contract = typeof AgentClientContract;
type Payload<K extends keyof Contract> = z.infer<Contract[K]['request']>;

export interface AgentContext {
  agent: Agent;
}

/**
 * `/agent`: agents and admins, authenticated at the handshake by their session cookie. A browser
 * handshake must come from Parley's own origin: another site's page cannot ride on the cookie
 * (WebSocket has no CORS to stop it). Handshakes are limited per client IP.
 */
@WebSocketGateway({ namespace: Namespace.Agent })
@UseFilters(WsAckExceptionFilter)
export class AgentGateway
  implements OnGatewayInit<AgentNamespace>, OnGatewayConnection<AgentSocket>
{
  private readonly logger = new Logger('AgentGateway');
  private readonly trust: TrustProxy;
  /** The agent as read at the handshake (its id never changes). */
  private readonly connectedAgents = new WeakMap<AgentSocket, Agent>();
  private readonly typingThrottle = new TypingThrottle();

  constructor(
    private readonly auth: AuthService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
    private readonly registry: ConnectionRegistry,
    private readonly limits: RateLimits,
    private readonly presence: PresenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.trust = compileTrustedProxies(config.TRUSTED_PROXIES);
  }

  /** The contract's handlers; `satisfies` fails to compile when they and the contract disagree. */
  readonly handlers = {
    [Events.MessageSend]: (payload, { agent }) => this.messages.sendFromAgent(agent, payload),
    [Events.ConversationSync]: (payload, _ctx) =>
      this.conversations.messagesAfter(payload.conversationId, payload.afterSeq, 'agents'),
    [Events.ConversationUpdate]: (payload, _ctx) => this.conversations.update(payload),
    [Events.TypingSet]: async (payload, { agent }) => {
      const conversation = await this.conversations.getForAgents(payload.conversationId);
      this.publisher.typing(
        {
          conversationId: conversation.id,
          author: 'AGENT',
          authorId: agent.id,
          name: agent.name,
          typing: payload.typing,
        },
        { siteId: conversation.siteId, visitorId: conversation.visitorId },
      );
      return {};
    },
    [Events.ReadMark]: (payload, _ctx) => this.conversations.markRead('AGENT', payload),
  } satisfies ContractHandlers<Contract, AgentContext>;

  afterInit(namespace: AgentNamespace): void {
    this.publisher.attachAgent(namespace);
    guardHandshakes(namespace, (socket) => this.authenticate(socket));
  }

  async handleConnection(socket: AgentSocket): Promise<void> {
    const { agentId } = socket.data;
    // Counted by the next widget config from now on, before any request can ask.
    this.presence.forgetAvailability();
    // Once the socket has left its rooms: offline when it was the agent's last, on any node.
    socket.once('disconnect', () => {
      this.presence.forgetAvailability();
      this.typingThrottle.forget(socket.id);
      void this.presence.agentDisconnected(agentId);
    });
    await setUpConnection(socket, this.logger, async () => {
      const sites = await this.prisma.site.findMany({ select: { id: true } });
      // Closed meanwhile: joining now would leave it in the rooms for good.
      if (socket.disconnected) return;
      await socket.join([
        Rooms.agent(agentId),
        Rooms.agentSession(socket.data.sessionId),
        Rooms.agents(),
        ...sites.map((s) => Rooms.siteInbox(s.id)),
      ]);
      if (socket.connected) void this.presence.agentConnected(agentId);
      const agent = await this.prisma.agent.findUnique({ where: { id: socket.data.agentId } });
      this.registry.track(
        socket,
        Namespace.Agent,
        socket.data.agentId,
        agent?.name ?? agent?.email ?? 'Agent',
      );
    });
  }

  /**
   * The hot path: no read of the agent before the write. The agent read at the handshake is
   * enough for its id; the write itself refuses a deactivated agent (401, and the socket is sent
   * away as by `context`) and stores the agent's current name.
   */
  @SubscribeMessage(Events.MessageSend)
  async onMessageSend(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody(new WsZodPipe(AgentClientContract[Events.MessageSend].request, 'message'))
    payload: Payload<typeof Events.MessageSend>,
  ): Promise<Ack<SendMessageResult>> {
    const known = this.connectedAgents.get(socket);
    const context = known ? { agent: known } : await this.context(socket);
    try {
      return ok(await this.handlers[Events.MessageSend](payload, context));
    } catch (error) {
      if (error instanceof ApiException && error.getStatus() === 401) {
        setImmediate(() => socket.disconnect(true));
      }
      throw error;
    }
  }

  @SubscribeMessage(Events.ConversationSync)
  async onConversationSync(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody(
      new WsZodPipe(AgentClientContract[Events.ConversationSync].request, 'sync request'),
    )
    payload: Payload<typeof Events.ConversationSync>,
  ): Promise<Ack<SyncResult>> {
    return ok(await this.handlers[Events.ConversationSync](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.ConversationUpdate)
  async onConversationUpdate(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody(
      new WsZodPipe(AgentClientContract[Events.ConversationUpdate].request, 'conversation update'),
    )
    payload: Payload<typeof Events.ConversationUpdate>,
  ): Promise<Ack<Conversation>> {
    return ok(await this.handlers[Events.ConversationUpdate](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.TypingSet)
  async onTypingSet(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody(new WsZodPipe(AgentClientContract[Events.TypingSet].request, 'typing notice'))
    payload: Payload<typeof Events.TypingSet>,
  ): Promise<Ack<Record<string, never>>> {
    this.typingThrottle.hit(socket.id);
    return ok(await this.handlers[Events.TypingSet](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.ReadMark)
  async onReadMark(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody(new WsZodPipe(AgentClientContract[Events.ReadMark].request, 'read position'))
    payload: Payload<typeof Events.ReadMark>,
  ): Promise<Ack<ReadUpdate>> {
    return ok(await this.handlers[Events.ReadMark](payload, await this.context(socket)));
  }

  private async authenticate(socket: AgentSocket): Promise<void> {
    await this.limits.connection(clientAddress(socket.request, this.trust));
    const origin = originHeader(socket.request);
    if (
      origin !== undefined &&
      !isOwnOrigin(origin, socket.request, this.trust, this.config.PUBLIC_URL)
    ) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.OriginNotAllowed,
        `The console connection must come from Parley itself, not from ${origin}.`,
      );
    }
    const authenticated = await this.auth.authenticate(readSessionToken(socket.request));
    if (!authenticated) throw ApiException.unauthorized('Sign in to the console to connect.');
    if (authenticated.agent.mustChangePassword) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.PasswordChangeRequired,
        'Choose your own password before the console connects.',
      );
    }
    this.connectedAgents.set(socket, authenticated.agent);
    socket.data = {
      agentId: authenticated.agent.id,
      role: authenticated.agent.role,
      sessionId: authenticated.sessionId,
    };
    this.logger.debug(
      `agent ${authenticated.agent.id} connected over ${socket.conn.transport.name}`,
    );
  }

  /** Re-reads the agent on every event: a deactivated agent can do nothing more. */
  private async context(socket: AgentSocket): Promise<AgentContext> {
    const agent = await this.prisma.agent.findUnique({ where: { id: socket.data.agentId } });
    if (!agent?.active) {
      // After the failed ack has gone out.
      setImmediate(() => socket.disconnect(true));
      throw ApiException.unauthorized('This account is deactivated.');
    }
    return { agent };
  }
}
