import {
  AuthorKind,
  ErrorCode,
  Limits,
  VisitorAttributesSchema,
  VisitorTokenSchema,
  type Ack,
  type ConversationStatus,
  type Message,
  type SendMessageResult,
  type SyncResult,
  type VisitorAttributes,
  type VisitorConversation,
  type VisitorIdentity,
  type VisitorSendMessage,
  type VisitorSession,
  type WidgetAuth,
  type WidgetConfig,
} from '@parley/protocol';
import type { ConnectionState, FrameToLoaderMessage } from '../shared/messages';
import { STRINGS, type Strings } from './i18n';
import { launcherAppearance } from './launcher';
import { isInvalidVisitorTokenError, refusalOf, type ConnectErrorLike } from './connect-errors';
import type { FailureReport } from './failure-report';
import { sameIdentity } from './identity';
import type { ChatLink, CreateLink, LinkListener } from './link';
import { Outbox, type OutboxItem, type SendAttempt } from './outbox';
import type { VisitorStore } from './storage';
import { fetchAfter } from './sync';
import { contiguousSeq, mergeMessages } from './timeline';

/** A message the visitor wrote that the server has not committed yet. */
export interface PendingMessage {
  clientMessageId: string;
  body: string;
  status: 'sending' | 'failed';
  /** Why the server refused it (when `failed`). */
  error: string | null;
}

export interface ConversationView {
  id: string;
  status: ConversationStatus;
  /** Committed messages, one per id, sorted by seq. */
  messages: readonly Message[];
  /** Every message up to this seq is in `messages`. */
  lastSeq: number;
  /** Its history is whole (fetched, or it began here): later arrivals count as unread. */
  loaded: boolean;
}

export interface ChatState {
  phase: 'loading' | 'ready' | 'unavailable';
  config: WidgetConfig | null;
  /** Why the chat is unavailable, for the console; people see a plain sentence. */
  problem: string | null;
  /** What people should know about a refused connection (a limit reached, for instance). */
  notice: string | null;
  connection: ConnectionState;
  open: boolean;
  /** Oldest first. */
  conversations: readonly ConversationView[];
  /** The open conversation new messages go to; `null` until the first message creates one. */
  currentConversationId: string | null;
  /** In the order they were written. */
  pending: readonly PendingMessage[];
  /** Agent messages that arrived while the panel was closed. */
  unread: number;
}

export interface ChatControllerOptions {
  siteKey: string;
  loadConfig: () => Promise<WidgetConfig>;
  createLink: CreateLink;
  store: VisitorStore;
  /** Messages for the loader on the host page. */
  notify: (message: FrameToLoaderMessage) => void;
  reportFailure: (report: FailureReport) => void;
  newId: () => string;
  /** Pause before resending a message whose ack did not arrive while still connected. */
  retryDelayMs?: number;
  /** The origin of the page that embeds the frame (absent when the frame is opened on its own). */
  pageOrigin?: string;
  /** The visitor's language, for the notices the controller writes (English by default). */
  strings?: Strings;
  /** Tells the host page's developer what went wrong (the browser console). */
  warn?: (text: string) => void;
}

/** What visitors read when the server refuses the connection; `null`: nothing beyond "Offline". */
export function noticeFor(
  code: string,
  serverMessage: string,
  strings: Strings = STRINGS.en,
): string | null {
  switch (code) {
    case ErrorCode.RateLimited:
      return serverMessage;
    case ErrorCode.OriginNotAllowed:
      return strings.notHere;
    case ErrorCode.IdentityNotVerified:
      return strings.notConfirmed;
    default:
      return null;
  }
}

const initialState: ChatState = {
  phase: 'loading',
  config: null,
  problem: null,
  notice: null,
  connection: 'idle',
  open: false,
  conversations: [],
  currentConversationId: null,
  pending: [],
  unread: 0,
};

function newestOpen(conversations: readonly VisitorConversation[]): VisitorConversation | null {
  let newest: VisitorConversation | null = null;
  for (const c of conversations) {
    if (
      c.status === 'OPEN' &&
      (!newest || Date.parse(c.createdAt) > Date.parse(newest.createdAt))
    ) {
      newest = c;
    }
  }
  return newest;
}

/**
 * The chat's state and the rules that keep it right, independent of React and of socket.io:
 * no connection until the visitor opens the chat (or has an open conversation), messages sent in
 * order and exactly once as people see it, history re-synced by seq after every reconnection and
 * every gap, unread agent messages counted while the panel is closed.
 */
