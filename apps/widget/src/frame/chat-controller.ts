import type {
  Ack,
  ConversationStatus,
  Message,
  ReadUpdate,
  SendMessageResult,
  TypingUpdate,
  SyncResult,
  VisitorAttributes,
  VisitorConversation,
  VisitorIdentity,
  VisitorSendMessage,
  VisitorSession,
  WidgetAuth,
  WidgetConfig,
} from '@parley/protocol';
import {
  AuthorKind,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  ErrorCode,
  isVisitorToken,
  Limits,
  preChatAsks,
  Typing,
  TypingNotifier,
} from '@parley/protocol/zod-free';
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
  /** Files uploaded for it (`Parley` sends a file as a message of its own). */
  attachmentIds?: string[];
  /** The file's name, shown while it goes out. */
  fileName?: string;
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
  /** Agents have seen the visitor's messages up to this seq ("Seen"). */
  agentLastReadSeq?: number;
  /** The read position this frame (or another tab) has told the server. */
  visitorLastReadSeq?: number;
  /** The visitor's rating, once given. */
  satisfactionRating?: number | null;
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
  /** Agent messages that arrived while the panel was closed or the tab hidden. */
  unread: number;
  /** A file being uploaded (its name), or null. */
  uploading: string | null;
  /** Why the last file could not be sent (too large, wrong type, refused), for the visitor. */
  fileError: string | null;
  /** Lets the frame upload files and show the conversation's files; from `session:ready`. */
  attachmentKey: string | null;
  /** The email the visitor left (so that agents can reply there), from the session. */
  email: string | null;
  /** The text of the last of them (the launcher's preview bubble). */
  preview: string | null;
  /** The visitor's name and email as the server knows them (null before the first session). */
  visitor: { name: string | null; email: string | null } | null;
  /** Every conversation of the visitor as the server listed it, newest first. */
  history: readonly VisitorConversation[];
  /** An older conversation on screen, opened from the list (null: the current one or a new one). */
  selectedConversationId: string | null;
  /** The list of conversations is on screen. */
  showingList: boolean;
  /** An agent is typing in this conversation. */
  agentTyping: { conversationId: string; name: string | null } | null;
  /** The pre-chat form was filled in (or had nothing to ask) in this session. */
  preChatDone: boolean;
  /** Conversations whose survey the visitor put aside. */
  surveyDismissed: readonly string[];
  /** The host page's tab is visible. */
  visible: boolean;
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
  /** Plays the new-message sound (the browser keeps it silent until the visitor interacts). */
  chime?: () => void;
  /** The longest random pause before catching up when the server asks (`sync:required`). */
  catchUpSpreadMs?: number;
  /**
   * How often a chat with no connection asks again for its look and who is online, while the
   * page is visible (a connected chat is told at once). Each pause varies by a fifth either way.
   */
  idleRefreshMs?: number;
}

/** Visitors spread their catch-ups over this long when every one of them is asked at once. */
const CATCH_UP_SPREAD_MS = 3_000;

/** A launcher on a page nobody has chatted from yet follows the console's changes this soon. */
const IDLE_REFRESH_MS = 60_000;

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

/** The browser's language and time zone, for the agents' visitor panel. */
function browserLocale(): { language?: string; timeZone?: string } {
  const language = typeof navigator === 'undefined' ? undefined : navigator.language;
  let timeZone: string | undefined;
  try {
    timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    timeZone = undefined;
  }
  return {
    ...(language ? { language: language.slice(0, 35) } : {}),
    ...(timeZone ? { timeZone: timeZone.slice(0, 64) } : {}),
  };
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
  email: null,
  preview: null,
  visitor: null,
  history: [],
  selectedConversationId: null,
  showingList: false,
  agentTyping: null,
  preChatDone: false,
  surveyDismissed: [],
  visible: true,
  uploading: null,
  fileError: null,
  attachmentKey: null,
};

