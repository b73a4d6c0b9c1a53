import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

interface Item {
  key: string;
  n: number;
}

/** A store whose writes take `delayMs`; it records each statement it ran. */
function store(delayMs: number, refuse: (item: Item) => boolean = () => false) {
  const statements: number[][] = [];
  const written: number[] = [];
  let underWay = 0;
  let mostUnderWay = 0;
  const run = async (items: readonly Item[]) => {
    statements.push(items.map((i) => i.n));
    underWay++;
    mostUnderWay = Math.max(mostUnderWay, underWay);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    underWay--;
    if (items.some(refuse)) throw new Error('refused');
    written.push(...items.map((i) => i.n));
    return items.map((i) => i.n * 10);
  };
  return {
    statements,
    written,
    mostUnderWay: () => mostUnderWay,
    commit: (lanes: number, maxBatch: number) =>
      new GroupCommit<Item, number>({
        one: async (item) => (await run([item]))[0] ?? -1,
        many: run,
        key: (item) => item.key,
        lanes,
        maxBatch,
      }),
  };
}

const item = (n: number, key = 'c') => ({ key, n });

describe('group commit', () => {
  it('sends a write at once, alone, when its lane is free', async () => {
    const s = store(5);
    const commit = s.commit(4, 10);
    expect(await commit.write(item(1))).toBe(10);
    expect(await commit.write(item(2))).toBe(20);
    expect(s.statements).toEqual([[1], [2]]);
  });

  it('sends what waits in a lane together when its write ends, in order, up to the batch size', async () => {
    const s = store(20);
    const commit = s.commit(1, 5);
    const items = Array.from({ length: 12 }, (_, i) => item(i + 1));
    const results = await Promise.all(items.map((i) => commit.write(i)));
    expect(results).toEqual(items.map((i) => i.n * 10));
    // The first alone, then the eleven that queued meanwhile in batches of five at most.
    expect(s.statements).toEqual([[1], [2, 3, 4, 5, 6], [7, 8, 9, 10, 11], [12]]);
    expect(s.written).toEqual(items.map((i) => i.n));
  });

  it('writes different keys side by side, one write per lane, and one key never twice at once', async () => {
    const s = store(20);
    const commit = s.commit(4, 50);
    const keys = Array.from({ length: 40 }, (_, i) => `conversation-${String(i)}`);
    const items = keys.flatMap((key, k) => [item(k * 2, key), item(k * 2 + 1, key)]);
    const results = await Promise.all(items.map((i) => commit.write(i)));
    expect(results).toEqual(items.map((i) => i.n * 10));
    expect(s.mostUnderWay()).toBeGreaterThan(1);
    expect(s.mostUnderWay()).toBeLessThanOrEqual(4);
    // Each key's two writes are in one statement or in order in two.
    for (const key of keys) {
      const ns = items.filter((i) => i.key === key).map((i) => i.n);
      const where = ns.map((n) => s.statements.findIndex((st) => st.includes(n)));
      expect(where[0]).toBeLessThanOrEqual(where[1] ?? -1);
    }
  });

  it('tries each write of a failed batch alone: only the one at fault fails', async () => {
    const s = store(10, (i) => i.n === 6);
    const commit = s.commit(1, 10);
    const settled = await Promise.allSettled(
      [1, 2, 3, 4, 5, 6, 7].map((n) => commit.write(item(n))),
    );
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([
      10,
      20,
      30,
      40,
      50,
      'failed',
      70,
    ]);
    expect(s.statements[1]).toEqual([2, 3, 4, 5, 6, 7]);
    expect(s.written).toEqual([1, 2, 3, 4, 5, 7]);
  });
});