export class ChatController {
  private state: ChatState = initialState;
  private readonly listeners = new Set<() => void>();
  private readonly outbox: Outbox;
  private link: ChatLink | null = null;
  /** Bumped whenever a link is dropped, so events from an old link are ignored. */
  private generation = 0;
  private sessionReady = false;
  private everConnected = false;
  private pageUrl: string | undefined;
  /** Conversations being synced; `true` when another pass was asked for meanwhile. */
  private readonly syncing = new Map<string, boolean>();
  /** The host page's signed-in user, sent with every handshake. */
  private identity: VisitorIdentity | null = null;
  private attributes: VisitorAttributes = {};
  /** A reconnection planned for when a rate limit has passed. */
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ChatControllerOptions) {
    this.outbox = new Outbox({
      canSend: () => this.sessionReady && this.link?.connected === true,
      send: (item) => this.sendOnce(item),
      onAck: (item, ack) => {
        this.onSendAck(item, ack);
      },
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getState = (): ChatState => this.state;

  /** Loads the configuration, then connects at once if the visitor has an open conversation. */
  async start(): Promise<void> {
    let config: WidgetConfig;
    try {
      config = await this.options.loadConfig();
    } catch (error) {
      this.setState({
        phase: 'unavailable',
        problem: error instanceof Error ? error.message : String(error),
        connection: 'unavailable',
      });
      return;
    }
    this.setState({ phase: 'ready', config });
    this.options.notify({ type: 'parley:launcher', ...launcherAppearance(config.widget) });
    if (this.options.store.hasOpenConversation() || this.state.open || this.outbox.size > 0) {
      this.connect();
    }
  }

  readonly setOpen = (open: boolean): void => {
    if (open === this.state.open) return;
    this.setState(open ? { open, unread: 0 } : { open });
    if (open) this.connect();
    else this.releaseIfIdle();
  };

  /** The host page's URL, from the loader; sent with the handshake and on every change. */
  readonly setPageUrl = (url: string): void => {
    this.pageUrl = url.slice(0, Limits.urlMax);
    if (this.sessionReady && this.link?.connected) {
      this.link.updateVisitor({ pageUrl: this.pageUrl });
    }
  };

  /**
   * The host page's signed-in user (`null` when none). A different user means other
   * conversations: the chat forgets what it shows and connects again as that user.
   */
  readonly setIdentity = (identity: VisitorIdentity | null): void => {
    if (sameIdentity(identity, this.identity)) return;
    this.identity = identity;
    this.setState({ conversations: [], currentConversationId: null, notice: null });
    if (this.link) {
      this.dropLink();
      this.connect();
    }
  };

  /**
   * `Parley.reset()`: the host page's user signed out. The visitor's token, identity and
   * conversations are forgotten; the chat connects again (if it was connected) as a new visitor.
   */
  readonly reset = (): void => {
    this.identity = null;
    this.attributes = {};
    this.options.store.clearToken();
    this.setState({
      conversations: [],
      currentConversationId: null,
      pending: [],
      notice: null,
      unread: 0,
    });
    if (this.link) {
      this.dropLink();
      this.connect();
    }
  };

  /**
   * `Parley.setAttributes(...)`: custom attributes stored on the visitor, sent now when a session
   * is open and all of them with every new session. A refusal (here or by the server) is reported
   * to the page's developer as an `error` event and in the console.
   */
  readonly setAttributes = (value: unknown): void => {
    const parsed = VisitorAttributesSchema.safeParse(value);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'attributes'}: ${issue.message}`)
        .join('; ');
      this.refuseAttributes({
        code: ErrorCode.ValidationFailed,
        message: `Parley.setAttributes: ${detail}`,
      });
      return;
    }
    this.attributes = { ...this.attributes, ...parsed.data };
    if (this.sessionReady) this.sendAttributes(parsed.data);
  };

  /** Queues a message; returns false (and does nothing) when there is nothing to send. */
  readonly send = (text: string): boolean => {
    const body = text.trim();
    if (!body || body.length > Limits.messageBodyMax || this.state.phase !== 'ready') return false;
    const clientMessageId = this.options.newId();
    this.setState({
      pending: [...this.state.pending, { clientMessageId, body, status: 'sending', error: null }],
    });
    this.outbox.enqueue({ clientMessageId, body });
    this.connect();
    return true;
  };

  /** Sends a failed message again, with its original client id. */
  readonly retry = (clientMessageId: string): void => {
    const item = this.state.pending.find((p) => p.clientMessageId === clientMessageId);
    if (item?.status !== 'failed') return;
    this.updatePending(clientMessageId, { status: 'sending', error: null });
    this.outbox.enqueue({ clientMessageId, body: item.body });
    this.connect();
  };

  readonly requestClose = (): void => {
    this.options.notify({ type: 'parley:close-request' });
  };

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.dropLink();
  }

  // ---------------------------------------------------------------- state

  private setState(patch: Partial<ChatState>): void {
    const previous = this.state;
    this.state = { ...previous, ...patch };
    if (this.state.connection !== previous.connection) {
      this.options.notify({ type: 'parley:connection', state: this.state.connection });
    }
    if (this.state.unread !== previous.unread) {
      this.options.notify({ type: 'parley:unread', count: this.state.unread });
    }
    for (const listener of this.listeners) listener();
  }

  private view(id: string): ConversationView | undefined {
    return this.state.conversations.find((c) => c.id === id);
  }

  private upsertView(id: string, patch: Partial<ConversationView>): ConversationView {
    const existing = this.view(id);
    const next: ConversationView = {
      ...(existing ?? { id, status: 'OPEN', messages: [], lastSeq: 0, loaded: false }),
      ...patch,
    };
    this.setState({
      conversations: existing
        ? this.state.conversations.map((c) => (c.id === id ? next : c))
        : [...this.state.conversations, next],
    });
    return next;
  }

  private setCurrent(id: string | null): void {
    if (id !== this.state.currentConversationId) this.setState({ currentConversationId: id });
    this.options.store.setHasOpenConversation(id !== null);
  }

  private updatePending(clientMessageId: string, patch: Partial<PendingMessage>): void {
    this.setState({
      pending: this.state.pending.map((p) =>
        p.clientMessageId === clientMessageId ? { ...p, ...patch } : p,
      ),
    });
  }

  /**
   * Merges committed messages into a conversation: drops the pending copies they confirm, counts
   * unread agent messages, and asks for a sync when a seq is missing.
   */
  private addMessages(conversationId: string, incoming: readonly Message[], syncedUpTo = 0): void {
    const view = this.view(conversationId) ?? this.upsertView(conversationId, {});
    const known = new Set(view.messages.map((m) => m.id));
    const fresh = incoming.filter((m) => !known.has(m.id));
    const messages = mergeMessages(view.messages, incoming);
    const lastSeq = contiguousSeq(messages, Math.max(view.lastSeq, syncedUpTo));
    const complete = !messages.some((m) => m.seq > lastSeq);
    // `lastSeq` only ever grows over a complete prefix, so no gap means the history is whole.
    this.upsertView(conversationId, { messages, lastSeq, loaded: view.loaded || complete });

    const confirmed = new Set(fresh.map((m) => m.clientMessageId));
    if (this.state.pending.some((p) => confirmed.has(p.clientMessageId))) {
      this.setState({
        pending: this.state.pending.filter((p) => !confirmed.has(p.clientMessageId)),
      });
    }
    if (!this.state.open && view.loaded) {
      const arrived = fresh.filter((m) => m.authorKind !== AuthorKind.Visitor).length;
      if (arrived > 0) this.setState({ unread: this.state.unread + arrived });
    }
    if (!complete) this.requestSync(conversationId);
  }

  // ---------------------------------------------------------------- connection

  private connect(): void {
    const config = this.state.config;
    if (this.link || this.state.phase !== 'ready' || !config) return;
    const generation = this.generation;
    const current = (handler: () => void) => {
      if (generation === this.generation) handler();
    };
    this.sessionReady = false;
    this.setState({ connection: this.everConnected ? 'reconnecting' : 'connecting' });
    const listener: LinkListener = {
      onConnect: () => {
        current(() => {
          this.onConnect();
        });
      },
      onDisconnect: (willReconnect) => {
        current(() => {
          this.onDisconnect(willReconnect);
        });
      },
      onReconnecting: () => {
        current(() => {
          this.setState({ connection: this.everConnected ? 'reconnecting' : 'connecting' });
        });
      },
      onConnectError: (error, willRetry) => {
        current(() => {
          this.onConnectError(error, willRetry);
        });
      },
      onSession: (session) => {
        current(() => {
          this.onSession(session);
        });
      },
      onMessage: (message) => {
        current(() => {
          this.onMessage(message);
        });
      },
      onConversationUpdated: (conversation) => {
        current(() => {
          this.onConversationUpdated(conversation);
        });
      },
      onTransportChanged: () => {
        // The link reconnects with the new transports; messages and queue are kept as they are.
      },
    };
    this.link = this.options.createLink({
      transport: config.transport,
      auth: () => this.auth(),
      listener,
      reportFailure: this.options.reportFailure,
    });
    this.link.connect();
  }

  private auth(): WidgetAuth {
    const { store, siteKey } = this.options;
    let visitorToken = store.token() ?? undefined;
    if (visitorToken !== undefined && !VisitorTokenSchema.safeParse(visitorToken).success) {
      // A damaged token would get the whole handshake refused: start over as a new visitor.
      store.clearToken();
      visitorToken = undefined;
    }
    const { pageOrigin } = this.options;
    return {
      siteKey,
      ...(visitorToken === undefined ? {} : { visitorToken }),
      ...(this.pageUrl === undefined ? {} : { pageUrl: this.pageUrl }),
      ...(pageOrigin === undefined ? {} : { pageOrigin }),
      ...(this.identity === null ? {} : { identity: this.identity }),
    };
  }

  private dropLink(): void {
    this.generation += 1;
    this.sessionReady = false;
    this.syncing.clear();
    this.link?.close();
    this.link = null;
  }

  /** A visitor who closed the chat without a conversation holds no connection. */
  private releaseIfIdle(): void {
    if (
      this.link &&
      this.state.currentConversationId === null &&
      this.outbox.size === 0 &&
      this.syncing.size === 0
    ) {
      this.dropLink();
      this.setState({ connection: 'idle' });
    }
  }

  private onConnect(): void {
    this.everConnected = true;
    this.setState({ connection: 'connected', notice: null });
  }

  private onDisconnect(willReconnect: boolean): void {
    this.sessionReady = false;
    if (willReconnect) {
      this.setState({ connection: 'reconnecting' });
    } else {
      // The server ended the session; the next open or send connects again.
      this.dropLink();
      this.setState({ connection: 'idle' });
    }
  }

  private onConnectError(error: ConnectErrorLike, willRetry: boolean): void {
    const { store } = this.options;
    if (store.token() !== null && isInvalidVisitorTokenError(error)) {
      // The server no longer knows this visitor: carry on as a new one.
      store.clearToken();
      store.setHasOpenConversation(false);
      this.setState({ conversations: [], currentConversationId: null });
      this.link?.connect();
      return;
    }
    if (!willRetry) {
      this.dropLink();
      const refusal = refusalOf(error);
      if (refusal) this.options.warn?.(`Parley: the chat could not connect: ${refusal.message}`);
      this.setState({
        connection: 'unavailable',
        problem: error.message,
        notice: refusal ? noticeFor(refusal.code, refusal.message, this.options.strings) : null,
      });
      this.emitError(refusal?.code ?? 'UNAVAILABLE', refusal?.message ?? error.message);
      if (refusal?.code === ErrorCode.RateLimited && refusal.retryAfterMs !== undefined) {
        this.retryAfter(refusal.retryAfterMs);
      }
    }
  }

  /** Connects again once a rate limit has passed, if the visitor still wants the chat. */
  private retryAfter(ms: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state.open || this.outbox.size > 0 || this.options.store.hasOpenConversation()) {
        this.connect();
      }
    }, ms);
  }

  private onSession(session: VisitorSession): void {
    const { store } = this.options;
    if (session.visitorToken) store.setToken(session.visitorToken);
    this.sessionReady = true;
    this.sendAttributes(this.attributes);

    for (const c of session.conversations) {
      if (this.view(c.id)) this.upsertView(c.id, { status: c.status });
    }
    const open = newestOpen(session.conversations);
    if (open) this.upsertView(open.id, { status: 'OPEN' });
    this.setCurrent(open?.id ?? null);

    // Catch up on everything missed while away, then send what was typed meanwhile.
    for (const view of this.state.conversations) {
      const known = session.conversations.find((c) => c.id === view.id);
      if (view.status === 'OPEN' || !view.loaded || (known && known.lastSeq > view.lastSeq)) {
        this.requestSync(view.id);
      }
    }
    void this.outbox.flush();
  }

  private sendAttributes(attributes: VisitorAttributes): void {
    if (Object.keys(attributes).length === 0) return;
    this.link?.updateVisitor({ attributes }, (error) => {
      this.refuseAttributes(error);
    });
  }

  private refuseAttributes(error: { code: string; message: string }): void {
    this.options.warn?.(error.message);
    this.emitError(error.code, error.message);
  }

  private emitError(code: string, message: string): void {
    this.options.notify({ type: 'parley:event', name: 'error', data: { code, message } });
  }

  /** Tells the host page's `message` handlers about a message committed just now, once. */
  private announce(message: Message): void {
    if (this.view(message.conversationId)?.messages.some((m) => m.id === message.id)) return;
    const { id, conversationId, seq, authorKind, authorName, body, createdAt } = message;
    this.options.notify({
      type: 'parley:event',
      name: 'message',
      data: { id, conversationId, seq, authorKind, authorName, body, createdAt },
    });
  }

  private onMessage(message: Message): void {
    this.announce(message);
    const existing = this.view(message.conversationId);
    if (!existing) {
      // A conversation we had not seen (started elsewhere): it is open, and it needs its history.
      this.upsertView(message.conversationId, { status: 'OPEN' });
      if (this.state.currentConversationId === null) this.setCurrent(message.conversationId);
    }
    this.addMessages(message.conversationId, [message]);
  }

  private onConversationUpdated(conversation: VisitorConversation): void {
    this.upsertView(conversation.id, { status: conversation.status });
    if (conversation.status === 'OPEN') {
      if (this.state.currentConversationId !== conversation.id) this.setCurrent(conversation.id);
      if (conversation.lastSeq > (this.view(conversation.id)?.lastSeq ?? 0)) {
        this.requestSync(conversation.id);
      }
    } else if (this.state.currentConversationId === conversation.id) {
      this.setCurrent(null);
    }
  }

  // ---------------------------------------------------------------- sending

  private sendOnce(item: OutboxItem): Promise<SendAttempt> {
    const link = this.link;
    if (!link) return Promise.resolve({ kind: 'lost' });
    const conversationId = this.state.currentConversationId;
    const payload: VisitorSendMessage = {
      clientMessageId: item.clientMessageId,
      body: item.body,
      ...(conversationId === null ? {} : { conversationId }),
    };
    return link.sendMessage(payload);
  }

  private onSendAck(item: OutboxItem, ack: Ack<SendMessageResult>): void {
    if (!ack.ok) {
      this.updatePending(item.clientMessageId, { status: 'failed', error: ack.error.message });
      this.emitError(ack.error.code, ack.error.message);
      return;
    }
    const { conversationId, message } = ack.data;
    this.announce(message);
    const view = this.view(conversationId);
    if (view?.status !== 'OPEN') this.upsertView(conversationId, { status: 'OPEN' });
    this.setCurrent(conversationId);
    this.addMessages(conversationId, [message]);
    // An ack can arrive after its message:new: make sure the pending copy is gone either way.
    if (this.state.pending.some((p) => p.clientMessageId === item.clientMessageId)) {
      this.setState({
        pending: this.state.pending.filter((p) => p.clientMessageId !== item.clientMessageId),
      });
    }
  }

  // ---------------------------------------------------------------- syncing

  private requestSync(conversationId: string): void {
    if (!this.link || !this.sessionReady) return; // the next session:ready syncs
    if (this.syncing.has(conversationId)) {
      this.syncing.set(conversationId, true);
      return;
    }
    this.syncing.set(conversationId, false);
    void this.runSync(conversationId, this.link, this.generation);
  }

  private async runSync(conversationId: string, link: ChatLink, generation: number): Promise<void> {
    const request = async (req: Parameters<ChatLink['sync']>[0]): Promise<SyncResult> => {
      const ack = await link.sync(req);
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.data;
    };
    try {
      for (;;) {
        const afterSeq = this.view(conversationId)?.lastSeq ?? 0;
        const result = await fetchAfter(request, conversationId, afterSeq);
        if (generation !== this.generation) return;
        this.syncing.set(conversationId, false);
        this.addMessages(conversationId, result.messages, result.lastSeq);
        this.upsertView(conversationId, { loaded: true });
        if (!this.syncing.get(conversationId)) return;
      }
    } catch {
      // No answer or refused: the next reconnection or gap tries again.
    } finally {
      if (generation === this.generation) this.syncing.delete(conversationId);
    }
  }
}