/** The conversation on screen: an older one picked from the list, else the current one. */
export function shownConversationId(state: ChatState): string | null {
  if (state.showingList) return null;
  return state.selectedConversationId ?? state.currentConversationId;
}

/** Whether the pre-chat form stands before the composer. */
export function needsPreChat(state: ChatState): boolean {
  const settings = state.config?.preChat;
  if (!settings || state.preChatDone || state.visitor === null) return false;
  if (shownConversationId(state) !== null || state.pending.length > 0) return false;
  return preChatAsks(settings, state.visitor);
}

/** Whether the survey is asked under this conversation. */
export function asksSurvey(state: ChatState, view: ConversationView): boolean {
  return (
    view.status === 'RESOLVED' &&
    view.messages.length > 0 &&
    (view.satisfactionRating ?? null) === null &&
    !state.surveyDismissed.includes(view.id)
  );
}

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
  /** A catch-up the server asked for, waiting for its turn. */
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null;
  private everConnected = false;
  private pageUrl: string | undefined;
  /** Where the visitor came from (the host page's `document.referrer`), sent with the handshake. */
  private referrer: string | undefined;
  /** Conversations being synced; `true` when another pass was asked for meanwhile. */
  private readonly syncing = new Map<string, boolean>();
  /** The host page's signed-in user, sent with every handshake. */
  private identity: VisitorIdentity | null = null;
  private attributes: VisitorAttributes = {};
  /** The last `setAttributes` call, checked once it settles. */
  private attributesRead: Promise<void> = Promise.resolve();
  /** An email the visitor left that the server has not been sent yet. */
  private pendingEmail: string | null = null;
  /** A reconnection planned for when a rate limit has passed. */
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private typingExpiry: ReturnType<typeof setTimeout> | null = null;
  /** The next time a chat with no connection fetches its configuration again. */
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private configLoadedAt = 0;
  private disposed = false;
  /** The launcher's look last sent to the loader, so that only changes are sent. */
  private launcherSent = '';
  private strings: Strings;
  /** The visitor's typing notices for the conversation on screen. */
  private readonly typingNotifier = new TypingNotifier({
    send: (typing) => {
      const id = this.targetConversationId();
      if (id !== null && this.sessionReady) this.link?.setTyping(id, typing);
    },
  });

  constructor(private readonly options: ChatControllerOptions) {
    this.strings = options.strings ?? STRINGS.en;
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
    this.configLoadedAt = Date.now();
    this.setState({ phase: 'ready', config });
    this.showLauncher(config);
    this.scheduleRefresh();
    if (this.options.store.hasOpenConversation() || this.state.open || this.outbox.size > 0) {
      this.connect();
    }
  }

  readonly setOpen = (open: boolean): void => {
    if (open === this.state.open) return;
    this.setState(
      open ? { open, ...(this.state.visible ? { unread: 0, preview: null } : {}) } : { open },
    );
    if (open) this.connect();
    else this.releaseIfIdle();
    this.markShownRead();
  };

  /** The host page's tab became visible or hidden. */
  readonly setVisible = (visible: boolean): void => {
    if (visible === this.state.visible) return;
    this.setState(visible && this.state.open ? { visible, unread: 0, preview: null } : { visible });
    this.markShownRead();
    // Back on a tab left for a while: the console may have changed the look or who is online.
    const refreshMs = this.options.idleRefreshMs ?? IDLE_REFRESH_MS;
    if (visible && !this.link?.connected && Date.now() - this.configLoadedAt > refreshMs / 4) {
      void this.refreshConfig();
    }
  };

  /** `Parley.setLocale(...)`: the language of the notices the controller writes. */
  readonly setStrings = (strings: Strings): void => {
    this.strings = strings;
  };

  // ---------------------------------------------------------------- conversations list

  readonly showList = (): void => {
    this.typingNotifier.stop();
    this.setState({ showingList: true });
  };

  /** Opens a conversation from the list: its history, read-only until the visitor writes. */
  readonly select = (conversationId: string): void => {
    this.typingNotifier.stop();
    const current = this.state.currentConversationId;
    this.setState({
      showingList: false,
      selectedConversationId: conversationId === current ? null : conversationId,
    });
    const view = this.view(conversationId);
    const summary = this.state.history.find((c) => c.id === conversationId);
    if (!view) {
      this.upsertView(conversationId, {
        status: summary?.status ?? 'RESOLVED',
        agentLastReadSeq: summary?.agentLastReadSeq ?? 0,
        satisfactionRating: summary?.satisfactionRating ?? null,
      });
    }
    if (!this.view(conversationId)?.loaded) this.requestSync(conversationId);
    this.markShownRead();
  };

  /** A new conversation, once the last one is resolved. */
  readonly startNew = (): void => {
    if (this.state.currentConversationId !== null) {
      this.select(this.state.currentConversationId);
      return;
    }
    this.setState({ showingList: false, selectedConversationId: null });
  };

  // ---------------------------------------------------------------- typing, survey, pre-chat

  /** A keystroke in the composer. */
  readonly typing = (): void => {
    if (this.targetConversationId() !== null) this.typingNotifier.input();
  };

  readonly dismissSurvey = (conversationId: string): void => {
    this.setState({ surveyDismissed: [...this.state.surveyDismissed, conversationId] });
  };

  /** Sends the visitor's rating; resolves with a reason when it was not taken. */
  readonly rate = async (
    conversationId: string,
    rating: number,
    comment: string,
  ): Promise<string | null> => {
    const link = this.link;
    if (!link || !this.sessionReady) return this.strings.notConnected;
    try {
      const ack = await link.rate({
        conversationId,
        rating,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      if (!ack.ok) return ack.error.message;
      this.upsertView(conversationId, {
        satisfactionRating: ack.data.satisfactionRating ?? rating,
      });
      this.upsertHistory(ack.data);
      return null;
    } catch {
      return this.strings.notConnected;
    }
  };

  /**
   * The pre-chat form: stores the name and email on the visitor (the server checks the
   * required ones again before the first message). Resolves with a reason when refused.
   */
  readonly submitPreChat = async (fields: {
    name: string;
    email: string;
  }): Promise<{ field: 'name' | 'email' | null; message: string } | null> => {
    const settings = this.state.config?.preChat;
    const name = fields.name.trim();
    const email = fields.email.trim();
    if (settings?.name === 'required' && !name) {
      return { field: 'name', message: this.strings.nameRequired };
    }
    if (settings?.email === 'required' && !email) {
      return { field: 'email', message: this.strings.emailRequired };
    }
    const update = { ...(name ? { name } : {}), ...(email ? { email } : {}) };
    const { readVisitorUpdate } = await import('./host-input');
    const parsed = readVisitorUpdate(update);
    if (!parsed.ok) {
      const { field } = parsed;
      return {
        field,
        message: field === 'email' ? this.strings.emailInvalid : this.strings.nameRequired,
      };
    }
    if (Object.keys(update).length === 0) {
      this.setState({ preChatDone: true });
      return null;
    }
    const link = this.link;
    if (!link || !this.sessionReady) return { field: null, message: this.strings.notConnected };
    try {
      const ack = await link.saveVisitor(parsed.update);
      if (!ack.ok) return { field: null, message: ack.error.message };
      this.setState({
        preChatDone: true,
        visitor: { name: ack.data.name, email: ack.data.email },
      });
      return null;
    } catch {
      return { field: null, message: this.strings.notConnected };
    }
  };

  /** The host page's URL, from the loader; sent with the handshake and on every change. */
  readonly setPageUrl = (url: string, referrer?: string): void => {
    this.pageUrl = url.slice(0, Limits.urlMax);
    if (referrer) this.referrer = referrer.slice(0, Limits.urlMax);
    if (this.sessionReady && this.link?.connected) {
      this.link.updateVisitor({ pageUrl: this.pageUrl });
    }
  };

  /**
   * The visitor leaves an email for a reply while nobody is there. Shown at once; sent now when
   * a session is open, else with the next one; a refusal puts the question back with its reason.
   */
  readonly setEmail = (email: string): void => {
    this.pendingEmail = email;
    this.setState({ email });
    if (this.sessionReady && this.link?.connected) this.sendEmail();
    else this.connect();
  };

  /**
   * Fetches the configuration again (the look, who is online, business hours): as the panel
   * opens, and now and then while the chat has no connection to be told of changes.
   */
  readonly refreshConfig = async (): Promise<void> => {
    try {
      const config = await this.options.loadConfig();
      if (!this.state.config) return;
      this.configLoadedAt = Date.now();
      this.setState({ config });
      this.showLauncher(config);
    } catch {
      // The last known configuration stays.
    }
  };

  /**
   * The host page's signed-in user (`null` when none). A different user means other
   * conversations: the chat forgets what it shows and connects again as that user.
   */
  readonly setIdentity = (identity: VisitorIdentity | null): void => {
    if (sameIdentity(identity, this.identity)) return;
    this.identity = identity;
    this.setState({
      conversations: [],
      currentConversationId: null,
      notice: null,
      history: [],
      selectedConversationId: null,
      showingList: false,
      visitor: null,
      preChatDone: false,
      agentTyping: null,
    });
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
    this.pendingEmail = null;
    this.options.store.clearToken();
    this.setState({
      email: null,
      conversations: [],
      currentConversationId: null,
      pending: [],
      notice: null,
      unread: 0,
      preview: null,
      history: [],
      selectedConversationId: null,
      showingList: false,
      visitor: null,
      preChatDone: false,
      agentTyping: null,
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
  readonly setAttributes = (value: unknown): Promise<void> => {
    // Checked by code loaded on first use; calls are taken in the order they were made.
    this.attributesRead = this.attributesRead.then(async () => {
      const { readAttributes } = await import('./host-input');
      const read = readAttributes(value);
      if (!read.ok) {
        this.refuseAttributes({
          code: ErrorCode.ValidationFailed,
          message: `Parley.setAttributes: ${read.detail}`,
        });
        return;
      }
      this.attributes = { ...this.attributes, ...read.attributes };
      if (this.sessionReady) this.sendAttributes(read.attributes);
    });
    return this.attributesRead;
  };

  /** Queues a message; returns false (and does nothing) when there is nothing to send. */
  /**
   * Uploads a file the visitor picked and sends it as a message of its own. A file of the wrong
   * type or too large is refused here, before any upload, with a sentence for the visitor; the
   * server checks both again (by the file's bytes) and its refusal is shown the same way.
   */
  readonly sendFile = async (file: File): Promise<void> => {
    // Files are not needed to show the chat: their code is loaded when the first one is sent.
    const { checkFile, uploadAttachment } = await import('./attachments');
    const strings = this.options.strings ?? STRINGS.en;
    const key = this.state.attachmentKey;
    if (this.state.phase !== 'ready' || key === null || this.state.uploading !== null) return;
    const maxBytes = this.state.config?.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
    const refusal = checkFile(file, maxBytes, strings);
    if (refusal) {
      this.setState({ fileError: refusal });
      return;
    }
    this.setState({ uploading: file.name, fileError: null });
    const result = await uploadAttachment(file, key, strings);
    this.setState({ uploading: null });
    if (!result.ok) {
      this.setState({ fileError: result.message });
      return;
    }
    const clientMessageId = this.options.newId();
    const attachmentIds = [result.attachment.id];
    this.setState({
      pending: [
        ...this.state.pending,
        {
          clientMessageId,
          body: '',
          status: 'sending',
          error: null,
          attachmentIds,
          fileName: result.attachment.name,
        },
      ],
    });
    this.outbox.enqueue({ clientMessageId, body: '', attachmentIds });
    this.connect();
  };

  readonly send = (text: string): boolean => {
    const body = text.trim();
    if (!body || body.length > Limits.messageBodyMax || this.state.phase !== 'ready') return false;
    const clientMessageId = this.options.newId();
    this.typingNotifier.stop();
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
    this.outbox.enqueue({
      clientMessageId,
      body: item.body,
      ...(item.attachmentIds ? { attachmentIds: item.attachmentIds } : {}),
    });
    this.connect();
  };

  readonly requestClose = (): void => {
    this.options.notify({ type: 'parley:close-request' });
  };

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.typingExpiry) clearTimeout(this.typingExpiry);
    this.typingNotifier.stop();
    this.dropLink();
  }

  // ---------------------------------------------------------------- state

  private setState(patch: Partial<ChatState>): void {
    const previous = this.state;
    this.state = { ...previous, ...patch };
    if (this.state.connection !== previous.connection) {
      this.options.notify({ type: 'parley:connection', state: this.state.connection });
    }
    if (this.state.unread !== previous.unread || this.state.preview !== previous.preview) {
      this.options.notify({
        type: 'parley:unread',
        count: this.state.unread,
        preview: this.state.preview ?? '',
      });
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
    const fromAgents = fresh.filter((m) => m.authorKind !== AuthorKind.Visitor);
    const last = fromAgents.at(-1);
    if (last && this.state.agentTyping?.conversationId === conversationId) {
      this.setState({ agentTyping: null });
    }
    if ((!this.state.open || !this.state.visible) && view.loaded && last) {
      this.setState({
        unread: this.state.unread + fromAgents.length,
        preview: last.body.slice(0, 140),
      });
      // The browser lets it sound only once the visitor has interacted with the page.
      this.options.chime?.();
    }
    const newest = messages.at(-1);
    if (newest) {
      const summary = this.state.history.find((c) => c.id === conversationId);
      this.upsertHistory({
        ...(summary ?? {
          id: conversationId,
          status: view.status === 'RESOLVED' ? 'RESOLVED' : 'OPEN',
          createdAt: newest.createdAt,
        }),
        lastSeq: Math.max(summary?.lastSeq ?? 0, newest.seq),
        lastMessageAt: newest.createdAt,
        lastMessagePreview: newest.body.slice(0, 140),
      });
    }
    if (!complete) this.requestSync(conversationId);
    this.markShownRead();
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
      onAvailability: ({ agentsOnline }) => {
        current(() => {
          const config = this.state.config;
          if (!config?.availability) return;
          const { hideLauncherWhenOffline } = config.availability;
          const availability = {
            ...config.availability,
            agentsOnline,
            hideLauncher: hideLauncherWhenOffline && !agentsOnline,
          };
          this.setState({ config: { ...config, availability } });
          this.showLauncher(this.state.config ?? config);
        });
      },
      onTransportChanged: () => {
        // The link reconnects with the new transports; messages and queue are kept as they are.
      },
      onTyping: (update) => {
        current(() => {
          this.onTyping(update);
        });
      },
      onRead: (update) => {
        current(() => {
          this.onRead(update);
        });
      },
      onWidgetUpdated: (widget) => {
        current(() => {
          this.onWidgetUpdated(widget);
        });
      },
      onSyncRequired: () => {
        current(() => {
          this.onSyncRequired();
        });
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
    if (visitorToken !== undefined && !isVisitorToken(visitorToken)) {
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
      ...(this.referrer === undefined ? {} : { referrer: this.referrer }),
      ...browserLocale(),
    };
  }

  private dropLink(): void {
    this.generation += 1;
    this.sessionReady = false;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.catchUpTimer = null;
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
      this.setState({
        conversations: [],
        currentConversationId: null,
        history: [],
        selectedConversationId: null,
        showingList: false,
        visitor: null,
        preChatDone: false,
        agentTyping: null,
      });
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
        notice: refusal ? noticeFor(refusal.code, refusal.message, this.strings) : null,
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

  /** An admin changed the appearance: the chat and the loader's launcher follow at once. */
  private onWidgetUpdated(widget: WidgetConfig['widget']): void {
    const config = this.state.config;
    if (!config) return;
    this.setState({ config: { ...config, widget } });
    this.showLauncher({ ...config, widget });
  }

  /** Sends the loader the launcher's look (hidden while the site hides it), when it changed. */
  private showLauncher(config: WidgetConfig): void {
    const appearance = launcherAppearance(
      config.widget,
      config.availability?.hideLauncher === true,
    );
    const key = JSON.stringify(appearance);
    if (key === this.launcherSent) return;
    this.launcherSent = key;
    this.options.notify({ type: 'parley:launcher', ...appearance });
  }

  /** The next refresh of a chat with no connection, while its page is visible. */
  private scheduleRefresh(): void {
    if (this.disposed) return;
    const refreshMs = this.options.idleRefreshMs ?? IDLE_REFRESH_MS;
    this.refreshTimer = setTimeout(
      () => {
        this.refreshTimer = null;
        const idle = this.state.visible && !this.link?.connected;
        void (idle ? this.refreshConfig() : Promise.resolve()).then(() => {
          this.scheduleRefresh();
        });
      },
      refreshMs * (0.8 + Math.random() * 0.4),
    );
  }

  private onSession(session: VisitorSession): void {
    const { store } = this.options;
    if (session.visitorToken) store.setToken(session.visitorToken);
    this.sessionReady = true;
    if (session.attachmentKey) this.setState({ attachmentKey: session.attachmentKey });
    this.sendAttributes(this.attributes);
    if (this.pendingEmail !== null) this.sendEmail();
    else this.setState({ email: session.email });

    this.setState({ visitor: { name: session.name, email: session.email } });
    const open = newestOpen(session.conversations);
    if (open) this.upsertView(open.id, { status: 'OPEN' });
    this.setCurrent(open?.id ?? null);
    // Catch up on everything missed while away, then send what was typed meanwhile.
    this.catchUp(session.conversations);
    void this.outbox.flush();
    this.markShownRead();
  }

  /** The visitor's conversations as stored: statuses, receipts and ratings, then missed messages. */
  private catchUp(conversations: VisitorConversation[]): void {
    this.setState({ history: conversations });
    for (const c of conversations) {
      if (this.view(c.id)) this.upsertView(c.id, { status: c.status, ...readAndRating(c) });
    }
    for (const view of this.state.conversations) {
      const known = conversations.find((c) => c.id === view.id);
      if (view.status === 'OPEN' || !view.loaded || (known && known.lastSeq > view.lastSeq)) {
        this.requestSync(view.id);
      }
    }
  }

  /**
   * The server may have lost live events (its nodes lost touch for a moment): re-read the
   * conversations and catch up, after a random pause so that every visitor does not ask at once.
   */
  private onSyncRequired(): void {
    const link = this.link;
    if (!link || !this.sessionReady || this.catchUpTimer) return;
    const generation = this.generation;
    this.catchUpTimer = setTimeout(
      () => {
        this.catchUpTimer = null;
        if (generation !== this.generation || !this.sessionReady) return;
        link.listConversations().then(
          (ack) => {
            if (ack.ok && generation === this.generation) this.catchUp(ack.data.conversations);
          },
          () => {
            // No answer: the next reconnection catches up.
          },
        );
      },
      Math.random() * (this.options.catchUpSpreadMs ?? CATCH_UP_SPREAD_MS),
    );
  }

  private sendEmail(): void {
    const email = this.pendingEmail;
    if (email === null) return;
    this.link?.updateVisitor({ email }, (error) => {
      this.setState({ email: null, notice: error.message });
    });
    this.pendingEmail = null;
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
    this.upsertView(conversation.id, {
      status: conversation.status,
      ...readAndRating(conversation),
    });
    const summary = this.state.history.find((c) => c.id === conversation.id);
    this.upsertHistory({ ...summary, ...conversation });
    if (conversation.status === 'OPEN') {
      if (this.state.currentConversationId !== conversation.id) this.setCurrent(conversation.id);
      if (this.state.selectedConversationId === conversation.id) {
        this.setState({ selectedConversationId: null });
      }
      if (conversation.lastSeq > (this.view(conversation.id)?.lastSeq ?? 0)) {
        this.requestSync(conversation.id);
      }
    } else if (this.state.currentConversationId === conversation.id) {
      this.setCurrent(null);
      // It stays on screen, with its closing note and the survey, until the visitor moves on.
      if (!this.state.showingList && this.state.selectedConversationId === null) {
        this.setState({ selectedConversationId: conversation.id });
      }
      if (this.state.agentTyping?.conversationId === conversation.id) {
        this.setState({ agentTyping: null });
      }
    }
  }

  private onTyping(update: TypingUpdate): void {
    if (update.author !== 'AGENT') return;
    if (this.typingExpiry) clearTimeout(this.typingExpiry);
    this.typingExpiry = null;
    if (!update.typing) {
      if (this.state.agentTyping?.conversationId === update.conversationId) {
        this.setState({ agentTyping: null });
      }
      return;
    }
    this.setState({ agentTyping: { conversationId: update.conversationId, name: update.name } });
    // A lost "stopped" must not leave the indicator on.
    this.typingExpiry = setTimeout(() => {
      this.typingExpiry = null;
      this.setState({ agentTyping: null });
    }, Typing.expireMs);
  }

  private onRead(update: ReadUpdate): void {
    const view = this.view(update.conversationId);
    if (!view) return;
    if (update.reader === 'AGENT') {
      if (update.seq > (view.agentLastReadSeq ?? 0)) {
        this.upsertView(view.id, { agentLastReadSeq: update.seq });
      }
    } else if (update.seq > (view.visitorLastReadSeq ?? 0)) {
      this.upsertView(view.id, { visitorLastReadSeq: update.seq });
    }
  }

  /** Where the visitor's messages and typing go: the conversation on screen, else the current one. */
  private targetConversationId(): string | null {
    return this.state.selectedConversationId ?? this.state.currentConversationId;
  }

  /** Merges a conversation into the list (a summary without a preview keeps the one known). */
  private upsertHistory(conversation: VisitorConversation): void {
    const existing = this.state.history.find((c) => c.id === conversation.id);
    const rest = this.state.history.filter((c) => c.id !== conversation.id);
    const history = [{ ...existing, ...conversation }, ...rest].sort(
      (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
    );
    this.setState({ history });
  }

  /**
   * Tells the server how far the visitor has read the conversation on screen: only while the
   * panel is open and the tab visible, and only forward.
   */
  private markShownRead(): void {
    if (!this.state.open || !this.state.visible || !this.sessionReady || !this.link) return;
    const id = shownConversationId(this.state);
    const view = id === null ? undefined : this.view(id);
    if (!view?.loaded || view.lastSeq <= (view.visitorLastReadSeq ?? 0)) return;
    this.upsertView(view.id, { visitorLastReadSeq: view.lastSeq });
    this.link.markRead(view.id, view.lastSeq);
  }

  // ---------------------------------------------------------------- sending

  private sendOnce(item: OutboxItem): Promise<SendAttempt> {
    const link = this.link;
    if (!link) return Promise.resolve({ kind: 'lost' });
    const conversationId = this.targetConversationId();
    const payload: VisitorSendMessage = {
      clientMessageId: item.clientMessageId,
      body: item.body,
      ...(conversationId === null ? {} : { conversationId }),
      ...(item.attachmentIds ? { attachmentIds: item.attachmentIds } : {}),
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
    if (this.state.selectedConversationId === conversationId) {
      this.setState({ selectedConversationId: null });
    }
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

/** The read position and rating a conversation summary carries, as a view patch. */
function readAndRating(c: VisitorConversation): Partial<ConversationView> {
  return {
    ...(c.agentLastReadSeq === undefined ? {} : { agentLastReadSeq: c.agentLastReadSeq }),
    ...(c.satisfactionRating === undefined ? {} : { satisfactionRating: c.satisfactionRating }),
  };
}
