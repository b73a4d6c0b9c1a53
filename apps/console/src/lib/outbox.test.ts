import { describe, expect, it } from 'vitest';
import {
  type Outbox,
  enqueue,
  markFailed,
  markSending,
  pendingIn,
  readyToSend,
  remove,
  requeue,
  retry,
} from './outbox';

function reply(id: string, conversationId = 'c1') {
  return {
    clientMessageId: id,
    conversationId,
    body: `body ${id}`,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

const ids = (replies: readonly { clientMessageId: string }[]) =>
  replies.map((r) => r.clientMessageId);

describe('outbox', () => {
  it('queues replies in the order they were typed, once per id', () => {
    let outbox: Outbox = [];
    outbox = enqueue(outbox, reply('a'));
    outbox = enqueue(outbox, reply('b'));
    outbox = enqueue(outbox, reply('a'));
    expect(ids(outbox)).toEqual(['a', 'b']);
    expect(outbox.every((r) => r.status === 'queued' && r.attempt === 0)).toBe(true);
  });

  it('sends one reply at a time per conversation, in order', () => {
    let outbox: Outbox = [reply('a'), reply('b'), reply('x', 'c2')].reduce<Outbox>(enqueue, []);
    expect(ids(readyToSend(outbox))).toEqual(['a', 'x']);
    outbox = markSending(outbox, 'a');
    outbox = markSending(outbox, 'x');
    expect(readyToSend(outbox)).toEqual([]);
    outbox = remove(outbox, ['a']);
    expect(ids(readyToSend(outbox))).toEqual(['b']);
  });

  it('counts attempts and ignores a timeout from an older attempt', () => {
    let outbox = enqueue([], reply('a'));
    outbox = markSending(outbox, 'a');
    expect(outbox[0]?.attempt).toBe(1);
    outbox = requeue(outbox, 'a', 1);
    expect(outbox[0]?.status).toBe('queued');
    outbox = markSending(outbox, 'a');
    expect(outbox[0]?.attempt).toBe(2);
    expect(requeue(outbox, 'a', 1)).toBe(outbox);
    expect(markFailed(outbox, 'a', 1, 'late')).toBe(outbox);
  });

  it('keeps a failed reply with its error and lets later replies go', () => {
    let outbox = [reply('a'), reply('b')].reduce<Outbox>(enqueue, []);
    outbox = markSending(outbox, 'a');
    outbox = markFailed(outbox, 'a', 1, 'Message is too long');
    expect(outbox[0]).toMatchObject({ status: 'failed', error: 'Message is too long' });
    expect(ids(readyToSend(outbox))).toEqual(['b']);
  });

  it('retries a failed reply with the same id, in its place', () => {
    let outbox = [reply('a'), reply('b')].reduce<Outbox>(enqueue, []);
    outbox = markFailed(markSending(outbox, 'a'), 'a', 1, 'Rate limited');
    outbox = retry(outbox, 'a');
    expect(outbox[0]).toMatchObject({ clientMessageId: 'a', status: 'queued', error: null });
    expect(ids(readyToSend(outbox))).toEqual(['a']);
    expect(retry(outbox, 'b')).toBe(outbox);
  });

  it('lists a conversation’s pending replies', () => {
    const outbox = [reply('a'), reply('x', 'c2'), reply('b')].reduce<Outbox>(enqueue, []);
    expect(ids(pendingIn(outbox, 'c1'))).toEqual(['a', 'b']);
    expect(remove(outbox, ['nope'])).toBe(outbox);
  });
});
