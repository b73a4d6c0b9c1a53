import { describe, expect, it } from 'vitest';
import { makeMessage } from '../testing/fixtures';
import { EMPTY_THREAD, mergeBySeq, receiveMessages, receivePage } from './messages';

const seqs = (messages: readonly { seq: number }[]) => messages.map((m) => m.seq);

describe('mergeBySeq', () => {
  it('appends newer messages in order', () => {
    const merged = mergeBySeq([makeMessage(1), makeMessage(2)], [makeMessage(3), makeMessage(4)]);
    expect(seqs(merged)).toEqual([1, 2, 3, 4]);
  });

  it('orders out-of-order input and drops duplicates by seq', () => {
    const merged = mergeBySeq(
      [makeMessage(1), makeMessage(4)],
      [makeMessage(3), makeMessage(1), makeMessage(2), makeMessage(4), makeMessage(3)],
    );
    expect(seqs(merged)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the copy it already had for a seq', () => {
    const original = makeMessage(1, { body: 'original' });
    const merged = mergeBySeq([original], [makeMessage(1, { body: 'other' })]);
    expect(merged[0]).toBe(original);
  });

  it('returns the same array when nothing is new', () => {
    const current = [makeMessage(1), makeMessage(2)];
    expect(mergeBySeq(current, [makeMessage(2)])).toBe(current);
    expect(mergeBySeq(current, [])).toBe(current);
  });
});

describe('receiveMessages', () => {
  it('moves the frontier over the next message', () => {
    const { thread, gap } = receiveMessages({ messages: [makeMessage(1)], syncedSeq: 1 }, [
      makeMessage(2),
    ]);
    expect(gap).toBe(false);
    expect(thread.syncedSeq).toBe(2);
    expect(seqs(thread.messages)).toEqual([1, 2]);
  });

  it('reports a gap and keeps the frontier when a message skips ahead', () => {
    const { thread, gap } = receiveMessages({ messages: [makeMessage(1)], syncedSeq: 1 }, [
      makeMessage(4),
    ]);
    expect(gap).toBe(true);
    expect(thread.syncedSeq).toBe(1);
    expect(seqs(thread.messages)).toEqual([1, 4]);
  });

  it('closes the gap when the missing messages arrive', () => {
    const first = receiveMessages({ messages: [makeMessage(1)], syncedSeq: 1 }, [makeMessage(3)]);
    const second = receiveMessages(first.thread, [makeMessage(2)]);
    expect(second.gap).toBe(false);
    expect(second.thread.syncedSeq).toBe(3);
  });

  it('ignores a duplicate without changing the thread', () => {
    const thread = { messages: [makeMessage(1), makeMessage(2)], syncedSeq: 2 };
    const result = receiveMessages(thread, [makeMessage(2)]);
    expect(result.thread).toBe(thread);
    expect(result.gap).toBe(false);
  });
});

describe('receivePage', () => {
  it('closes the fetched range and asks for more while below lastSeq', () => {
    const page = { messages: [makeMessage(1), makeMessage(2)], lastSeq: 5 };
    const { thread, more } = receivePage(EMPTY_THREAD, 0, page);
    expect(more).toBe(true);
    expect(thread.syncedSeq).toBe(2);
  });

  it('stops at the last page', () => {
    const page = { messages: [makeMessage(3), makeMessage(4), makeMessage(5)], lastSeq: 5 };
    const { thread, more } = receivePage(
      { messages: [makeMessage(1), makeMessage(2)], syncedSeq: 2 },
      2,
      page,
    );
    expect(more).toBe(false);
    expect(seqs(thread.messages)).toEqual([1, 2, 3, 4, 5]);
    expect(thread.syncedSeq).toBe(5);
  });

  it('stops on an empty page even if the server claims more', () => {
    const { more, thread } = receivePage(EMPTY_THREAD, 0, { messages: [], lastSeq: 3 });
    expect(more).toBe(false);
    expect(thread).toBe(EMPTY_THREAD);
  });

  it('merges with live messages already past the frontier, without duplicates', () => {
    const live = { messages: [makeMessage(1), makeMessage(4)], syncedSeq: 1 };
    const page = { messages: [makeMessage(2), makeMessage(3), makeMessage(4)], lastSeq: 4 };
    const { thread, more } = receivePage(live, 1, page);
    expect(more).toBe(false);
    expect(seqs(thread.messages)).toEqual([1, 2, 3, 4]);
    expect(thread.syncedSeq).toBe(4);
  });
});
