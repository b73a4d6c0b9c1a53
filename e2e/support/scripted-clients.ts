import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import {
  Events,
  Namespace,
  type Ack,
  type ListConversationsResponse,
  type Message,
  type SendMessageResult,
  type SyncResult,
  type VisitorSession,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';

export type Transport = 'polling' | 'websocket';

/** What a population of scripted clients did, for the report. */
export interface Counts {
  sent: number;
  acked: number;
  /** Sends the server recognised as resent copies and answered with the original. */
  duplicatesSuppressed: number;
  /** Copies of a message the client already had, from a broadcast or an overlapping resync (ignored by seq). */
  duplicateDeliveries: number;
  resyncs: number;
  reconnects: number;
  retries: number;
}

export function emptyCounts(): Counts {
  return {
    sent: 0,
    acked: 0,
    duplicatesSuppressed: 0,
    duplicateDeliveries: 0,
    resyncs: 0,
    reconnects: 0,
    retries: 0,
  };
}

const ACK_TIMEOUT_MS = 4_000;

interface Outgoing {
  clientMessageId: string;
  body: string;
  conversationId?: string;
}

/** One conversation's messages as a client holds them: by seq, each once. */
class Timeline {
  readonly bySeq = new Map<number, Message>();

  /** Adds a message; false when it was already there. */
  add(message: Message): boolean {
    if (this.bySeq.has(message.seq)) return false;
    this.bySeq.set(message.seq, message);
    return true;
  }

  /** The highest seq with nothing missing below it. */
  contiguous(): number {
    let seq = 0;
    while (this.bySeq.has(seq + 1)) seq += 1;
    return seq;
  }

  ordered(): Message[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

/**
 * What the widget and the console do, without the UI: an outbox that sends one message at a
 * time and resends it with the same id until acknowledged, and a timeline per conversation that
 * catches up by seq after every (re)connection and whenever a gap shows.
 */
abstract class ScriptedClient {
  readonly timelines = new Map<string, Timeline>();
  /** Own messages known from their ack and not yet from the broadcast. */
  private readonly ackedOnly = new Set<string>();
  protected readonly outbox: Outgoing[] = [];
  protected socket: Socket | null = null;
  /** HTTP connections of this client, so that a test can cut them (a dropped poll). */
  readonly http = new Agent({ keepAlive: true });
  private pumping = false;
  private stopped = false;

  constructor(
    readonly name: string,
    protected readonly url: string,
    readonly transport: Transport,
    protected readonly counts: Counts,
  ) {}

  protected abstract namespace(): string;
  protected abstract options(): Record<string, unknown>;

  start(): void {
    const socket = io(`${this.url}${this.namespace()}`, {
      transports: [this.transport],
      upgrade: false,
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_500,
      randomizationFactor: 0.5,
      timeout: 5_000,
      // engine.io-client types `agent` for browsers; in Node it takes an http.Agent.
      agent: this.http as unknown as string,
      ...this.options(),
    });
    this.socket = socket;
    socket.on(Events.MessageNew, (message: Message) => {
      this.receive(message);
    });
    socket.io.on('reconnect', () => {
      this.counts.reconnects += 1;
    });
    this.listen(socket);
  }

  protected abstract listen(socket: Socket): void;

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Closes the engine connection the way a network failure does: the client reconnects. */
  dropConnection(): void {
    this.socket?.io.engine.close();
  }

  /** Cuts the HTTP connections under the client (a poll dropped by the network). */
  dropHttp(): void {
    for (const sockets of [
      Object.values(this.http.sockets),
      Object.values(this.http.freeSockets),
    ]) {
      for (const list of sockets) for (const s of list ?? []) s.destroy();
    }
  }

  pending(): number {
    return this.outbox.length;
  }

  stop(): void {
    this.stopped = true;
    this.socket?.disconnect();
    this.http.destroy();
  }

  protected timeline(conversationId: string): Timeline {
    let timeline = this.timelines.get(conversationId);
    if (!timeline) {
      timeline = new Timeline();
      this.timelines.set(conversationId, timeline);
    }
    return timeline;
  }

  protected receive(message: Message, viaAck = false): void {
    const timeline = this.timeline(message.conversationId);
    if (!timeline.add(message)) {
      // A sender gets its own message twice by design (the ack and the broadcast): not a duplicate.
      if (viaAck || this.ackedOnly.delete(message.id)) return;
      this.counts.duplicateDeliveries += 1;
      return;
    }
    if (viaAck) this.ackedOnly.add(message.id);
    this.onMessage(message);
    // A gap below this message: fetch what is missing.
    if (timeline.contiguous() < message.seq) void this.sync(message.conversationId);
  }

  protected onMessage(_message: Message): void {
    // Subclasses react to messages (agents reply).
  }

  /** Fetches every message after the last contiguous seq, page by page. */
  async sync(conversationId: string): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    this.counts.resyncs += 1;
    const timeline = this.timeline(conversationId);
    for (;;) {
      let ack: Ack<SyncResult>;
      try {
        ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(Events.ConversationSync, {
          conversationId,
          afterSeq: timeline.contiguous(),
        })) as Ack<SyncResult>;
      } catch {
        return;
      }
      if (!ack.ok) return;
      for (const message of ack.data.messages) {
        if (timeline.add(message)) this.onMessage(message);
      }
      if (ack.data.messages.length === 0 || timeline.contiguous() >= ack.data.lastSeq) return;
    }
  }

  protected enqueue(message: Outgoing): void {
    this.outbox.push(message);
    this.counts.sent += 1;
    void this.pump();
  }

  /** Sends the outbox in order, one at a time; a lost ack leaves the message first in line. */
  protected async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.stopped && this.outbox.length > 0 && this.socket?.connected) {
        const next = this.outbox[0];
        if (!next) break;
        const payload = {
          ...next,
          conversationId: next.conversationId ?? this.defaultConversation(),
        };
        let ack: Ack<SendMessageResult>;
        try {
          ack = (await this.socket
            .timeout(ACK_TIMEOUT_MS)
            .emitWithAck(Events.MessageSend, payload)) as Ack<SendMessageResult>;
        } catch {
          this.counts.retries += 1;
          continue;
        }
        if (!ack.ok) {
          // A refusal would be a bug here (valid input, limits off): keep it visible.
          throw new Error(`${this.name}: send refused: ${ack.error.code} ${ack.error.message}`);
        }
        this.counts.acked += 1;
        if (ack.data.duplicate) this.counts.duplicatesSuppressed += 1;
        this.outbox.shift();
        this.acknowledged(ack.data);
      }
    } finally {
      this.pumping = false;
    }
  }

  protected defaultConversation(): string | undefined {
    return undefined;
  }

  protected acknowledged(result: SendMessageResult): void {
    this.receive(result.message, true);
  }
}

