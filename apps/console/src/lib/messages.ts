import type { Message } from '@parley/protocol';

/**
 * The committed messages of one conversation as the console holds them.
 * `syncedSeq` is the contiguity frontier: every message with `seq <= syncedSeq` is in `messages`.
 * Messages past the frontier may be present too (a live message that arrived after a gap).
 */
export interface Thread {
  readonly messages: readonly Message[];
  readonly syncedSeq: number;
}

export const EMPTY_THREAD: Thread = { messages: [], syncedSeq: 0 };

/**
 * Merges `incoming` into `current` by seq: the result is ordered by seq and holds each seq once.
 * A committed message never changes, so the copy already held wins. Returns `current` itself
 * when nothing was added, so callers can skip re-rendering.
 */
export function mergeBySeq(
  current: readonly Message[],
  incoming: readonly Message[],
): readonly Message[] {
  if (incoming.length === 0) return current;
  const last = current.at(-1);
  if (isStrictlyAscending(incoming) && (!last || (incoming[0]?.seq ?? 0) > last.seq)) {
    return [...current, ...incoming];
  }
  const bySeq = new Map<number, Message>();
  for (const message of current) bySeq.set(message.seq, message);
  let added = false;
  for (const message of incoming) {
    if (!bySeq.has(message.seq)) {
      bySeq.set(message.seq, message);
      added = true;
    }
  }
  if (!added) return current;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function isStrictlyAscending(messages: readonly Message[]): boolean {
  for (let i = 1; i < messages.length; i++) {
    const previous = messages[i - 1];
    const message = messages[i];
    if (previous && message && message.seq <= previous.seq) return false;
  }
  return true;
}

/** Moves the frontier forward over messages that follow it without a hole. */
function advanceFrontier(messages: readonly Message[], from: number): number {
  let frontier = from;
  for (const message of messages) {
    if (message.seq === frontier + 1) frontier = message.seq;
    else if (message.seq > frontier + 1) break;
  }
  return frontier;
}

/**
 * Adds live messages (`message:new`, a send ack). `gap` is true when a message lies past the
 * frontier with a hole before it: the caller should sync from `thread.syncedSeq`.
 */
export function receiveMessages(
  thread: Thread,
  incoming: readonly Message[],
): { thread: Thread; gap: boolean } {
  const messages = mergeBySeq(thread.messages, incoming);
  const syncedSeq = advanceFrontier(messages, thread.syncedSeq);
  const gap = (messages.at(-1)?.seq ?? 0) > syncedSeq;
  if (messages === thread.messages && syncedSeq === thread.syncedSeq) return { thread, gap };
  return { thread: { messages, syncedSeq }, gap };
}

/**
 * Adds one page of history fetched with `afterSeq` (REST or `conversation:sync`). The server
 * returns every message after `afterSeq` up to the page size, so the page closes the range
 * `(afterSeq, last page seq]`. `more` tells whether another page should be fetched.
 */
export function receivePage(
  thread: Thread,
  afterSeq: number,
  page: { messages: readonly Message[]; lastSeq: number },
): { thread: Thread; more: boolean } {
  const messages = mergeBySeq(thread.messages, page.messages);
  const pageEnd = page.messages.at(-1)?.seq ?? afterSeq;
  const closed =
    afterSeq <= thread.syncedSeq ? Math.max(thread.syncedSeq, pageEnd) : thread.syncedSeq;
  const syncedSeq = advanceFrontier(messages, closed);
  const more = page.messages.length > 0 && pageEnd < page.lastSeq;
  if (messages === thread.messages && syncedSeq === thread.syncedSeq) return { thread, more };
  return { thread: { messages, syncedSeq }, more };
}
