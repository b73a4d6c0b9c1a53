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

  messageCommitted(message: Message, conversation: Conversation, statusChanged: boolean): void {
    const visitorRoom = Rooms.visitor(conversation.visitor.id);
    if (statusChanged) {
      this.widget?.to(visitorRoom).emit(Events.ConversationUpdated, {
        id: conversation.id,
        status: conversation.status,
        lastSeq: conversation.lastSeq,
        lastMessageAt: conversation.lastMessageAt,
        createdAt: conversation.createdAt,
      });
    }
    this.widget?.to(visitorRoom).emit(Events.MessageNew, message);
    const inbox = Rooms.siteInbox(conversation.siteId);
    // The conversation first, so that consoles know where the message belongs.
    this.agent?.to(inbox).emit(Events.ConversationUpdated, conversation);
    this.agent?.to(inbox).emit(Events.MessageNew, message);
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
