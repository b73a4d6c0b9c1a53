import {
  PRESENCE_VISITORS_MAX,
  Typing,
  type Ack,
  type Agent,
  type AgentPreferences,
  type AgentPresence,
  type PresenceStatus,
  type UpdateAgentPreferences,
  type VisitorDetails,
  type VisitorPresence,
  type AgentSendMessage,
  type CannedResponse,
  type ClientTransportConfig,
  type Conversation,
  type ConversationStatus,
  type InboxView,
  type Message,
  type UpdateConversation,
  type SendMessageResult,
  type SyncRequest,
  type SyncResult,
  type ReadUpdate,
  type TypingUpdate,
} from '@parley/protocol';
import type { ConsoleApi } from '../api/console-api';
import { ApiRequestError, errorMessage } from '../api/http';
import { type InboxAction, type InboxState, inboxReducer, initialInbox } from '../lib/inbox';
import { EMPTY_THREAD, type Thread, receiveMessages, receivePage } from '../lib/messages';
import {
  type Outbox,
  enqueue,
  markFailed,
  markSending,
  readyToSend,
  remove,
  requeue,
  retry,
} from '../lib/outbox';
import { loadReadState, saveReadState } from './read-state';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** The engine.io transport in use while connected: `polling` or `websocket`. */
  readonly transport: string | null;
  /** Why the console is not connected, in words, when it is known. */
  readonly detail: string | null;
}

export interface ThreadState extends Thread {
  /** `loading` until the first history fetch completes. */
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: string | null;
  /** The thread may have missed live messages (it was not open across a reconnect). */
  readonly stale: boolean;
}

export interface ConsoleState {
  readonly agent: Agent;
  readonly connection: ConnectionState;
  readonly inbox: InboxState;
  readonly threads: Readonly<Record<string, ThreadState>>;
  readonly outbox: Outbox;
  readonly activeConversationId: string | null;
  /** The transport options in force, from `/api/config` or `transport:changed`. */
  readonly transport: ClientTransportConfig | null;
  /** Bumped on every `transport:changed`, so pages showing the settings can refetch. */
  readonly transportRevision: number;
  /** Texts to insert with `/shortcut`. */
  readonly cannedResponses: readonly CannedResponse[];
  /** The active agents, to assign conversations to. */
  readonly teammates: readonly Agent[];
  /** Agents' presence by id, live. */
  readonly agentPresence: Readonly<Record<string, PresenceStatus>>;
  /** Visitors with the chat open, by id, live. */
  readonly onlineVisitors: Readonly<Record<string, true>>;
  /** The agent's own preferences (away switch, notifications); null until loaded. */
  readonly preferences: AgentPreferences | null;
  /** Conversations whose visitor is typing now (ephemeral, from `typing:updated`). */
  readonly visitorTyping: Readonly<Record<string, true>>;
}

export type SendOutcome =
  | { readonly kind: 'acked'; readonly ack: Ack<SendMessageResult> }
  /** No ack: timed out, or the connection dropped first. The reply is sent again. */
  | { readonly kind: 'lost'; readonly reason: string };

/** What the store needs from the socket. */
export interface RealtimeLink {
  readonly connected: boolean;
  send(payload: AgentSendMessage): Promise<SendOutcome>;
  sync(request: SyncRequest): Promise<SyncResult>;
  /** `conversation:update`; rejects when there is no answer. */
  update(request: UpdateConversation): Promise<Ack<Conversation>>;
  /** `typing:set`, best effort (a lost notice expires by itself). */
  typing?(conversationId: string, typing: boolean): void;
  /** `read:mark`, best effort (the next mark carries the position again). */
  markRead?(conversationId: string, seq: number): void;
}

export interface StoreDeps {
  readonly api: Pick<ConsoleApi, 'listConversations' | 'messages'> &
    Partial<
      Pick<
        ConsoleApi,
        'cannedResponses' | 'teammates' | 'presence' | 'preferences' | 'updatePreferences'
      >
    >;
  /** A live message arrived (after the inbox took it in): notifications decide from here. */
  readonly onLiveMessage?: (message: Message) => void;
  /** Called when an API call answers 401: the session is gone. */
  readonly onUnauthorized?: () => void;
  /** Where read positions persist across reloads; null keeps them in memory. */
  readonly storage?: Storage | null;
  readonly isPageVisible?: () => boolean;
  readonly newClientMessageId?: () => string;
  readonly now?: () => number;
}

