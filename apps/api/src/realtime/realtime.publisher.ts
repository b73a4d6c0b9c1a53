import { Injectable } from '@nestjs/common';
import {
  Events,
  Rooms,
  type ClientTransportConfig,
  type Conversation,
  type Message,
} from '@parley/protocol';
import type { AgentNamespace, WidgetNamespace } from './types';

/**
 * Publishes committed changes to the rooms that should see them, through the socket.io adapter
 * (so every node's clients receive them). Callers publish only after their transaction commits.
 */
@Injectable()
export class RealtimePublisher {
  private widget: WidgetNamespace | null = null;
  private agent: AgentNamespace | null = null;

  attachWidget(namespace: WidgetNamespace): void {
    this.widget = namespace;
  }

  attachAgent(namespace: AgentNamespace): void {
    this.agent = namespace;
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

  private toVisitor(conversation: Conversation): void {
    this.widget?.to(Rooms.visitor(conversation.visitor.id)).emit(Events.ConversationUpdated, {
      id: conversation.id,
      status: conversation.status === 'RESOLVED' ? 'RESOLVED' : 'OPEN',
      lastSeq: conversation.lastSeq,
      lastMessageAt: conversation.lastMessageAt,
      createdAt: conversation.createdAt,
    });
  }

  /** The agents with a live console connection on any node (asked through the adapter). */
  async onlineAgentIds(): Promise<string[]> {
    if (!this.agent) return [];
    const sockets = await this.agent.fetchSockets();
    return [...new Set(sockets.map((s) => s.data.agentId))];
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

  /** To this node's clients only: every node applies a new mode itself and tells its own. */
  transportChanged(config: ClientTransportConfig): void {
    this.widget?.local.emit(Events.TransportChanged, config);
    this.agent?.local.emit(Events.TransportChanged, config);
  }
}
