import type { SyncRequest, SyncResult } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { fetchAfter } from './sync';
import { message } from './test/fixtures';

/** A server holding seqs 1..total that answers at most `pageSize` per request. */
function server(total: number, pageSize: number) {
  return vi.fn((req: SyncRequest): Promise<SyncResult> => {
    const after = req.afterSeq ?? 0;
    const messages = [];
    for (let seq = after + 1; seq <= Math.min(total, after + pageSize); seq += 1)
      messages.push(message(seq));
    return Promise.resolve({ conversationId: req.conversationId, messages, lastSeq: total });
  });
}

describe('fetchAfter', () => {
  it('asks for what follows lastSeq and stops when caught up', async () => {
    const request = server(5, 10);
    const result = await fetchAfter(request, 'c1', 3);
    expect(request.mock.calls).toEqual([[{ conversationId: 'c1', afterSeq: 3 }]]);
    expect(result.messages.map((m) => m.seq)).toEqual([4, 5]);
    expect(result.lastSeq).toBe(5);
  });

  it('follows pages while the page ends below the conversation lastSeq', async () => {
    const request = server(7, 3);
    const result = await fetchAfter(request, 'c1', 0);
    expect(request.mock.calls.map(([req]) => req.afterSeq)).toEqual([0, 3, 6]);
    expect(result.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('stops on an empty page', async () => {
    const request = server(2, 10);
    const result = await fetchAfter(request, 'c1', 2);
    expect(request).toHaveBeenCalledTimes(1);
    expect(result.messages).toEqual([]);
  });

  it('stops when a server does not move forward', async () => {
    const request = vi.fn(() =>
      Promise.resolve({ conversationId: 'c1', messages: [message(2)], lastSeq: 9 }),
    );
    await fetchAfter(request, 'c1', 2);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('passes a refusal on to the caller', async () => {
    await expect(fetchAfter(() => Promise.reject(new Error('no')), 'c1', 0)).rejects.toThrow('no');
  });
});
