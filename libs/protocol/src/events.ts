import { z } from 'zod';
import type { AckCallback } from './ack';
import {
  ConversationSchema,
  UpdateConversationSchema,
  type VisitorConversationSchema,
} from './conversation';
import {
  AgentSendMessageSchema,
  type MessageSchema,
  SendMessageResultSchema,
  SyncRequestSchema,
  SyncResultSchema,
  VisitorSendMessageSchema,
} from './message';
import { type ConnectionsResponseSchema } from './settings';
import { type ClientTransportConfigSchema } from './transport';
import {
  VisitorConversationListSchema,
  VisitorSessionSchema,
  VisitorUpdateSchema,
} from './visitor';

/** Socket.io namespaces on the one Parley server. */
export const Namespace = { Widget: '/widget', Agent: '/agent' } as const;

/** Every event name on the wire, `domain:verb`. */
export const Events = {
  MessageSend: 'message:send',
  MessageNew: 'message:new',
  ConversationSync: 'conversation:sync',
  ConversationList: 'conversation:list',
  ConversationUpdated: 'conversation:updated',
  ConversationUpdate: 'conversation:update',
  VisitorUpdate: 'visitor:update',
  SessionReady: 'session:ready',
  TransportChanged: 'transport:changed',
} as const;

/** A client-to-server event: the payload it takes and the data its ack carries. */
export interface EventContract<Req extends z.ZodType, Res extends z.ZodType> {
  request: Req;
  response: Res;
}

const EmptySchema = z.object({}).strict();

/** Client-to-server events of the `/widget` namespace (visitors). */
export const WidgetClientContract = {
  /** Send a message; without `conversationId` it goes to the open conversation, created if needed. */
  [Events.MessageSend]: { request: VisitorSendMessageSchema, response: SendMessageResultSchema },
  /** Fetch the messages of one of the visitor's conversations after a seq. */
  [Events.ConversationSync]: { request: SyncRequestSchema, response: SyncResultSchema },
  /** List the visitor's conversations, newest first. */
  [Events.ConversationList]: { request: EmptySchema, response: VisitorConversationListSchema },
  /** Update the visitor's name, email or current page. */
  [Events.VisitorUpdate]: { request: VisitorUpdateSchema, response: VisitorSessionSchema },
} satisfies Record<string, EventContract<z.ZodType, z.ZodType>>;

/** Client-to-server events of the `/agent` namespace (agents and admins). */
export const AgentClientContract = {
  /** Reply in a conversation. */
  [Events.MessageSend]: { request: AgentSendMessageSchema, response: SendMessageResultSchema },
  /** Fetch a conversation's messages after a seq. */
  [Events.ConversationSync]: { request: SyncRequestSchema, response: SyncResultSchema },
  /** Change a conversation's status (resolve, reopen, pending, snooze) or assignee. */
  [Events.ConversationUpdate]: { request: UpdateConversationSchema, response: ConversationSchema },
} satisfies Record<string, EventContract<z.ZodType, z.ZodType>>;

export type WidgetClientContract = typeof WidgetClientContract;
export type AgentClientContract = typeof AgentClientContract;
type AnyContract = Record<string, EventContract<z.ZodType, z.ZodType>>;

/** The socket.io client-side signature of a contract: `(payload, ack) => void`. */
export type ClientEventsOf<C extends AnyContract> = {
  [K in keyof C]: (
    payload: z.input<C[K]['request']>,
    ack: AckCallback<z.infer<C[K]['response']>>,
  ) => void;
};

/**
 * What a server implementation of a contract must provide: one function per event taking the
 * parsed payload and resolving to the ack data. A gateway that `satisfies` this type fails to
 * compile when it and the contract disagree.
 */
export type ContractHandlers<C extends AnyContract, Ctx> = {
  [K in keyof C]: (
    payload: z.infer<C[K]['request']>,
    ctx: Ctx,
  ) => Promise<z.infer<C[K]['response']>>;
};

export type WidgetClientToServerEvents = ClientEventsOf<WidgetClientContract>;
export type AgentClientToServerEvents = ClientEventsOf<AgentClientContract>;

/** Server-to-client events of the `/widget` namespace. */
export interface WidgetServerToClientEvents {
  /** Sent once per connection: the visitor's identity, token (when new) and conversations. */
  [Events.SessionReady]: (session: z.infer<typeof VisitorSessionSchema>) => void;
  /** A committed message in one of the visitor's conversations. */
  [Events.MessageNew]: (message: z.infer<typeof MessageSchema>) => void;
  /** A conversation of the visitor changed status. */
  [Events.ConversationUpdated]: (conversation: z.infer<typeof VisitorConversationSchema>) => void;
  /** The admin changed the transport: reconnect with these options. */
  [Events.TransportChanged]: (config: z.infer<typeof ClientTransportConfigSchema>) => void;
}

/** Server-to-client events of the `/agent` namespace. */
export interface AgentServerToClientEvents {
  /** A committed message in any conversation of the agent's sites. */
  [Events.MessageNew]: (message: z.infer<typeof MessageSchema>) => void;
  /** A conversation was created or changed (status, assignee, last message). */
  [Events.ConversationUpdated]: (conversation: z.infer<typeof ConversationSchema>) => void;
  /** The admin changed the transport: reconnect with these options. */
  [Events.TransportChanged]: (config: z.infer<typeof ClientTransportConfigSchema>) => void;
}

/** Events between Parley nodes (through the adapter). */
export interface InterServerEvents {
  /** A setting was stored on one node: the others reload it. */
  'settings:changed': (key: string) => void;
  /** Asks every other node for its live connections and recent failures (diagnostics page). */
  'diagnostics:snapshot': (
    reply: (snapshot: z.infer<typeof ConnectionsResponseSchema>) => void,
  ) => void;
}

/** What the server keeps on a visitor's socket (`socket.data`). */
export interface WidgetSocketData {
  siteId: string;
  visitorId: string;
}

/** What the server keeps on an agent's socket (`socket.data`). */
export interface AgentSocketData {
  agentId: string;
  role: 'ADMIN' | 'AGENT';
  sessionId: string;
}

/** Socket.io room names, shared so that every node publishes to the same rooms. */
export const Rooms = {
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  siteInbox: (siteId: string) => `inbox:${siteId}`,
  agent: (agentId: string) => `agent:${agentId}`,
  /** The sockets opened with one agent session (closed when it signs out). */
  agentSession: (sessionId: string) => `agent-session:${sessionId}`,
} as const;
