import { describe, expect, it } from 'vitest';
import { message } from './test/fixtures';
import { contiguousSeq, hasGap, mergeMessages } from './timeline';

describe('mergeMessages', () => {
  it('sorts by seq whatever the arrival order', () => {
    const merged = mergeMessages([message(2)], [message(4), message(1), message(3)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('never duplicates a message that arrives twice (ack, broadcast, sync)', () => {
    const once = mergeMessages([], [message(1), message(2)]);
    const twice = mergeMessages(once, [message(2), message(1), message(2)]);
    expect(twice.map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('returns the same list when nothing is new', () => {
    const list = mergeMessages([], [message(1)]);
    expect(mergeMessages(list, [message(1)])).toBe(list);
  });
});

describe('contiguousSeq and hasGap', () => {
  it('stops at the first missing seq', () => {
    expect(contiguousSeq([message(1), message(2), message(4)], 0)).toBe(2);
    expect(contiguousSeq([message(4), message(5)], 3)).toBe(5);
    expect(contiguousSeq([], 7)).toBe(7);
  });

  it('sees a gap only when a seq is skipped', () => {
    expect(hasGap(3, 4)).toBe(false);
    expect(hasGap(3, 3)).toBe(false);
    expect(hasGap(3, 5)).toBe(true);
    expect(hasGap(0, 1)).toBe(false);
  });
});
