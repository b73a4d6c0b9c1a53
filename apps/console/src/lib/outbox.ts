/**
 * Replies that are not committed yet, in the order they were typed.
 *
 * - `queued`: waiting for its turn or for the connection.
 * - `sending`: emitted, waiting for the ack. At most one per conversation, so replies commit in
 *   the order they were typed.
 * - `failed`: the server refused it; shown with its error and a Retry button. A failed reply
 *   does not hold back the ones typed after it.
 *
 * Every function returns a new outbox and leaves its argument untouched.
 */
export type PendingStatus = 'queued' | 'sending' | 'failed';

export interface PendingReply {
  readonly clientMessageId: string;
  readonly conversationId: string;
  readonly body: string;
  /** An internal note (agents only) rather than a reply to the visitor. */
  readonly internal?: boolean;
  /** Files uploaded beforehand that the reply sends. */
  readonly attachmentIds?: readonly string[];
  /** The file's name, shown while the reply goes out. */
  readonly fileName?: string;
  /** When it was typed (ISO-8601), for display. */
  readonly createdAt: string;
  readonly status: PendingStatus;
  /** How many times it has been emitted; an ack or timeout of an older attempt is stale. */
  readonly attempt: number;
  readonly error: string | null;
}

export type Outbox = readonly PendingReply[];

export function enqueue(
  outbox: Outbox,
  reply: Pick<
    PendingReply,
    'clientMessageId' | 'conversationId' | 'body' | 'createdAt' | 'internal'
  > &
    Partial<Pick<PendingReply, 'attachmentIds' | 'fileName'>>,
): Outbox {
  if (outbox.some((p) => p.clientMessageId === reply.clientMessageId)) return outbox;
  return [...outbox, { ...reply, status: 'queued', attempt: 0, error: null }];
}

/** The replies to emit now: per conversation, the first unfailed one if it is not already sending. */
export function readyToSend(outbox: Outbox): PendingReply[] {
  const seen = new Set<string>();
  const ready: PendingReply[] = [];
  for (const reply of outbox) {
    if (reply.status === 'failed' || seen.has(reply.conversationId)) continue;
    seen.add(reply.conversationId);
    if (reply.status === 'queued') ready.push(reply);
  }
  return ready;
}

function update(
  outbox: Outbox,
  clientMessageId: string,
  change: (reply: PendingReply) => PendingReply,
): Outbox {
  const index = outbox.findIndex((p) => p.clientMessageId === clientMessageId);
  const reply = outbox[index];
  if (!reply) return outbox;
  const next = [...outbox];
  next[index] = change(reply);
  return next;
}

/** Marks a reply as emitted; its `attempt` goes up by one, to match the ack against. */
export function markSending(outbox: Outbox, clientMessageId: string): Outbox {
  return update(outbox, clientMessageId, (p) => ({
    ...p,
    status: 'sending',
    attempt: p.attempt + 1,
    error: null,
  }));
}

/**
 * Puts a sending reply back in the queue after a timeout or a disconnection, unless a newer
 * attempt has started since `attempt` was emitted.
 */
export function requeue(outbox: Outbox, clientMessageId: string, attempt: number): Outbox {
  const reply = outbox.find((p) => p.clientMessageId === clientMessageId);
  if (!reply || reply.status !== 'sending' || reply.attempt !== attempt) return outbox;
  return update(outbox, clientMessageId, (p) => ({ ...p, status: 'queued' }));
}

/** Records the server's refusal of the given attempt. */
export function markFailed(
  outbox: Outbox,
  clientMessageId: string,
  attempt: number,
  error: string,
): Outbox {
  const reply = outbox.find((p) => p.clientMessageId === clientMessageId);
  if (!reply || reply.status !== 'sending' || reply.attempt !== attempt) return outbox;
  return update(outbox, clientMessageId, (p) => ({ ...p, status: 'failed', error }));
}

/** Queues a failed reply again (the Retry button). It keeps its place and its id. */
export function retry(outbox: Outbox, clientMessageId: string): Outbox {
  const reply = outbox.find((p) => p.clientMessageId === clientMessageId);
  if (reply?.status !== 'failed') return outbox;
  return update(outbox, clientMessageId, (p) => ({ ...p, status: 'queued', error: null }));
}

/** Drops replies that are committed (acked, or seen in `message:new` or a sync) or discarded. */
export function remove(outbox: Outbox, clientMessageIds: Iterable<string>): Outbox {
  const ids = new Set(clientMessageIds);
  if (ids.size === 0) return outbox;
  const next = outbox.filter((p) => !ids.has(p.clientMessageId));
  return next.length === outbox.length ? outbox : next;
}

/** A conversation's pending replies, in the order they were typed. */
export function pendingIn(outbox: Outbox, conversationId: string): PendingReply[] {
  return outbox.filter((p) => p.conversationId === conversationId);
}
