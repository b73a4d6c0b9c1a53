import { z } from 'zod';
import type { AckCallback } from './ack';
import { Events } from './names';
import {
  ConversationSchema,
  UpdateConversationSchema,
  VisitorConversationSchema,
} from './conversation';
import {
  AgentSendMessageSchema,
  type MessageSchema,
  SendMessageResultSchema,
  SyncRequestSchema,
  SyncResultSchema,
  VisitorSendMessageSchema,
} from './message';
import {
  type AgentPresenceSchema,
  type AgentsAvailabilitySchema,
  type VisitorPresenceSchema,
} from './presence';
import { MarkReadSchema, ReadUpdateSchema } from './receipts';
import { RateConversationSchema } from './satisfaction';
import { type ConnectionsResponseSchema } from './settings';
import { type WidgetSettingsSchema } from './site';
import { type ClientTransportConfigSchema } from './transport';
import { TypingSetSchema, type TypingUpdateSchema } from './typing';
import {
  VisitorConversationListSchema,
  type VisitorDetailsSchema,
  VisitorSessionSchema,
  VisitorUpdateSchema,
} from './visitor';

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
  /** Say the visitor started or stopped typing in one of its conversations (never stored). */
  [Events.TypingSet]: { request: TypingSetSchema, response: EmptySchema },
  /** Move the visitor's read position forward in one of its conversations. */
  [Events.ReadMark]: { request: MarkReadSchema, response: ReadUpdateSchema },
  /** Rate a resolved conversation once, 1 to 5, with an optional comment. */
  [Events.ConversationRate]: {
    request: RateConversationSchema,
    response: VisitorConversationSchema,
  },
} satisfies Record<string, EventContract<z.ZodType, z.ZodType>>;

/** Client-to-server events of the `/agent` namespace (agents and admins). */
export const AgentClientContract = {
  /** Reply in a conversation. */
  [Events.MessageSend]: { request: AgentSendMessageSchema, response: SendMessageResultSchema },
  /** Fetch a conversation's messages after a seq. */
  [Events.ConversationSync]: { request: SyncRequestSchema, response: SyncResultSchema },
  /** Change a conversation's status (resolve, reopen, pending, snooze) or assignee. */
  [Events.ConversationUpdate]: { request: UpdateConversationSchema, response: ConversationSchema },
  /** Say the agent started or stopped typing a reply (never stored; notes are not announced). */
  [Events.TypingSet]: { request: TypingSetSchema, response: EmptySchema },
  /** Move the agents' read position forward in a conversation. */
  [Events.ReadMark]: { request: MarkReadSchema, response: ReadUpdateSchema },
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
  /** An agent started or stopped typing in one of the visitor's conversations. */
  [Events.TypingUpdated]: (update: z.infer<typeof TypingUpdateSchema>) => void;
  /** The agents' read position moved in one of the visitor's conversations. */
  [Events.ReadUpdated]: (update: z.infer<typeof ReadUpdateSchema>) => void;
  /** An agent came online or the last one left (or went away): who can answer changed. */
  [Events.AvailabilityChanged]: (availability: z.infer<typeof AgentsAvailabilitySchema>) => void;
  /** An admin changed the site's appearance: redraw the chat and the launcher with it. */
  [Events.WidgetUpdated]: (widget: z.input<typeof WidgetSettingsSchema>) => void;
  /**
   * Live events may have been lost (a node's link to the other nodes broke and came back):
   * catch up as after a reconnection. Clients spread their catch-up over a few seconds.
   */
  [Events.SyncRequired]: () => void;
}

/** Server-to-client events of the `/agent` namespace. */
export interface AgentServerToClientEvents {
  /** A committed message in any conversation of the agent's sites. */
  [Events.MessageNew]: (message: z.infer<typeof MessageSchema>) => void;
  /**
   * A visitor's details changed (the page it is on, its name, email or custom attributes), for
   * the visitor panel.
   */
  [Events.VisitorUpdated]: (visitor: z.infer<typeof VisitorDetailsSchema>) => void;
  /** A conversation was created or changed (status, assignee, last message). */
  [Events.ConversationUpdated]: (conversation: z.infer<typeof ConversationSchema>) => void;
  /** The admin changed the transport: reconnect with these options. */
  [Events.TransportChanged]: (config: z.infer<typeof ClientTransportConfigSchema>) => void;
  /** An agent came online, went away or offline (sent to every agent). */
  [Events.AgentPresence]: (presence: z.infer<typeof AgentPresenceSchema>) => void;
  /** A visitor of the agent's sites opened its first or closed its last chat connection. */
  [Events.VisitorPresence]: (presence: z.infer<typeof VisitorPresenceSchema>) => void;
  /** A visitor or another agent started or stopped typing in a conversation. */
  [Events.TypingUpdated]: (update: z.infer<typeof TypingUpdateSchema>) => void;
  /** The visitor's or the agents' read position moved in a conversation. */
  [Events.ReadUpdated]: (update: z.infer<typeof ReadUpdateSchema>) => void;
  /**
   * Live events may have been lost (a node's link to the other nodes broke and came back):
   * catch up as after a reconnection. Clients spread their catch-up over a few seconds.
   */
  [Events.SyncRequired]: () => void;
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
  /** Every visitor connection of one site (appearance changes). */
  siteVisitors: (siteId: string) => `site-visitors:${siteId}`,
  siteInbox: (siteId: string) => `inbox:${siteId}`,
  agent: (agentId: string) => `agent:${agentId}`,
  /** The sockets opened with one agent session (closed when it signs out). */
  agentSession: (sessionId: string) => `agent-session:${sessionId}`,
  /** Every agent's sockets (presence changes). */
  agents: () => 'agents',
} as const;
