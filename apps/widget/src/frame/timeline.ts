import type { Message } from '@parley/protocol';

/**
 * Merges messages into a conversation's list: one entry per id, sorted by `seq`.
 * Returns `existing` itself when nothing new arrived, so callers can skip re-rendering.
 */
export function mergeMessages(
  existing: readonly Message[],
  incoming: readonly Message[],
): readonly Message[] {
  const known = new Set(existing.map((m) => m.id));
  const fresh = new Map<string, Message>();
  for (const message of incoming) {
    if (!known.has(message.id)) fresh.set(message.id, message);
  }
  if (fresh.size === 0) return existing;
  return [...existing, ...fresh.values()].sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id));
}

/**
 * The highest seq up to which nothing is missing, starting from `from` (known complete):
 * every seq in `(from, result]` is present in `messages`.
 */
export function contiguousSeq(messages: readonly Message[], from: number): number {
  const seqs = new Set(messages.map((m) => m.seq));
  let seq = from;
  while (seqs.has(seq + 1)) seq += 1;
  return seq;
}

/** True when a message with this seq shows that something between it and `lastSeq` was missed. */
export function hasGap(lastSeq: number, seq: number): boolean {
  return seq > lastSeq + 1;
}
