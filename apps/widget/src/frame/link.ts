import {
  AgentsAvailabilitySchema,
  type AgentsAvailability,
  ackSchema,
  ClientTransportConfigSchema,
  Events,
  MessageSchema,
  Namespace,
  ReadUpdateSchema,
  TypingUpdateSchema,
  SendMessageResultSchema,
  SyncResultSchema,
  VisitorConversationSchema,
  VisitorConversationListSchema,
  VisitorSessionSchema,
  WidgetSettingsSchema,
  type Ack,
  type ApiError,
  type ClientTransportConfig,
  type Message,
  type RateConversation,
  type ReadUpdate,
  type SyncRequest,
  type TypingUpdate,
  type SyncResult,
  type VisitorConversation,
  type VisitorConversationList,
  type VisitorSendMessage,
  type VisitorSession,
  type VisitorUpdate,
  type WidgetAuth,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
  type WidgetSettings,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import type { ConnectErrorLike } from './connect-errors';
import { handshakeFailureOf } from './connect-errors';
import type { FailureReport } from './failure-report';
import type { SendAttempt } from './outbox';
import { applyTransportConfig } from './transport-switch';

/** How long a request waits for its ack before it counts as lost. */
export const ACK_TIMEOUT_MS = 10_000;

export type WidgetSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

/** What the link reports to its owner. */
export interface LinkListener {
  onConnect: () => void;
  /** `willReconnect` is false when the connection will not come back by itself. */
  onDisconnect: (willReconnect: boolean) => void;
  onReconnecting: () => void;
  /** `willRetry` is false when the server refused the handshake (the socket gave up). */
  onConnectError: (error: ConnectErrorLike, willRetry: boolean) => void;
  onSession: (session: VisitorSession) => void;
  onMessage: (message: Message) => void;
  onConversationUpdated: (conversation: VisitorConversation) => void;
  onTransportChanged: (config: ClientTransportConfig) => void;
  /** Whether any agent can answer changed. */
  onAvailability?: (availability: AgentsAvailability) => void;
  /** An agent started or stopped typing. */
  onTyping: (update: TypingUpdate) => void;
  /** A read position moved (the agents', or the visitor's in another tab). */
  onRead: (update: ReadUpdate) => void;
  /** An admin changed the site's appearance. */
  onWidgetUpdated: (widget: WidgetSettings) => void;
  /** Live events may have been lost on the server's side: catch up as after a reconnection. */
  onSyncRequired: () => void;
}

/** The frame's real-time connection, as the chat controller uses it. */
export interface ChatLink {
  readonly connected: boolean;
  connect: () => void;
  close: () => void;
  sendMessage: (payload: VisitorSendMessage) => Promise<SendAttempt>;
  /** Resolves with the ack; rejects when no answer arrives (timeout or disconnection). */
  sync: (request: SyncRequest) => Promise<Ack<SyncResult>>;
  /** Best-effort; `onRefused` hears a refusal from the server (a timeout is not one). */
  updateVisitor: (update: VisitorUpdate, onRefused?: (error: ApiError) => void) => void;
  /** The same, waiting for the answer (the pre-chat form); rejects when none arrives. */
  saveVisitor: (update: VisitorUpdate) => Promise<Ack<VisitorSession>>;
  /** Best-effort and ephemeral: a lost notice expires by itself on the other side. */
  setTyping: (conversationId: string, typing: boolean) => void;
  /** Best-effort: the next mark carries the position again. */
  markRead: (conversationId: string, seq: number) => void;
  /** Resolves with the ack; rejects when no answer arrives. */
  rate: (request: RateConversation) => Promise<Ack<VisitorConversation>>;
  /** The visitor's conversations as stored; rejects when no answer arrives. */
  listConversations: () => Promise<Ack<VisitorConversationList>>;
}

export interface LinkOptions {
  transport: ClientTransportConfig;
  /** Read on every (re)connection, so a new token or page is used at once. */
  auth: () => WidgetAuth;
  listener: LinkListener;
  reportFailure: (report: FailureReport) => void;
}

export type CreateLink = (options: LinkOptions) => ChatLink;

const SendAckSchema = ackSchema(SendMessageResultSchema);
const SyncAckSchema = ackSchema(SyncResultSchema);
const UpdateAckSchema = ackSchema(VisitorSessionSchema);
const RateAckSchema = ackSchema(VisitorConversationSchema);
const ListAckSchema = ackSchema(VisitorConversationListSchema);

const unexpectedAnswer: Ack<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: 'The server sent an answer this widget does not understand.',
  },
};

