import type {
  Ack,
  AgentsAvailability,
  ApiError,
  ClientTransportConfig,
  Message,
  RateConversation,
  ReadUpdate,
  SyncRequest,
  TypingUpdate,
  SyncResult,
  VisitorConversation,
  VisitorConversationList,
  VisitorSendMessage,
  VisitorSession,
  VisitorUpdate,
  WidgetAuth,
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
  WidgetSettings,
} from '@parley/protocol';
import { Events, Namespace } from '@parley/protocol/zod-free';
import type { io as connectIo, Socket } from 'socket.io-client';
import type { ConnectErrorLike } from './connect-errors';
import { handshakeFailureOf } from './connect-errors';
import type { FailureReport } from './failure-report';
import type { SendAttempt } from './outbox';
import { applyTransportConfig } from './transport-switch';
import {
  isAck,
  isAgentsAvailability,
  isClientTransportConfig,
  isMessage,
  isReadUpdate,
  isSendMessageResult,
  isSyncResult,
  isTypingUpdate,
  isVisitorConversation,
  isVisitorConversationList,
  isVisitorSession,
  isWidgetSettings,
} from './wire';

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

const isSendAck = isAck(isSendMessageResult);
const isSyncAck = isAck(isSyncResult);
const isUpdateAck = isAck(isVisitorSession);
const isRateAck = isAck(isVisitorConversation);
const isListAck = isAck(isVisitorConversationList);

const unexpectedAnswer: Ack<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: 'The server sent an answer this widget does not understand.',
  },
};

/**
 * A `ChatLink` over socket.io's `/widget` namespace, on the frame's own origin. The socket.io
 * client is fetched when the first link is made, that is when the chat connects: a visitor who
 * never opens the chat never downloads it, and the frame shows the chat without waiting for it.
 * Until it has arrived the link is not connected, so nothing is sent; the controller's outbox
 * keeps what the visitor writes meanwhile.
 */
export const createSocketLink: CreateLink = (options) => {
  let link: ChatLink | null = null;
  let closed = false;
  let connectAsked = false;
  const notConnected = () => new Error('not connected');
  import('socket.io-client').then(
    ({ io }) => {
      if (closed) return;
      link = openSocketLink(io, options);
      if (connectAsked) link.connect();
    },
    (error: unknown) => {
      // Counted as a refused connection: the next open or send makes a new link and tries again.
      if (!closed) options.listener.onConnectError(toError(error), false);
    },
  );
  return {
    get connected() {
      return link?.connected ?? false;
    },
    connect: () => {
      if (link) link.connect();
      else connectAsked = true;
    },
    close: () => {
      closed = true;
      link?.close();
    },
    sendMessage: (payload) => link?.sendMessage(payload) ?? Promise.resolve({ kind: 'lost' }),
    sync: (request) => link?.sync(request) ?? Promise.reject(notConnected()),
    updateVisitor: (update, onRefused) => {
      link?.updateVisitor(update, onRefused);
    },
    saveVisitor: (update) => link?.saveVisitor(update) ?? Promise.reject(notConnected()),
    setTyping: (conversationId, typing) => {
      link?.setTyping(conversationId, typing);
    },
    markRead: (conversationId, seq) => {
      link?.markRead(conversationId, seq);
    },
    rate: (request) => link?.rate(request) ?? Promise.reject(notConnected()),
    listConversations: () => link?.listConversations() ?? Promise.reject(notConnected()),
  };
};

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function openSocketLink(
  io: typeof connectIo,
  { transport, auth, listener, reportFailure }: LinkOptions,
): ChatLink {
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
    if (isVisitorSession(session)) listener.onSession(session);
  });
  socket.on(Events.MessageNew, (message) => {
    if (isMessage(message)) listener.onMessage(message);
  });
  socket.on(Events.ConversationUpdated, (conversation) => {
    if (isVisitorConversation(conversation)) listener.onConversationUpdated(conversation);
  });
  socket.on(Events.AvailabilityChanged, (availability) => {
    if (isAgentsAvailability(availability)) listener.onAvailability?.(availability);
  });
  socket.on(Events.TypingUpdated, (update) => {
    if (isTypingUpdate(update)) listener.onTyping(update);
  });
  socket.on(Events.ReadUpdated, (update) => {
    if (isReadUpdate(update)) listener.onRead(update);
  });
  socket.on(Events.WidgetUpdated, (widget) => {
    if (isWidgetSettings(widget)) listener.onWidgetUpdated(widget);
  });
  socket.on(Events.SyncRequired, () => {
    listener.onSyncRequired();
  });
  socket.on(Events.TransportChanged, (config) => {
    if (!isClientTransportConfig(config)) return;
    switching = true;
    applyTransportConfig(manager, config);
    listener.onTransportChanged(config);
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
            resolve({ kind: 'ack', ack: isSendAck(ack) ? ack : unexpectedAnswer });
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
            resolve(isSyncAck(ack) ? ack : unexpectedAnswer);
          });
      }),
    updateVisitor: (update, onRefused) => {
      // Best-effort: the next handshake carries the page again.
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emit(Events.VisitorUpdate, update, (error: Error | null, raw: unknown) => {
          if (!error && isUpdateAck(raw) && !raw.ok) onRefused?.(raw.error);
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
            resolve(isUpdateAck(raw) ? raw : unexpectedAnswer);
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
            resolve(isRateAck(raw) ? raw : unexpectedAnswer);
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
            resolve(isListAck(raw) ? raw : unexpectedAnswer);
          });
      }),
  };
}