type Listener = () => void;

/**
 * The console's state and everything that changes it: the inbox, the open threads, replies on
 * their way, the connection. Socket events and user actions call its methods; React reads it
 * through `useSyncExternalStore`. It holds no socket itself (see `RealtimeLink`).
 */
export class ConsoleStore {
  private state: ConsoleState;
  private readonly listeners = new Set<Listener>();
  private link: RealtimeLink | null = null;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private listRequest = 0;
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly syncing = new Set<string>();
  private readonly syncAgain = new Set<string>();
  private readonly drafts = new Map<string, string>();
  private readonly isPageVisible: () => boolean;
  private readonly newClientMessageId: () => string;
  private readonly now: () => number;

  private readonly visitorListeners = new Set<(visitor: VisitorDetails) => void>();

  constructor(
    agent: Agent,
    private readonly deps: StoreDeps,
  ) {
    this.isPageVisible = deps.isPageVisible ?? (() => true);
    this.newClientMessageId = deps.newClientMessageId ?? (() => crypto.randomUUID());
    this.now = deps.now ?? (() => Date.now());
    this.state = {
      agent,
      connection: { status: 'connecting', transport: null, detail: null },
      inbox: initialInbox(loadReadState(deps.storage ?? null, agent.id), agent.id),
      threads: {},
      outbox: [],
      activeConversationId: null,
      transport: null,
      transportRevision: 0,
      cannedResponses: [],
      teammates: [],
      agentPresence: {},
      onlineVisitors: {},
      preferences: null,
      visitorTyping: {},
    };
  }

  // ---- subscription ---------------------------------------------------------------------