/** A `ChatLink` over socket.io's `/widget` namespace, on the frame's own origin. */
export const createSocketLink: CreateLink = ({ transport, auth, listener, reportFailure }) => {
  const socket: WidgetSocket = io(Namespace.Widget, {
    autoConnect: false,
    // Each link gets its own manager: a cached one would keep an older transport policy.
    forceNew: true,
    transports: [...transport.transports],
    upgrade: transport.upgrade,
    rememberUpgrade: false,
    reconnectionDelay: transport.reconnectionDelayMs,
    reconnectionDelayMax: transport.reconnectionDelayMaxMs,
    auth: (cb) => {
      cb(auth());
    },
  });
  const manager = socket.io;
  /** Set while we close the engine on purpose, so the probe it interrupts is not reported. */
  let switching = false;

  const currentTransport = () => {
    // Before the first open there is no engine yet, whatever the type says.
    const engine = manager.engine as typeof manager.engine | undefined;
    const name = engine?.transport.name;
    return name === 'websocket' || name === 'polling'
      ? name
      : manager.opts.transports?.[0] === 'websocket'
        ? 'websocket'
        : 'polling';
  };

  socket.on('connect', () => {
    switching = false;
    listener.onConnect();
  });
  socket.on('disconnect', () => {
    listener.onDisconnect(socket.active);
  });
  socket.on('connect_error', (error: Error) => {
    const failure = handshakeFailureOf(error, currentTransport());
    if (failure) reportFailure(failure);
    listener.onConnectError(error, socket.active);
  });
  manager.on('reconnect_attempt', () => {
    listener.onReconnecting();
  });
  manager.on('open', () => {
    manager.engine.on('upgradeError', (error: Error) => {
      if (!switching) {
        reportFailure({
          transport: 'websocket',
          phase: 'upgrade',
          reason: error.message,
          statusCode: null,
        });
      }
    });
  });

  socket.on(Events.SessionReady, (session) => {
    const parsed = VisitorSessionSchema.safeParse(session);
    if (parsed.success) listener.onSession(parsed.data);
  });
  socket.on(Events.MessageNew, (message) => {
    const parsed = MessageSchema.safeParse(message);
    if (parsed.success) listener.onMessage(parsed.data);
  });
  socket.on(Events.ConversationUpdated, (conversation) => {
    const parsed = VisitorConversationSchema.safeParse(conversation);
    if (parsed.success) listener.onConversationUpdated(parsed.data);
  });
  socket.on(Events.AvailabilityChanged, (availability) => {
    const parsed = AgentsAvailabilitySchema.safeParse(availability);
    if (parsed.success) listener.onAvailability?.(parsed.data);
  });
  socket.on(Events.TypingUpdated, (update) => {
    const parsed = TypingUpdateSchema.safeParse(update);
    if (parsed.success) listener.onTyping(parsed.data);
  });
  socket.on(Events.ReadUpdated, (update) => {
    const parsed = ReadUpdateSchema.safeParse(update);
    if (parsed.success) listener.onRead(parsed.data);
  });
  socket.on(Events.WidgetUpdated, (widget) => {
    const parsed = WidgetSettingsSchema.safeParse(widget);
    if (parsed.success) listener.onWidgetUpdated(parsed.data);
  });
  socket.on(Events.SyncRequired, () => {
    listener.onSyncRequired();
  });
  socket.on(Events.TransportChanged, (config) => {
    const parsed = ClientTransportConfigSchema.safeParse(config);
    if (!parsed.success) return;
    switching = true;
    applyTransportConfig(manager, parsed.data);
    listener.onTransportChanged(parsed.data);
  });

  return {
    get connected() {
      return socket.connected;
    },
    connect: () => {
      socket.connect();
    },
    close: () => {
      socket.disconnect();
    },
    sendMessage: (payload) =>
      new Promise((resolve) => {
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emit(Events.MessageSend, payload, (error: Error | null, ack) => {
            if (error) {
              resolve({ kind: 'lost' });
              return;
            }
            const parsed = SendAckSchema.safeParse(ack);
            resolve({ kind: 'ack', ack: parsed.success ? parsed.data : unexpectedAnswer });
          });
      }),
    sync: (request) =>
      new Promise((resolve, reject) => {
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emit(Events.ConversationSync, request, (error: Error | null, ack) => {
            if (error) {
              reject(error);
              return;
            }
            const parsed = SyncAckSchema.safeParse(ack);
            resolve(parsed.success ? parsed.data : unexpectedAnswer);
          });
      }),
    updateVisitor: (update, onRefused) => {
      // Best-effort: the next handshake carries the page again.
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emit(Events.VisitorUpdate, update, (error: Error | null, raw: unknown) => {
          const ack = error ? null : UpdateAckSchema.safeParse(raw);
          if (ack?.success && !ack.data.ok) onRefused?.(ack.data.error);
        });
    },
    saveVisitor: (update) =>
      new Promise((resolve, reject) => {
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emit(Events.VisitorUpdate, update, (error: Error | null, raw: unknown) => {
            if (error) {
              reject(error);
              return;
            }
            const parsed = UpdateAckSchema.safeParse(raw);
            resolve(parsed.success ? parsed.data : unexpectedAnswer);
          });
      }),
    setTyping: (conversationId, typing) => {
      if (socket.connected)
        socket.emit(Events.TypingSet, { conversationId, typing }, () => undefined);
    },
    markRead: (conversationId, seq) => {
      if (socket.connected) socket.emit(Events.ReadMark, { conversationId, seq }, () => undefined);
    },
    rate: (request) =>
      new Promise((resolve, reject) => {
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emit(Events.ConversationRate, request, (error: Error | null, raw: unknown) => {
            if (error) {
              reject(error);
              return;
            }
            const parsed = RateAckSchema.safeParse(raw);
            resolve(parsed.success ? parsed.data : unexpectedAnswer);
          });
      }),
    listConversations: () =>
      new Promise((resolve, reject) => {
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emit(Events.ConversationList, {}, (error: Error | null, raw: unknown) => {
            if (error) {
              reject(error);
              return;
            }
            const parsed = ListAckSchema.safeParse(raw);
            resolve(parsed.success ? parsed.data : unexpectedAnswer);
          });
      }),
  };
};
