import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  Events,
  Rooms,
  type AgentPresence,
  type AgentsAvailability,
  type ClientTransportConfig,
  type VisitorDetails,
  type VisitorPresence,
  type Conversation,
  type Message,
  type ReadUpdate,
  type TypingUpdate,
  type WidgetSettings,
} from '@parley/protocol';
import { RedisService } from '../services/redis/redis.service';
import type { AgentNamespace, WidgetNamespace } from './types';

/**
 * Publishes committed changes to the rooms that should see them, through the socket.io adapter
 * (so every node's clients receive them). Callers publish only after their transaction commits.
 */
@Injectable()
export class RealtimePublisher implements OnModuleDestroy {
  private widget: WidgetNamespace | null = null;
  private agent: AgentNamespace | null = null;
  private readonly stopWatchingRedis: () => void;

  constructor(redis: RedisService) {
    this.stopWatchingRedis = redis.onRecovered(() => {
      this.syncRequired();
    });
  }

  onModuleDestroy(): void {
    this.stopWatchingRedis();
  }

  attachWidget(namespace: WidgetNamespace): void {
    this.widget = namespace;
  }

  attachAgent(namespace: AgentNamespace): void {
    this.agent = namespace;
  }

  /**
   * Every client, on every node, catches up by seq. Sent when this node's link to Redis comes
   * back: what it published meanwhile was dropped, and what the other nodes published never
   * reached its clients; a conversation that got no later message would otherwise stay behind.
   */
  syncRequired(): void {
    this.widget?.emit(Events.SyncRequired);
    this.agent?.emit(Events.SyncRequired);
  }

  /**
   * A committed message. An internal note goes to the agents' inbox room only: it is never
   * emitted to a visitor's room.
   */
  messageCommitted(message: Message, conversation: Conversation, statusChanged: boolean): void {
    if (!message.internal) {
      if (statusChanged) this.toVisitor(conversation);
      this.widget?.to(Rooms.visitor(conversation.visitor.id)).emit(Events.MessageNew, message);
    }
    const inbox = Rooms.siteInbox(conversation.siteId);
    // The conversation first, so that consoles know where the message belongs.
    this.agent?.to(inbox).emit(Events.ConversationUpdated, conversation);
    this.agent?.to(inbox).emit(Events.MessageNew, message);
  }

  /**
   * A committed change of status or assignee. The visitor hears of it only when what it sees
   * changed (open or resolved); assignees and snoozes are the agents' business.
   */
  conversationChanged(conversation: Conversation, visitorStatusChanged: boolean): void {
    if (visitorStatusChanged) this.toVisitor(conversation);
    this.agent
      ?.to(Rooms.siteInbox(conversation.siteId))
      .emit(Events.ConversationUpdated, conversation);
  }

  /** The visitor's view of a conversation changed (its status, or its rating). */
  toVisitor(conversation: Conversation): void {
    this.widget?.to(Rooms.visitor(conversation.visitor.id)).emit(Events.ConversationUpdated, {
      id: conversation.id,
      status: conversation.status === 'RESOLVED' ? 'RESOLVED' : 'OPEN',
      lastSeq: conversation.lastSeq,
      lastMessageAt: conversation.lastMessageAt,
      createdAt: conversation.createdAt,
      agentLastReadSeq: conversation.agentLastReadSeq,
      satisfactionRating: conversation.satisfaction?.rating ?? null,
    });
  }

  /**
   * Someone is (or stopped) typing. Ephemeral: nothing is stored, it only goes through the
   * adapter. A visitor's typing reaches the agents; an agent's reaches the visitor and the
   * other agents.
   */
  typing(update: TypingUpdate, target: { siteId: string; visitorId: string }): void {
    if (update.author === 'AGENT') {
      this.widget?.to(Rooms.visitor(target.visitorId)).emit(Events.TypingUpdated, update);
    }
    this.agent?.to(Rooms.siteInbox(target.siteId)).emit(Events.TypingUpdated, update);
  }