/** A visitor who writes `count` numbered messages, one every `intervalMs`. */
export class ScriptedVisitor extends ScriptedClient {
  private token: string | null = null;
  conversationId: string | null = null;

  constructor(
    name: string,
    url: string,
    transport: Transport,
    counts: Counts,
    private readonly siteKey: string,
  ) {
    super(name, url, transport, counts);
  }

  protected namespace(): string {
    return Namespace.Widget;
  }

  protected options(): Record<string, unknown> {
    return {
      auth: (cb: (auth: Record<string, string>) => void) => {
        cb(
          this.token
            ? { siteKey: this.siteKey, visitorToken: this.token }
            : { siteKey: this.siteKey },
        );
      },
    };
  }

  protected listen(socket: Socket): void {
    socket.on(Events.SessionReady, (session: VisitorSession) => {
      if (session.visitorToken) this.token = session.visitorToken;
      void (async () => {
        if (this.conversationId) await this.sync(this.conversationId);
        await this.pump();
      })();
    });
    socket.on(Events.SyncRequired, () => {
      if (this.conversationId) void this.sync(this.conversationId);
    });
  }

  protected override defaultConversation(): string | undefined {
    return this.conversationId ?? undefined;
  }

  protected override acknowledged(result: SendMessageResult): void {
    this.conversationId ??= result.conversationId;
    super.acknowledged(result);
  }

  /** Writes message number `n`. */
  write(n: number): void {
    this.enqueue({ clientMessageId: randomUUID(), body: `${this.name} #${String(n)}` });
  }

  /** This visitor's conversation as it holds it. */
  messages(): Message[] {
    return this.conversationId ? (this.timelines.get(this.conversationId)?.ordered() ?? []) : [];
  }
}

/** An agent who answers every `replyEvery`-th visitor message in its conversation. */
export class ScriptedAgent extends ScriptedClient {
  constructor(
    name: string,
    url: string,
    transport: Transport,
    counts: Counts,
    private readonly cookie: string,
    private readonly replyEvery: number,
    private readonly replies: (message: Message) => boolean,
  ) {
    super(name, url, transport, counts);
  }

  protected namespace(): string {
    return Namespace.Agent;
  }

  protected options(): Record<string, unknown> {
    return { extraHeaders: { cookie: this.cookie } };
  }

  protected listen(socket: Socket): void {
    // As the console does, on every connection and whenever the server says events may have been
    // lost: the inbox first (conversations begun meanwhile), then each conversation.
    const catchUp = async () => {
      for (const id of await this.inbox()) this.timeline(id);
      for (const id of this.timelines.keys()) await this.sync(id);
      await this.pump();
    };
    socket.on('connect', () => void catchUp());
    socket.on(Events.SyncRequired, () => void catchUp());
  }

  private async inbox(): Promise<string[]> {
    try {
      const res = await fetch(`${this.url}/api/conversations`, {
        headers: { cookie: this.cookie },
      });
      if (!res.ok) return [];
      const body = (await res.json()) as ListConversationsResponse;
      return body.conversations.map((c) => c.id);
    } catch {
      return [];
    }
  }

  protected override onMessage(message: Message): void {
    const n = /#(\d+)$/.exec(message.body)?.[1];
    if (message.authorKind !== 'VISITOR' || !n || Number(n) % this.replyEvery !== 0) return;
    if (!this.replies(message)) return;
    this.enqueue({
      clientMessageId: randomUUID(),
      conversationId: message.conversationId,
      body: `${this.name} answers ${message.body}`,
    });
  }
}
