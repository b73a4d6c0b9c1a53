import type { Ack, SendMessageResult } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxItem, type SendAttempt } from './outbox';
import { message } from './test/fixtures';

function okAck(item: OutboxItem, seq: number): Ack<SendMessageResult> {
  const m = message(seq, {
    clientMessageId: item.clientMessageId,
    body: item.body,
    authorKind: 'VISITOR',
  });
  return { ok: true, data: { id: m.id, seq, conversationId: 'c1', duplicate: false, message: m } };
}

/** A hand-driven server: every attempt waits until the test answers it. */
function harness() {
  let connected = true;
  const attempts: { item: OutboxItem; answer: (a: SendAttempt) => void }[] = [];
  const acked: { id: string; ok: boolean }[] = [];
  const outbox = new Outbox({
    canSend: () => connected,
    send: (item) =>
      new Promise((resolve) => {
        attempts.push({ item, answer: resolve });
      }),
    onAck: (item, ack) => acked.push({ id: item.clientMessageId, ok: ack.ok }),
    wait: () => Promise.resolve(),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    outbox,
    attempts,
    acked,
    settle,
    setConnected: (value: boolean) => {
      connected = value;
    },
  };
}

describe('the outbox', () => {
  it('sends one message at a time, in the order they were written', async () => {
    const h = harness();
    h.outbox.enqueue({ clientMessageId: 'a', body: 'first' });
    h.outbox.enqueue({ clientMessageId: 'b', body: 'second' });
    await h.settle();
    expect(h.attempts.map((a) => a.item.clientMessageId)).toEqual(['a']);
    h.attempts[0]?.answer({ kind: 'ack', ack: okAck({ clientMessageId: 'a', body: 'first' }, 1) });
    await h.settle();
    expect(h.attempts.map((a) => a.item.clientMessageId)).toEqual(['a', 'b']);
    h.attempts[1]?.answer({ kind: 'ack', ack: okAck({ clientMessageId: 'b', body: 'second' }, 2) });
    await h.settle();
    expect(h.acked).toEqual([
      { id: 'a', ok: true },
      { id: 'b', ok: true },
    ]);
    expect(h.outbox.size).toBe(0);
  });

  it('resends the same message after a timeout while connected', async () => {
    const h = harness();
    h.outbox.enqueue({ clientMessageId: 'a', body: 'hello' });
    await h.settle();
    h.attempts[0]?.answer({ kind: 'lost' });
    await h.settle();
    expect(h.attempts.map((a) => a.item)).toEqual([
      { clientMessageId: 'a', body: 'hello' },
      { clientMessageId: 'a', body: 'hello' },
    ]);
    h.attempts[1]?.answer({ kind: 'ack', ack: okAck({ clientMessageId: 'a', body: 'hello' }, 1) });
    await h.settle();
    expect(h.acked).toEqual([{ id: 'a', ok: true }]);
  });

  it('holds messages while offline and sends them in order on flush', async () => {
    const h = harness();
    h.setConnected(false);
    h.outbox.enqueue({ clientMessageId: 'a', body: '1' });
    h.outbox.enqueue({ clientMessageId: 'b', body: '2' });
    await h.settle();
    expect(h.attempts).toHaveLength(0);
    expect(h.outbox.size).toBe(2);
    h.setConnected(true);
    void h.outbox.flush();
    await h.settle();
    expect(h.attempts.map((a) => a.item.clientMessageId)).toEqual(['a']);
  });

  it('stops after a lost attempt when the connection dropped, and resumes on flush', async () => {
    const h = harness();
    h.outbox.enqueue({ clientMessageId: 'a', body: '1' });
    await h.settle();
    h.setConnected(false);
    h.attempts[0]?.answer({ kind: 'lost' });
    await h.settle();
    expect(h.attempts).toHaveLength(1);
    h.setConnected(true);
    void h.outbox.flush();
    await h.settle();
    expect(h.attempts.map((a) => a.item.clientMessageId)).toEqual(['a', 'a']);
  });

  it('hands a refusal to its owner and moves on to the next message', async () => {
    const h = harness();
    h.outbox.enqueue({ clientMessageId: 'a', body: '1' });
    h.outbox.enqueue({ clientMessageId: 'b', body: '2' });
    await h.settle();
    h.attempts[0]?.answer({
      kind: 'ack',
      ack: { ok: false, error: { code: 'RATE_LIMITED', message: 'Slow down' } },
    });
    await h.settle();
    expect(h.acked).toEqual([{ id: 'a', ok: false }]);
    expect(h.attempts.map((a) => a.item.clientMessageId)).toEqual(['a', 'b']);
  });

  it('does not queue the same message twice', async () => {
    const h = harness();
    h.setConnected(false);
    h.outbox.enqueue({ clientMessageId: 'a', body: '1' });
    h.outbox.enqueue({ clientMessageId: 'a', body: '1' });
    await h.settle();
    expect(h.outbox.size).toBe(1);
  });
});
