import type { Ack, SendMessageResult } from '@parley/protocol';

export interface OutboxItem {
  clientMessageId: string;
  body: string;
  /** Files uploaded beforehand that the message sends. */
  attachmentIds?: string[];
}

/** What one send attempt produced: the server's answer, or none (timeout or disconnection). */
export type SendAttempt = { kind: 'ack'; ack: Ack<SendMessageResult> } | { kind: 'lost' };

export interface OutboxOptions {
  /** True while messages can go out (connected, session ready). */
  canSend: () => boolean;
  /** One attempt; a resend carries the same client id, so the server returns the original. */
  send: (item: OutboxItem) => Promise<SendAttempt>;
  /** Called exactly once per item, with the server's answer. */
  onAck: (item: OutboxItem, ack: Ack<SendMessageResult>) => void;
  /** Pause before resending after a lost attempt while still connected. */
  retryDelayMs?: number;
  wait?: (ms: number) => Promise<void>;
}

const defaultWait = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * The visitor's unsent messages, sent one at a time and in order. An attempt that gets no answer
 * is repeated (at once while connected, otherwise on the next `flush`, which the owner calls on
 * reconnect) until the server answers; only then does the next message go out, so the server
 * commits them in the order they were typed.
 */
export class Outbox {
  private readonly queue: OutboxItem[] = [];
  private running = false;

  constructor(private readonly options: OutboxOptions) {}

  get size(): number {
    return this.queue.length;
  }

  has(clientMessageId: string): boolean {
    return this.queue.some((item) => item.clientMessageId === clientMessageId);
  }

  enqueue(item: OutboxItem): void {
    if (!this.has(item.clientMessageId)) this.queue.push(item);
    void this.flush();
  }

  /** Sends what is queued while `canSend()` holds. Safe to call at any time. */
  async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const item = this.queue[0];
        if (!item || !this.options.canSend()) return;
        const attempt = await this.options.send(item);
        if (attempt.kind === 'lost') {
          await (this.options.wait ?? defaultWait)(this.options.retryDelayMs ?? 1000);
          continue;
        }
        this.queue.shift();
        this.options.onAck(item, attempt.ack);
      }
    } finally {
      this.running = false;
    }
  }
}