  readonly getState = (): ConsoleState => this.state;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(change: Partial<ConsoleState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  /** The signed-in agent changed its own profile (name, picture). */
  setAgent(agent: Agent): void {
    if (agent.id === this.state.agent.id) this.set({ agent });
  }

  /** An admin changed the canned responses: the composer offers the new list at once. */
  setCannedResponses(cannedResponses: readonly CannedResponse[]): void {
    this.set({ cannedResponses });
  }

  private dispatchInbox(action: InboxAction): void {
    const inbox = inboxReducer(this.state.inbox, action);
    if (inbox === this.state.inbox) return;
    const readChanged = inbox.readSeq !== this.state.inbox.readSeq;
    this.set({ inbox });
    if (readChanged) saveReadState(this.deps.storage ?? null, this.state.agent.id, inbox.readSeq);
  }

  private setThread(conversationId: string, thread: ThreadState): void {
    this.set({ threads: { ...this.state.threads, [conversationId]: thread } });
  }

  private setOutbox(outbox: Outbox): void {
    if (outbox !== this.state.outbox) this.set({ outbox });
  }

  // ---- connection -----------------------------------------------------------------------

  attach(link: RealtimeLink): void {
    this.link = link;
  }

  detach(link: RealtimeLink): void {
    if (this.link === link) this.link = null;
  }

  /** The transport options in force changed (first config fetch or `transport:changed`). */
  transportConfigured(config: ClientTransportConfig, changedByServer: boolean): void {
    this.set({
      transport: config,
      transportRevision: this.state.transportRevision + (changedByServer ? 1 : 0),
    });
  }

  /** The socket is connected, for the first time or again: catch up on everything missed. */
  connected(transport: string): void {
    this.set({ connection: { status: 'connected', transport, detail: null } });
    this.catchUp();
    this.pump();
  }

  /**
   * The server may have lost live events (its nodes lost touch for a moment): catch up as after
   * a reconnection, after a random pause so that every console does not ask at once.
   */
  syncRequired(spreadMs = 3_000): void {
    if (this.catchUpTimer) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      if (this.state.connection.status === 'connected') this.catchUp();
    }, Math.random() * spreadMs);
  }

  /** The inbox again; the open thread syncs by seq, the others sync when next opened. */
  private catchUp(): void {
    void this.refreshInbox();
    const active = this.state.activeConversationId;
    const threads: Record<string, ThreadState> = {};
    for (const [id, thread] of Object.entries(this.state.threads)) {
      threads[id] = id === active || thread.stale ? thread : { ...thread, stale: true };
    }
    this.set({ threads });
    if (active && this.state.threads[active]) void this.syncThread(active, 'socket');
  }

  transportUpgraded(transport: string): void {
    if (this.state.connection.status !== 'connected') return;
    this.set({ connection: { ...this.state.connection, transport } });
  }

  /** The connection dropped or a (re)connection attempt failed; socket.io keeps trying. */
  connectionLost(detail: string | null): void {
    const status: ConnectionStatus =
      this.state.connection.status === 'connecting' ? 'connecting' : 'reconnecting';
    this.set({ connection: { status, transport: null, detail } });
  }

  // ---- inbox ----------------------------------------------------------------------------

  setFilter(filter: ConversationStatus): void {
    if (filter === this.state.inbox.filter) return;
    this.dispatchInbox({ type: 'filterChanged', filter });
    void this.refreshInbox();
  }

  setView(view: InboxView): void {
    this.dispatchInbox({ type: 'viewChanged', view });
  }

  /** Loads what the conversation tools need: canned responses and teammates. */
  async loadWorkspace(): Promise<void> {
    await Promise.all([this.loadCannedResponses(), this.loadTeammates(), this.loadPreferences()]);
  }

  async loadCannedResponses(): Promise<void> {
    const { cannedResponses } = this.deps.api;
    if (!cannedResponses) return;
    try {
      this.set({ cannedResponses: await cannedResponses() });
    } catch (error) {
      // Without them the composer still sends; the next load tries again.
      this.handleUnauthorized(error);
    }
  }

  /** Refreshed whenever a conversation opens, so agents added since appear in the list. */
  async loadTeammates(): Promise<void> {
    const { teammates } = this.deps.api;
    if (!teammates) return;
    try {
      this.set({ teammates: await teammates() });
    } catch (error) {
      // The assignee list keeps what it had.
      this.handleUnauthorized(error);
    }
  }

  /**
   * Changes a conversation's status or assignee. Resolves with null when done, or with the
   * reason it was not.
   */
  async updateConversation(request: UpdateConversation): Promise<string | null> {
    const link = this.link;
    if (!link?.connected) return 'You are offline. Try again when the connection is back.';
    try {
      const ack = await link.update(request);
      if (!ack.ok) return ack.error.message;
      this.conversationUpdated(ack.data);
      return null;
    } catch (error) {
      return errorMessage(error);
    }
  }

  async refreshInbox(): Promise<void> {
    const request = ++this.listRequest;
    const status = this.state.inbox.filter;
    this.dispatchInbox({ type: 'listRequested' });
    try {
      const conversations = await this.deps.api.listConversations(status);
      if (request !== this.listRequest) return;
      this.dispatchInbox({ type: 'listLoaded', status, conversations });
      this.markActiveRead();
      void this.refreshPresence();
    } catch (error) {
      if (this.handleUnauthorized(error) || request !== this.listRequest) return;
      this.dispatchInbox({ type: 'listFailed', error: errorMessage(error) });
    }
  }

  conversationUpdated(conversation: Conversation): void {
    this.dispatchInbox({ type: 'conversationUpdated', conversation });
    if (conversation.id === this.state.activeConversationId) this.markActiveRead();
  }

  messageReceived(message: Message): void {
    if (message.authorKind === 'VISITOR' && this.state.visitorTyping[message.conversationId]) {
      this.setVisitorTyping(message.conversationId, false);
    }
    this.commit(message);
    this.deps.onLiveMessage?.(message);
  }

  // ---- presence -------------------------------------------------------------------------

  agentPresenceChanged(presence: AgentPresence): void {
    this.set({
      agentPresence: { ...this.state.agentPresence, [presence.agentId]: presence.status },
    });
  }

  /** A visitor's details changed (`visitor:updated`): the visitor panel listens. */
  visitorUpdated(visitor: VisitorDetails): void {
    for (const listener of this.visitorListeners) listener(visitor);
  }

  onVisitorUpdated(listener: (visitor: VisitorDetails) => void): () => void {
    this.visitorListeners.add(listener);
    return () => {
      this.visitorListeners.delete(listener);
    };
  }

  visitorPresenceChanged(presence: VisitorPresence): void {
    const online = Object.fromEntries(
      Object.entries(this.state.onlineVisitors).filter(([id]) => id !== presence.visitorId),
    );
    if (presence.online) online[presence.visitorId] = true;
    this.set({ onlineVisitors: online });
  }

  /** Every agent's presence and that of the inbox's visitors (live events keep them current). */
  async refreshPresence(): Promise<void> {
    const { presence } = this.deps.api;
    if (!presence) return;
    const visitorIds = [
      ...new Set(Object.values(this.state.inbox.byId).map((c) => c.visitor.id)),
    ].slice(0, PRESENCE_VISITORS_MAX);
    try {
      const snapshot = await presence(visitorIds);
      const asked = new Set(visitorIds);
      // Visitors not asked about keep what live events said.
      const online = Object.fromEntries(
        Object.entries(this.state.onlineVisitors).filter(([id]) => !asked.has(id)),
      );
      for (const id of snapshot.onlineVisitorIds) online[id] = true;
      this.set({
        agentPresence: Object.fromEntries(snapshot.agents.map((a) => [a.agentId, a.status])),
        onlineVisitors: online,
      });
    } catch (error) {
      this.handleUnauthorized(error);
    }
  }

  async loadPreferences(): Promise<void> {
    const { preferences } = this.deps.api;
    if (!preferences) return;
    try {
      this.set({ preferences: await preferences() });
    } catch (error) {
      this.handleUnauthorized(error);
    }
  }

  /** Changes the agent's own preferences; resolves with null when saved, or why not. */
  async updatePreferences(update: UpdateAgentPreferences): Promise<string | null> {
    const { updatePreferences } = this.deps.api;
    if (!updatePreferences) return 'Preferences cannot be changed here.';
    // Shown at once; the server's answer confirms it, a failure puts back what was there.
    const before = this.state.preferences;
    if (before) this.set({ preferences: { ...before, ...update } });
    try {
      this.set({ preferences: await updatePreferences(update) });
      return null;
    } catch (error) {
      if (this.handleUnauthorized(error)) return null;
      if (before) this.set({ preferences: before });
      return errorMessage(error);
    }
  }

  /** The tab became visible or hidden: messages count as read only when someone can see them. */
  visibilityChanged(): void {
    this.markActiveRead();
  }

  private markActiveRead(): void {
    const id = this.state.activeConversationId;
    if (!id || !this.isPageVisible()) return;
    const thread = this.state.threads[id];
    if (thread?.status !== 'ready') return;
    const conversation = this.state.inbox.byId[id];
    const seq = Math.max(conversation?.lastSeq ?? 0, thread.messages.at(-1)?.seq ?? 0);
    this.dispatchInbox({ type: 'conversationRead', conversationId: id, seq });
    // The visitor sees "Seen" once an agent has had the conversation open on a visible tab.
    if (conversation && seq > conversation.agentLastReadSeq && this.link?.connected) {
      this.link.markRead?.(id, seq);
    }
  }

  // ---- typing and read receipts -----------------------------------------------------------

  /** The agent typed in the reply box (notes are never announced to the visitor). */
  agentTyping(conversationId: string, typing: boolean): void {
    if (this.link?.connected) this.link.typing?.(conversationId, typing);
  }

  /** A visitor started or stopped typing; a notice that is not repeated expires. */
  typingChanged(update: TypingUpdate): void {
    if (update.author !== 'VISITOR') return;
    this.setVisitorTyping(update.conversationId, update.typing);
  }

  /** A read position moved: the visitor's ("Seen") or the agents'. */
  readUpdated(update: ReadUpdate): void {
    const conversation = this.state.inbox.byId[update.conversationId];
    if (!conversation) return;
    const field = update.reader === 'VISITOR' ? 'visitorLastReadSeq' : 'agentLastReadSeq';
    if (update.seq <= conversation[field]) return;
    this.dispatchInbox({
      type: 'conversationUpdated',
      conversation: { ...conversation, [field]: update.seq },
    });
  }

  private setVisitorTyping(conversationId: string, typing: boolean): void {
    clearTimeout(this.typingTimers.get(conversationId));
    this.typingTimers.delete(conversationId);
    const rest = Object.fromEntries(
      Object.entries(this.state.visitorTyping).filter(([id]) => id !== conversationId),
    );
    if (typing) {
      rest[conversationId] = true;
      this.typingTimers.set(
        conversationId,
        setTimeout(() => {
          this.setVisitorTyping(conversationId, false);
        }, Typing.expireMs),
      );
    }
    if (typing || this.state.visitorTyping[conversationId]) this.set({ visitorTyping: rest });
  }

  // ---- threads --------------------------------------------------------------------------

  /** Shows a conversation (or none) and makes sure its history is loaded and current. */
  openConversation(conversationId: string | null): void {
    if (conversationId === this.state.activeConversationId) return;
    this.set({ activeConversationId: conversationId });
    if (!conversationId) return;
    const thread = this.state.threads[conversationId];
    if (!thread) {
      this.setThread(conversationId, {
        ...EMPTY_THREAD,
        status: 'loading',
        error: null,
        stale: false,
      });
      void this.syncThread(conversationId, 'rest');
    } else if (thread.stale || thread.status === 'error') {
      if (thread.status === 'error') {
        this.setThread(conversationId, { ...thread, status: 'loading', error: null });
      }
      void this.syncThread(conversationId, 'rest');
    } else {
      this.markActiveRead();
    }
  }

  /** The "Try again" of a thread that failed to load. */
  reloadThread(conversationId: string): void {
    const thread = this.state.threads[conversationId];
    if (!thread) return;
    if (thread.status === 'error') {
      this.setThread(conversationId, { ...thread, status: 'loading', error: null });
    }
    void this.syncThread(conversationId, 'rest');
  }

  /**
   * Fetches everything after the thread's frontier, page by page, and merges it by seq. Runs
   * once at a time per conversation; a request made meanwhile runs again when it finishes.
   * `socket` uses `conversation:sync` when connected (reconnects, gaps), `rest` the history
   * endpoint (first load: works before the socket is up).
   */
  private async syncThread(conversationId: string, via: 'rest' | 'socket'): Promise<void> {
    if (this.syncing.has(conversationId)) {
      this.syncAgain.add(conversationId);
      return;
    }
    this.syncing.add(conversationId);
    try {
      do {
        this.syncAgain.delete(conversationId);
        await this.fetchAfterFrontier(conversationId, via);
      } while (this.syncAgain.has(conversationId));
    } catch (error) {
      if (this.handleUnauthorized(error)) return;
      const thread = this.state.threads[conversationId];
      if (!thread) return;
      this.setThread(
        conversationId,
        thread.status === 'loading'
          ? { ...thread, status: 'error', error: errorMessage(error) }
          : { ...thread, stale: true },
      );
    } finally {
      this.syncing.delete(conversationId);
    }
  }

  private async fetchAfterFrontier(conversationId: string, via: 'rest' | 'socket'): Promise<void> {
    for (;;) {
      const before = this.state.threads[conversationId];
      if (!before) return;
      const afterSeq = before.syncedSeq;
      const page = await this.fetchPage(conversationId, afterSeq, via);
      const current = this.state.threads[conversationId];
      if (!current) return;
      const { thread, more } = receivePage(current, afterSeq, page);
      this.setThread(conversationId, { ...thread, status: 'ready', error: null, stale: false });
      this.setOutbox(
        remove(
          this.state.outbox,
          page.messages.map((m) => m.clientMessageId),
        ),
      );
      const last = page.messages.at(-1);
      if (last) this.dispatchInbox({ type: 'messageReceived', message: last });
      this.markActiveRead();
      if (!more) return;
    }
  }

  private async fetchPage(
    conversationId: string,
    afterSeq: number,
    via: 'rest' | 'socket',
  ): Promise<SyncResult> {
    const link = this.link;
    if (via === 'socket' && link?.connected) {
      try {
        return await link.sync({ conversationId, afterSeq });
      } catch {
        // The socket dropped or timed out mid-sync: the history endpoint answers the same.
      }
    }
    return this.deps.api.messages(conversationId, afterSeq);
  }

  /** A committed message, from `message:new` or a send ack. */
  private commit(message: Message): void {
    this.dispatchInbox({ type: 'messageReceived', message });
    this.setOutbox(remove(this.state.outbox, [message.clientMessageId]));
    const thread = this.state.threads[message.conversationId];
    if (thread) {
      const { thread: next, gap } = receiveMessages(thread, [message]);
      if (next !== thread) this.setThread(message.conversationId, { ...thread, ...next });
      // A hole before this message: fetch what is missing (a load in progress runs again).
      if (gap) void this.syncThread(message.conversationId, 'socket');
    }
    if (message.authorKind === 'AGENT' && message.authorId === this.state.agent.id) {
      // This agent wrote it: nothing in the conversation up to here is news to them.
      this.dispatchInbox({
        type: 'conversationRead',
        conversationId: message.conversationId,
        seq: message.seq,
      });
    }
    if (message.conversationId === this.state.activeConversationId) this.markActiveRead();
  }

  // ---- replies --------------------------------------------------------------------------

  getDraft(conversationId: string): string {
    return this.drafts.get(conversationId) ?? '';
  }

  setDraft(conversationId: string, text: string): void {
    if (text) this.drafts.set(conversationId, text);
    else this.drafts.delete(conversationId);
  }

  /**
   * Queues a reply. It shows at once as sending and goes out as soon as the connection allows,
   * after the replies typed before it in the same conversation.
   */
  sendReply(
    conversationId: string,
    body: string,
    options: { internal?: boolean; attachment?: { id: string; name: string } } = {},
  ): boolean {
    const text = body.trim();
    if (!text && !options.attachment) return false;
    this.setOutbox(
      enqueue(this.state.outbox, {
        clientMessageId: this.newClientMessageId(),
        conversationId,
        body: text,
        createdAt: new Date(this.now()).toISOString(),
        ...(options.internal ? { internal: true } : {}),
        ...(options.attachment
          ? { attachmentIds: [options.attachment.id], fileName: options.attachment.name }
          : {}),
      }),
    );
    this.pump();
    return true;
  }

  retryReply(clientMessageId: string): void {
    this.setOutbox(retry(this.state.outbox, clientMessageId));
    this.pump();
  }

  discardReply(clientMessageId: string): void {
    const reply = this.state.outbox.find((p) => p.clientMessageId === clientMessageId);
    if (reply?.status !== 'failed') return;
    this.setOutbox(remove(this.state.outbox, [clientMessageId]));
  }

  /** Emits every reply whose turn has come, if the socket is connected. */
  private pump(): void {
    const link = this.link;
    if (!link?.connected) return;
    for (const reply of readyToSend(this.state.outbox)) {
      const attempt = reply.attempt + 1;
      this.setOutbox(markSending(this.state.outbox, reply.clientMessageId));
      void link
        .send({
          conversationId: reply.conversationId,
          clientMessageId: reply.clientMessageId,
          body: reply.body,
          ...(reply.internal ? { internal: true } : {}),
          ...(reply.attachmentIds ? { attachmentIds: [...reply.attachmentIds] } : {}),
        })
        .then((outcome) => {
          this.settle(reply.clientMessageId, attempt, outcome);
        });
    }
  }

  private settle(clientMessageId: string, attempt: number, outcome: SendOutcome): void {
    if (outcome.kind === 'lost') {
      this.setOutbox(requeue(this.state.outbox, clientMessageId, attempt));
    } else if (outcome.ack.ok) {
      this.commit(outcome.ack.data.message);
    } else {
      this.setOutbox(
        markFailed(this.state.outbox, clientMessageId, attempt, outcome.ack.error.message),
      );
    }
    this.pump();
  }

  private handleUnauthorized(error: unknown): boolean {
    if (!(error instanceof ApiRequestError) || !error.isUnauthorized) return false;
    this.deps.onUnauthorized?.();
    return true;
  }
}
