import { Inject, Logger, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  ErrorCode,
  Events,
  missingPreChatFields,
  Namespace,
  Rooms,
  WidgetAuthSchema,
  WidgetClientContract,
  ok,
  type Ack,
  type ContractHandlers,
  type SendMessageResult,
  type SyncResult,
  type VisitorConversationList,
  type VisitorSession,
  type ReadUpdate,
  type VisitorConversation,
} from '@parley/protocol';
import type { z } from 'zod';
import { RateLimits } from '../auth/rate-limits.service';
import { clientAddress, compileTrustedProxies, type TrustProxy } from '../common/client-address';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AttachmentsService } from '../attachments/attachments.service';
import { AutoAssignment } from '../conversations/auto-assignment';
import { ApiException } from '../common/api-error';
import { ConversationsService } from '../conversations/conversations.service';
import type { Visitor } from '../generated/prisma/client';
import { MessagesService } from '../messages/messages.service';
import { PresenceService } from '../presence/presence.service';
import { PrismaService } from '../services/database/prisma.service';
import { isOwnOrigin, originHeader } from '../sites/origins';
import { preChatOf, SitesService } from '../sites/sites.service';
import { toVisitorDetails } from '../visitors/visitor.mapper';
import { VisitorsService } from '../visitors/visitors.service';
import { ConnectionRegistry } from './connection-registry';
import { TypingThrottle } from './typing-throttle';
import { RealtimePublisher } from './realtime.publisher';
import type { WidgetNamespace, WidgetSocket } from './types';
import {
  guardHandshakes,
  HandshakeError,
  setUpConnection,
  WsAckExceptionFilter,
} from './ws-errors';
import { WsZodPipe } from './ws-zod.pipe';

type Contract = typeof WidgetClientContract;
type Payload<K extends keyof Contract> = z.infer<Contract[K]['request']>;

/** What a widget handler knows about its caller. */
export interface VisitorContext {
  visitor: Visitor;
}

/** The visitor a socket was opened for: its id and site, which never change. */
type VisitorRef = Pick<Visitor, 'id' | 'siteId'>;

/**
 * `/widget`: visitors. The handshake carries the site key and the visitor token in `auth`;
 * a new visitor gets a token in `session:ready`. Every payload is parsed with its protocol schema.
 * Handshakes are limited per client IP and checked against the site's allowed origins; messages
 * are limited per socket and new conversations per client IP.
 */