  /** A read position moved: both sides hear of it (the visitor's other tabs included). */
  readUpdated(update: ReadUpdate, target: { siteId: string; visitorId: string }): void {
    this.widget?.to(Rooms.visitor(target.visitorId)).emit(Events.ReadUpdated, update);
    this.agent?.to(Rooms.siteInbox(target.siteId)).emit(Events.ReadUpdated, update);
  }

  /** The agents with a live console connection on any node (asked through the adapter). */
  async onlineAgentIds(): Promise<string[]> {
    if (!this.agent) return [];
    const sockets = await this.agent.fetchSockets();
    return [...new Set(sockets.map((s) => s.data.agentId))];
  }

  /** Whether the agent has a live console connection on any node. */
  async agentConnected(agentId: string): Promise<boolean> {
    if (!this.agent) return false;
    return (await this.agent.in(Rooms.agent(agentId)).fetchSockets()).length > 0;
  }

  /** Whether the visitor has a live chat connection on any node. */
  async visitorConnected(visitorId: string): Promise<boolean> {
    if (!this.widget) return false;
    return (await this.widget.in(Rooms.visitor(visitorId)).fetchSockets()).length > 0;
  }

  /** Which of these visitors have a live chat connection on any node. */
  async onlineVisitorIds(visitorIds: readonly string[]): Promise<string[]> {
    if (!this.widget || visitorIds.length === 0) return [];
    const sockets = await this.widget.in(visitorIds.map((id) => Rooms.visitor(id))).fetchSockets();
    return [...new Set(sockets.map((s) => s.data.visitorId))];
  }

  /** An agent's presence, to every agent on every node. */
  agentPresence(presence: AgentPresence): void {
    this.agent?.to(Rooms.agents()).emit(Events.AgentPresence, presence);
  }

  /** Whether any agent can answer, to every chat on every node. */
  availabilityChanged(availability: AgentsAvailability): void {
    this.widget?.emit(Events.AvailabilityChanged, availability);
  }

  /** A visitor's new details (page, name, attributes), to the agents of its site. */
  visitorUpdated(siteId: string, visitor: VisitorDetails): void {
    this.agent?.to(Rooms.siteInbox(siteId)).emit(Events.VisitorUpdated, visitor);
  }

  /** A visitor's presence, to the agents of its site. */
  visitorPresence(siteId: string, presence: VisitorPresence): void {
    this.agent?.to(Rooms.siteInbox(siteId)).emit(Events.VisitorPresence, presence);
  }

  /** Closes, on every node, the connections of a deactivated agent (they do not reconnect by themselves). */
  disconnectAgent(agentId: string): void {
    this.agent?.in(Rooms.agent(agentId)).disconnectSockets(true);
  }

  /** Closes, on every node, the connections opened with one agent session (signed out). */
  disconnectAgentSession(sessionId: string): void {
    this.agent?.in(Rooms.agentSession(sessionId)).disconnectSockets(true);
  }

  /** Closes, on every node, the connections of a revoked visitor. */
  disconnectVisitor(visitorId: string): void {
    this.widget?.in(Rooms.visitor(visitorId)).disconnectSockets(true);
  }

  /** A site's new appearance, to its visitors' open connections on every node. */
  widgetUpdated(siteId: string, widget: WidgetSettings): void {
    this.widget?.to(Rooms.siteVisitors(siteId)).emit(Events.WidgetUpdated, widget);
  }

  /** A new site: the consoles already connected (on every node) follow its conversations too. */
  siteCreated(siteId: string): void {
    this.agent?.socketsJoin(Rooms.siteInbox(siteId));
  }

  /** To this node's clients only: every node applies a new mode itself and tells its own. */
  transportChanged(config: ClientTransportConfig): void {
    this.widget?.local.emit(Events.TransportChanged, config);
    this.agent?.local.emit(Events.TransportChanged, config);
  }
}
