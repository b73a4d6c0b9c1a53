import type {
  Ack,
  Message,
  RateConversation,
  SendMessageResult,
  SyncRequest,
  SyncResult,
  VisitorConversation,
  VisitorConversationList,
  VisitorSendMessage,
  VisitorSession,
  VisitorUpdate,
} from '@parley/protocol';
import type { FrameToLoaderMessage } from '../../shared/messages';
import type { ChatLink, CreateLink, LinkOptions } from '../link';
import type { SendAttempt } from '../outbox';
import type { VisitorStore } from '../storage';
import { conversation } from './fixtures';

/**
 * An in-memory stand-in for the `/widget` namespace: commits messages with per-conversation seqs,
 * is idempotent on `clientMessageId`, answers syncs, and lets a test hold or drop any answer.
 */
export class FakeServer {
  readonly messages = new Map<string, Message[]>();
  readonly links: FakeLink[] = [];
  /** When set, `message:send` attempts wait here until the test answers them. */
  holdSends = false;
  readonly heldSends: { payload: VisitorSendMessage; answer: (a: SendAttempt) => void }[] = [];
  readonly sends: VisitorSendMessage[] = [];
  readonly syncs: SyncRequest[] = [];
  readonly updates: VisitorUpdate[] = [];
  readonly typing: { conversationId: string; typing: boolean }[] = [];
  readonly reads: { conversationId: string; seq: number }[] = [];
  readonly ratings: RateConversation[] = [];
  /** `conversation:list` requests. */
  lists = 0;
  visitor: { name: string | null; email: string | null } = { name: null, email: null };
  private nextConversation = 1;

  readonly createLink: CreateLink = (options) => {
    const link = new FakeLink(this, options);
    this.links.push(link);
    return link;
  };

  get link(): FakeLink {
    const link = this.links.at(-1);
    if (!link) throw new Error('no link was created');
    return link;
  }

  openConversationId(): string | undefined {
    return [...this.messages.keys()].at(-1);
  }

  /** Commits a message as the server would, returning the original on a resend. */
  commit(
    payload: { conversationId?: string | undefined; clientMessageId: string; body: string },
    author: Pick<Message, 'authorKind' | 'authorName'> = {
      authorKind: 'VISITOR',
      authorName: null,
    },
  ): SendMessageResult {
    const conversationId =
      payload.conversationId ?? this.openConversationId() ?? `c${this.nextConversation++}`;
    const list = this.messages.get(conversationId) ?? [];
    this.messages.set(conversationId, list);
    const existing = list.find((m) => m.clientMessageId === payload.clientMessageId);
    if (existing) {
      return {
        id: existing.id,
        seq: existing.seq,
        conversationId,
        duplicate: true,
        message: existing,
      };
    }
    const seq = list.length + 1;
    const message: Message = {
      id: `${conversationId}-m${seq}`,
      conversationId,
      seq,
      authorKind: author.authorKind,
      authorId: null,
      authorName: author.authorName,
      body: payload.body,
      internal: false,
      clientMessageId: payload.clientMessageId,
      createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)).toISOString(),
    };
    list.push(message);
    return { id: message.id, seq, conversationId, duplicate: false, message };
  }

  /** An agent replies; returns the committed message (not delivered until the test says so). */
  agentSays(conversationId: string, body: string): Message {
    return this.commit(
      { conversationId, clientMessageId: `agent-${Math.random().toString(36).slice(2)}`, body },
      { authorKind: 'AGENT', authorName: 'Ada' },
    ).message;
  }

  session(overrides: Partial<VisitorSession> = {}): VisitorSession {
    return {
      visitorId: 'v1',
      name: this.visitor.name,
      email: this.visitor.email,
      conversations: [...this.messages.entries()].map(([id, list]) =>
        conversation(id, { lastSeq: list.length }),
      ),
      ...overrides,
    };
  }
}

export class FakeLink implements ChatLink {
  connected = false;
  connectCalls = 0;
  closed = false;

  constructor(
    private readonly server: FakeServer,
    readonly options: LinkOptions,
  ) {}

  connect(): void {
    this.connectCalls += 1;
  }

  close(): void {
    this.closed = true;
    this.connected = false;
  }

  /** The handshake succeeds and the server sends `session:ready`. */
  open(session: VisitorSession = this.server.session()): void {
    this.connected = true;
    this.options.listener.onConnect();
    this.options.listener.onSession(session);
  }

  drop(willReconnect = true): void {
    this.connected = false;
    this.options.listener.onDisconnect(willReconnect);
  }

  deliver(message: Message): void {
    this.options.listener.onMessage(message);
  }

  /** The server asks every client to catch up (`sync:required`). */
  syncRequired(): void {
    this.options.listener.onSyncRequired();
  }

  listConversations(): Promise<Ack<VisitorConversationList>> {
    this.server.lists += 1;
    if (!this.connected) return Promise.reject(new Error('socket has been disconnected'));
    return Promise.resolve({
      ok: true,
      data: { conversations: this.server.session().conversations },
    });
  }

  sendMessage(payload: VisitorSendMessage): Promise<SendAttempt> {
    this.server.sends.push(payload);
    if (this.server.holdSends) {
      return new Promise((answer) => {
        this.server.heldSends.push({ payload, answer });
      });
    }
    return Promise.resolve({ kind: 'ack', ack: { ok: true, data: this.server.commit(payload) } });
  }

  sync(request: SyncRequest): Promise<Ack<SyncResult>> {
    this.server.syncs.push(request);
    if (!this.connected) return Promise.reject(new Error('socket has been disconnected'));
    const list = this.server.messages.get(request.conversationId) ?? [];
    const afterSeq = request.afterSeq ?? 0;
    return Promise.resolve({
      ok: true,
      data: {
        conversationId: request.conversationId,
        messages: list.filter((m) => m.seq > afterSeq),
        lastSeq: list.length,
      },
    });
  }

  updateVisitor(update: VisitorUpdate): void {
    this.server.updates.push(update);
  }

  saveVisitor(update: VisitorUpdate): Promise<Ack<VisitorSession>> {
    this.server.updates.push(update);
    if (update.email !== undefined && !update.email.includes('@')) {
      return Promise.resolve({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: 'email: Invalid email address' },
      });
    }
    this.server.visitor = { ...this.server.visitor, ...update };
    return Promise.resolve({ ok: true, data: this.server.session() });
  }

  setTyping(conversationId: string, typing: boolean): void {
    this.server.typing.push({ conversationId, typing });
  }

  markRead(conversationId: string, seq: number): void {
    this.server.reads.push({ conversationId, seq });
  }

  rate(request: RateConversation): Promise<Ack<VisitorConversation>> {
    this.server.ratings.push(request);
    return Promise.resolve({
      ok: true,
      data: conversation(request.conversationId, {
        status: 'RESOLVED',
        satisfactionRating: request.rating,
      }),
    });
  }
}

export class MemoryVisitorStore implements VisitorStore {
  storedToken: string | null = null;
  open = false;
  token = () => this.storedToken;
  setToken = (token: string) => {
    this.storedToken = token;
  };
  clearToken = () => {
    this.storedToken = null;
  };
  hasOpenConversation = () => this.open;
  setHasOpenConversation = (open: boolean) => {
    this.open = open;
  };
}

export function recorder() {
  const sent: FrameToLoaderMessage[] = [];
  return { sent, notify: (message: FrameToLoaderMessage) => sent.push(message) };
}

/** Lets promise chains and zero-delay timers (acks, syncs, the outbox's retry pause) run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