@WebSocketGateway({ namespace: Namespace.Widget })
@UseFilters(WsAckExceptionFilter)
export class WidgetGateway
  implements OnGatewayInit<WidgetNamespace>, OnGatewayConnection<WidgetSocket>
{
  private readonly logger = new Logger('WidgetGateway');
  /** Tokens issued during a handshake, handed over in `session:ready`. */
  private readonly issuedTokens = new WeakMap<WidgetSocket, string>();
  private readonly trust: TrustProxy;
  private readonly typingThrottle = new TypingThrottle();

  constructor(
    private readonly sites: SitesService,
    private readonly visitors: VisitorsService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly prisma: PrismaService,
    private readonly publisher: RealtimePublisher,
    private readonly registry: ConnectionRegistry,
    private readonly limits: RateLimits,
    private readonly assignment: AutoAssignment,
    private readonly presence: PresenceService,
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.trust = compileTrustedProxies(config.TRUSTED_PROXIES);
  }

  /** The contract's handlers; `satisfies` fails to compile when they and the contract disagree. */
  readonly handlers = {
    [Events.MessageSend]: (payload, { visitor }: { visitor: VisitorRef }) =>
      this.messages.sendFromVisitor(visitor, payload),
    [Events.ConversationSync]: async (payload, { visitor }) => {
      await this.conversations.assertVisitorOwns(visitor.id, payload.conversationId);
      return this.conversations.messagesAfter(payload.conversationId, payload.afterSeq, 'visitor');
    },
    [Events.ConversationList]: async (_payload, { visitor }) => ({
      conversations: await this.conversations.listForVisitor(visitor.id),
    }),
    [Events.VisitorUpdate]: async (payload, { visitor }) => {
      const updated = await this.visitors.update(visitor.id, payload);
      // The console's visitor panel follows the page the visitor is on, live.
      this.publisher.visitorUpdated(updated.siteId, toVisitorDetails(updated));
      return this.session(updated);
    },
    [Events.TypingSet]: async (payload, { visitor }) => {
      await this.conversations.assertVisitorOwns(visitor.id, payload.conversationId);
      this.publisher.typing(
        {
          conversationId: payload.conversationId,
          author: 'VISITOR',
          authorId: visitor.id,
          name: visitor.name,
          typing: payload.typing,
        },
        { siteId: visitor.siteId, visitorId: visitor.id },
      );
      return {};
    },
    [Events.ReadMark]: (payload, { visitor }) =>
      this.conversations.markRead('VISITOR', payload, visitor.id),
    [Events.ConversationRate]: (payload, { visitor }) =>
      this.conversations.rate(visitor.id, payload),
  } satisfies ContractHandlers<Contract, VisitorContext>;

  afterInit(namespace: WidgetNamespace): void {
    this.publisher.attachWidget(namespace);
    guardHandshakes(namespace, (socket) => this.authenticate(socket));
  }

  async handleConnection(socket: WidgetSocket): Promise<void> {
    const { visitorId, siteId } = socket.data;
    socket.once('disconnect', () => {
      this.limits.socketClosed(socket.id);
      void this.presence.visitorDisconnected(siteId, visitorId);
      this.typingThrottle.forget(socket.id);
    });
    await setUpConnection(socket, this.logger, async () => {
      await socket.join([Rooms.visitor(visitorId), Rooms.siteVisitors(siteId)]);
      if (socket.connected) this.presence.visitorConnected(siteId, visitorId);
      const visitor = await this.prisma.visitor.findUniqueOrThrow({ where: { id: visitorId } });
      this.registry.track(
        socket,
        Namespace.Widget,
        visitor.id,
        visitor.name ?? visitor.email ?? `Visitor ${visitor.id.slice(0, 6)}`,
      );
      const session = await this.session(visitor);
      const token = this.issuedTokens.get(socket);
      this.issuedTokens.delete(socket);
      socket.emit(Events.SessionReady, token ? { ...session, visitorToken: token } : session);
    });
  }

  /**
   * The hot path: no read of the visitor before the write. The id and site the handshake put in
   * `socket.data` are enough (no copy of the visitor row is kept per socket); the write itself
   * refuses a revoked visitor (401, and the socket is sent away as by `context`) and stores the
   * visitor's current name.
   */
  @SubscribeMessage(Events.MessageSend)
  async onMessageSend(
    @ConnectedSocket() socket: WidgetSocket,
    @MessageBody(new WsZodPipe(WidgetClientContract[Events.MessageSend].request, 'message'))
    payload: Payload<typeof Events.MessageSend>,
  ): Promise<Ack<SendMessageResult>> {
    this.limits.message(socket.id);
    const context = { visitor: { id: socket.data.visitorId, siteId: socket.data.siteId } };
    const starts = await this.startsConversation(context.visitor, payload);
    const ip = starts ? clientAddress(socket.request, this.trust) : '';
    if (starts) {
      await this.limits.assertMayStartConversation(ip);
      await this.assertPreChatDone(context.visitor);
    }
    const result = await this.handlers[Events.MessageSend](payload, context).catch(
      (error: unknown) => {
        if (error instanceof ApiException && error.getStatus() === 401) {
          setImmediate(() => socket.disconnect(true));
        }
        throw error;
      },
    );
    if (starts && !result.duplicate && result.seq === 1) {
      await this.limits.conversationStarted(ip);
      // After the ack: the visitor never waits for the choice of an agent.
      setImmediate(() => void this.assignment.assignNew(result.conversationId));
    }
    return ok(result);
  }

  @SubscribeMessage(Events.ConversationSync)
  async onConversationSync(
    @ConnectedSocket() socket: WidgetSocket,
    @MessageBody(
      new WsZodPipe(WidgetClientContract[Events.ConversationSync].request, 'sync request'),
    )
    payload: Payload<typeof Events.ConversationSync>,
  ): Promise<Ack<SyncResult>> {
    return ok(await this.handlers[Events.ConversationSync](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.ConversationList)
  async onConversationList(
    @ConnectedSocket() socket: WidgetSocket,
    @MessageBody(
      new WsZodPipe(WidgetClientContract[Events.ConversationList].request, 'list request'),
    )
    payload: Payload<typeof Events.ConversationList>,
  ): Promise<Ack<VisitorConversationList>> {
    return ok(await this.handlers[Events.ConversationList](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.VisitorUpdate)
  async onVisitorUpdate(
    @ConnectedSocket() socket: WidgetSocket,
    @MessageBody(
      new WsZodPipe(WidgetClientContract[Events.VisitorUpdate].request, 'visitor details'),
    )
    payload: Payload<typeof Events.VisitorUpdate>,
  ): Promise<Ack<VisitorSession>> {
    return ok(await this.handlers[Events.VisitorUpdate](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.TypingSet)
  async onTypingSet(
    @ConnectedSocket() socket: WidgetSocket,
    @MessageBody(new WsZodPipe(WidgetClientContract[Events.TypingSet].request, 'typing notice'))
    payload: Payload<typeof Events.TypingSet>,
  ): Promise<Ack<Record<string, never>>> {
    this.typingThrottle.hit(socket.id);
    return ok(await this.handlers[Events.TypingSet](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.ReadMark)
  async onReadMark(
    @ConnectedSocket() socket: WidgetSocket,
    @MessageBody(new WsZodPipe(WidgetClientContract[Events.ReadMark].request, 'read position'))
    payload: Payload<typeof Events.ReadMark>,
  ): Promise<Ack<ReadUpdate>> {
    return ok(await this.handlers[Events.ReadMark](payload, await this.context(socket)));
  }

  @SubscribeMessage(Events.ConversationRate)
  async onConversationRate(
    @ConnectedSocket() socket: WidgetSocket,
    @MessageBody(new WsZodPipe(WidgetClientContract[Events.ConversationRate].request, 'rating'))
    payload: Payload<typeof Events.ConversationRate>,
  ): Promise<Ack<VisitorConversation>> {
    return ok(await this.handlers[Events.ConversationRate](payload, await this.context(socket)));
  }

  /** A site with a pre-chat form refuses a first message until its required fields are given. */
  private async assertPreChatDone(known: VisitorRef): Promise<void> {
    const site = await this.sites.get(known.siteId);
    const settings = preChatOf(site);
    if (settings.name !== 'required' && settings.email !== 'required') return;
    // Read again: the details may have been given on this connection just now.
    const visitor = await this.visitors.current(known.id);
    const missing = missingPreChatFields(settings, visitor);
    if (missing.length > 0) {
      throw ApiException.validation(
        `Give your ${missing.join(' and ')} before starting a conversation.`,
        Object.fromEntries(missing.map((field) => [field, 'required'])),
      );
    }
  }

  private async authenticate(socket: WidgetSocket): Promise<void> {
    await this.limits.connection(clientAddress(socket.request, this.trust));
    const parsed = WidgetAuthSchema.safeParse(socket.handshake.auth);
    if (!parsed.success) {
      throw new HandshakeError(
        ErrorCode.ValidationFailed,
        'The widget handshake needs a valid siteKey (and visitorToken, when the visitor has one).',
      );
    }
    const site = await this.sites.findByKey(parsed.data.siteKey);
    // A page that connects itself must be allowed; the chat frame (on Parley's own origin) says
    // which page embeds it, and browsers enforce that claim through the frame's frame-ancestors.
    const origin = originHeader(socket.request);
    const own =
      origin !== undefined &&
      isOwnOrigin(origin, socket.request, this.trust, this.config.PUBLIC_URL);
    if (origin !== undefined && !own) this.sites.assertOriginAllowed(site, origin);
    const pageOrigin = parsed.data.pageOrigin;
    if (
      pageOrigin !== undefined &&
      !isOwnOrigin(pageOrigin, socket.request, this.trust, this.config.PUBLIC_URL)
    ) {
      this.sites.assertOriginAllowed(site, pageOrigin);
    }
    const { visitor, issuedToken } = await this.visitors.start(
      site,
      parsed.data.visitorToken,
      {
        userAgent: socket.handshake.headers['user-agent'],
        pageUrl: parsed.data.pageUrl,
        referrer: parsed.data.referrer,
        language: parsed.data.language,
        timeZone: parsed.data.timeZone,
      },
      parsed.data.identity,
    );
    socket.data = { siteId: site.id, visitorId: visitor.id };
    if (issuedToken) this.issuedTokens.set(socket, issuedToken);
    this.logger.debug(`visitor ${visitor.id} connected over ${socket.conn.transport.name}`);
  }

  /** Re-reads the visitor on every event: a revoked visitor can do nothing more. */
  private async context(socket: WidgetSocket): Promise<VisitorContext> {
    try {
      return { visitor: await this.visitors.current(socket.data.visitorId) };
    } catch (error) {
      // A revoked or vanished visitor is sent away (after the failed ack has gone out); a
      // passing database error only fails this request, and the connection stays.
      if (error instanceof ApiException && error.getStatus() === 401) {
        setImmediate(() => socket.disconnect(true));
      }
      throw error;
    }
  }

  /** Whether this send would open a new conversation (none named, none open). */
  private async startsConversation(
    visitor: VisitorRef,
    payload: Payload<typeof Events.MessageSend>,
  ): Promise<boolean> {
    if (payload.conversationId !== undefined) return false;
    const open = await this.prisma.conversation.count({
      where: { visitorId: visitor.id, status: { not: 'RESOLVED' } },
    });
    return open === 0;
  }

  private async session(visitor: Visitor): Promise<VisitorSession> {
    return {
      visitorId: visitor.id,
      name: visitor.name,
      email: visitor.email,
      userId: visitor.externalUserId,
      conversations: await this.conversations.listForVisitor(visitor.id),
      attachmentKey: await this.attachments.keyFor(visitor.id),
    };
  }
}
