/**
 * Group commit: the writes asked for while the database is busy go together, in one statement
 * and one transaction, so that one round trip and one flush to disk serve them all.
 *
 * Writes are spread over `lanes` by a key (the conversation): one write at most is under way per
 * lane. A write whose lane is free goes out at once, alone: under a light load nothing waits.
 * Otherwise it queues, and when the lane's write ends, its queue (up to `maxBatch`) leaves as one
 * batch. So batches grow with the load by themselves, and no timer ever holds a write back.
 *
 * The key keeps two batches under way at once from ever touching the same conversation: they
 * never wait for each other's row locks (with batches of dozens over a thousand conversations,
 * almost any two batches shared one, and ran one after the other). It also commits one
 * conversation's writes in the order they were asked for.
 *
 * A batch that fails as a whole is not the answer for its writes: each is then tried again
 * alone, and gets its own result or its own error, as if it had never been batched.
 */
export interface GroupCommitOptions<I, O> {
  /** Writes one item on its own. */
  one(item: I): Promise<O>;
  /** Writes several items in one statement; returns their results in the same order. */
  many(items: readonly I[]): Promise<O[]>;
  /** The lane an item takes: items with the same key are never written at the same time. */
  key(item: I): string;
  /** Writes under way at once at most (each holds a database connection). */
  lanes: number;
  /** Items in one batch at most. */
  maxBatch: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

interface Lane<I, O> {
  queue: Waiting<I, O>[];
  busy: boolean;
}

export class GroupCommit<I, O> {
  private readonly lanes: Lane<I, O>[];

  constructor(private readonly options: GroupCommitOptions<I, O>) {
    this.lanes = Array.from({ length: options.lanes }, () => ({ queue: [], busy: false }));
  }

  write(item: I): Promise<O> {
    const lane = this.lanes[laneIndex(this.options.key(item), this.lanes.length)];
    if (!lane) throw new Error('group commit has no lanes');
    return new Promise<O>((resolve, reject) => {
      lane.queue.push({ item, resolve, reject });
      if (!lane.busy) this.drain(lane);
    });
  }

  private drain(lane: Lane<I, O>): void {
    const batch = lane.queue.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    lane.busy = true;
    void this.send(batch).finally(() => {
      lane.busy = false;
      this.drain(lane);
    });
  }

  private async send(batch: Waiting<I, O>[]): Promise<void> {
    const [single] = batch;
    if (batch.length === 1 && single) {
      await this.options.one(single.item).then(single.resolve, single.reject);
      return;
    }
    let results: O[];
    try {
      results = await this.options.many(batch.map((w) => w.item));
    } catch {
      // One write spoiled the batch (a duplicate sent twice at once, a lock given up): each is
      // tried alone, in order, and the one at fault gets its own error.
      for (const w of batch) await this.options.one(w.item).then(w.resolve, w.reject);
      return;
    }
    batch.forEach((w, i) => {
      w.resolve(results[i] as O);
    });
  }
}

/** FNV-1a: spreads keys evenly over the lanes. */
function laneIndex(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
