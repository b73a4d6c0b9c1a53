import { Logger, UseFilters } from '@nestjs/common';
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
  Events,
  Namespace,
  Rooms,
  ok,
  type Ack,
  type ContractHandlers,
  type SendMessageResult,
  type SyncResult,
} from '@parley/protocol';
import type { z } from 'zod';
import { AuthService } from '../auth/auth.service';
import { readSessionToken } from '../auth/session-cookie';
import { ApiException } from '../common/api-error';
import { ConversationsService } from '../conversations/conversations.service';
import type { Agent } from '../generated/prisma/client';
import { MessagesService } from '../messages/messages.service';
import { PrismaService } from '../services/database/prisma.service';
import { ConnectionRegistry } from './connection-registry';
import { RealtimePublisher } from './realtime.publisher';
import type { AgentNamespace, AgentSocket } from './types';
import { guardHandshakes, WsAckExceptionFilter } from './ws-errors';
import { WsZodPipe } from './ws-zod.pipe';

type Contract = typeof AgentClientContract;
type Payload<K extends keyof Contract> = z.infer<Contract[K]['request']>;

export interface AgentContext {
  agent: Agent;
}

/** `/agent`: agents and admins, authenticated at the handshake by their session cookie. */
@WebSocketGateway({ namespace: Namespace.Agent })
@UseFilters(WsAckExceptionFilter)
export class AgentGateway
  implements OnGatewayInit<AgentNamespace>, OnGatewayConnection<AgentSocket>
{
  private readonly logger = new Logger('AgentGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
    private readonly registry: ConnectionRegistry,
  ) {}

  /** The contract's handlers; `satisfies` fails to compile when they and the contract disagree. */
  readonly handlers = {
    [Events.MessageSend]: (payload, { agent }) => this.messages.sendFromAgent(agent, payload),
    [Events.ConversationSync]: (payload, _ctx) =>
      this.conversations.messagesAfter(payload.conversationId, payload.afterSeq),
  } satisfies ContractHandlers<Contract, AgentContext>;

  afterInit(namespace: AgentNamespace): void {
    this.publisher.attachAgent(namespace);
    guardHandshakes(namespace, (socket) => this.authenticate(socket));
  }

  async handleConnection(socket: AgentSocket): Promise<void> {
    const sites = await this.prisma.site.findMany({ select: { id: true } });
    await socket.join([
      Rooms.agent(socket.data.agentId),
      ...sites.map((s) => Rooms.siteInbox(s.id)),
    ]);
    const agent = await this.prisma.agent.findUnique({ where: { id: socket.data.agentId } });
    this.registry.track(
      socket,
      Namespace.Agent,
      socket.data.agentId,
      agent?.name ?? agent?.email ?? 'Agent',
    );
  }

  @SubscribeMessage(Events.MessageSend)
  async onMessageSend(
    @ConnectedSocket() socket: AgentSocket,
    @MessageBody(new WsZodPipe(AgentClientContract[Events.MessageSend].request, 'message'))
    payload: Payload<typeof Events.MessageSend>,
  ): Promise<Ack<SendMessageResult>> {
    return ok(await this.handlers[Events.MessageSend](payload, await this.context(socket)));
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

  private async authenticate(socket: AgentSocket): Promise<void> {
    const authenticated = await this.auth.authenticate(readSessionToken(socket.request));
    if (!authenticated) throw ApiException.unauthorized('Sign in to the console to connect.');
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
      socket.disconnect(true);
      throw ApiException.unauthorized('This account is deactivated.');
    }
    return { agent };
  }
}
