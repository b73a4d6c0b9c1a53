import type {
  Ack,
  AgentSendMessage,
  Conversation,
  SyncRequest,
  SyncResult,
  UpdateConversation,
} from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../api/http';
import { agent, deferred, makeConversation, makeMessage, must } from '../testing/fixtures';
import { type RealtimeLink, type SendOutcome, ConsoleStore } from './store';

/** A socket stand-in whose sends and syncs answer when the test says so. */
class FakeLink implements RealtimeLink {
  connected = true;
  readonly sends: { payload: AgentSendMessage; answer: (outcome: SendOutcome) => void }[] = [];
  readonly syncs: SyncRequest[] = [];
  syncResult: (request: SyncRequest) => SyncResult = (request) => ({
    conversationId: request.conversationId,
    messages: [],
    lastSeq: 0,
  });

  send(payload: AgentSendMessage): Promise<SendOutcome> {
    return new Promise((resolve) => {
      this.sends.push({ payload, answer: resolve });
    });
  }

  sync(request: SyncRequest): Promise<SyncResult> {
    this.syncs.push(request);
    return Promise.resolve(this.syncResult(request));
  }

  readonly updates: UpdateConversation[] = [];
  updateResult: (request: UpdateConversation) => Ack<Conversation> = (request) => ({
    ok: true,
    data: makeConversation(request.conversationId, {
      ...(request.status ? { status: request.status } : {}),
      ...(request.assigneeId === undefined ? {} : { assigneeId: request.assigneeId }),
    }),
  });

  update(request: UpdateConversation): Promise<Ack<Conversation>> {
    this.updates.push(request);
    return Promise.resolve(this.updateResult(request));
  }

  /** Acks the oldest unanswered send with the committed message. */
  commitNext(seq: number) {
    const next = this.sends.shift();
    if (!next) throw new Error('nothing was sent');
    const message = makeMessage(seq, {
      conversationId: next.payload.conversationId,
      clientMessageId: next.payload.clientMessageId,
      body: next.payload.body,
      authorKind: 'AGENT',
      authorId: agent.id,
    });
    next.answer({
      kind: 'acked',
      ack: {
        ok: true,
        data: {
          id: message.id,
          seq,
          conversationId: message.conversationId,
          duplicate: false,
          message,
        },
      },
    });
  }
}

function setup(history: Record<string, SyncResult['messages']> = {}) {
  const api = {
    listConversations: vi.fn(() => Promise.resolve([makeConversation('c1', { lastSeq: 2 })])),
    messages: vi.fn((conversationId: string, afterSeq: number) =>
      Promise.resolve({
        conversationId,
        messages: (history[conversationId] ?? []).filter((m) => m.seq > afterSeq),
        lastSeq: history[conversationId]?.at(-1)?.seq ?? 0,
      }),
    ),
  };
  let id = 0;
  const onUnauthorized = vi.fn();
  const store = new ConsoleStore(agent, {
    api,
    onUnauthorized,
    newClientMessageId: () => `client-id-${String(++id)}`,
  });
  const link = new FakeLink();
  store.attach(link);
  return { store, link, api, onUnauthorized };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const seqs = (store: ConsoleStore, id = 'c1') =>
  store.getState().threads[id]?.messages.map((m) => m.seq);

describe('ConsoleStore replies', () => {
  it('shows a reply at once, sends it with its id and clears it on ack', async () => {
    const { store, link } = setup();
    store.sendReply('c1', '  Hello there  ');
    expect(store.getState().outbox).toMatchObject([
      { body: 'Hello there', status: 'sending', clientMessageId: 'client-id-1' },
    ]);
    expect(link.sends[0]?.payload).toEqual({
      conversationId: 'c1',
      clientMessageId: 'client-id-1',
      body: 'Hello there',
    });
    link.commitNext(3);
    await flush();
    expect(store.getState().outbox).toEqual([]);
  });

  it('sends replies of one conversation one after the other, in order', async () => {
    const { store, link } = setup();
    store.sendReply('c1', 'first');
    store.sendReply('c1', 'second');
    expect(link.sends.map((s) => s.payload.body)).toEqual(['first']);
    link.commitNext(3);
    await flush();
    expect(link.sends.map((s) => s.payload.body)).toEqual(['second']);
  });

  it('retries with the same id after a timeout', async () => {
    const { store, link } = setup();
    store.sendReply('c1', 'hello');
    link.sends.shift()?.answer({ kind: 'lost', reason: 'operation has timed out' });
    await flush();
    expect(link.sends.map((s) => s.payload.clientMessageId)).toEqual(['client-id-1']);
    expect(store.getState().outbox[0]).toMatchObject({ status: 'sending', attempt: 2 });
  });

  it('queues replies typed offline and sends them in order on reconnect', async () => {
    const { store, link } = setup();
    link.connected = false;
    store.sendReply('c1', 'one');
    store.sendReply('c1', 'two');
    expect(link.sends).toEqual([]);
    expect(store.getState().outbox.map((r) => r.status)).toEqual(['queued', 'queued']);
    link.connected = true;
    store.connected('polling');
    expect(link.sends.map((s) => s.payload.body)).toEqual(['one']);
    link.commitNext(3);
    await flush();
    expect(link.sends.map((s) => s.payload.body)).toEqual(['two']);
  });

  it('marks a refused reply as failed with the error, and Retry sends it again', async () => {
    const { store, link } = setup();
    store.sendReply('c1', 'too much');
    link.sends.shift()?.answer({
      kind: 'acked',
      ack: { ok: false, error: { code: 'RATE_LIMITED', message: 'Slow down a little' } },
    });
    await flush();
    expect(store.getState().outbox[0]).toMatchObject({
      status: 'failed',
      error: 'Slow down a little',
    });
    store.retryReply('client-id-1');
    expect(link.sends.map((s) => s.payload.clientMessageId)).toEqual(['client-id-1']);
  });

  it('drops the pending copy when the committed message arrives first as message:new', () => {
    const { store, link } = setup();
    store.sendReply('c1', 'hello');
    const payload = must(link.sends[0]).payload;
    store.messageReceived(
      makeMessage(3, {
        clientMessageId: payload.clientMessageId,
        authorKind: 'AGENT',
        authorId: agent.id,
      }),
    );
    expect(store.getState().outbox).toEqual([]);
  });
});

describe('ConsoleStore threads', () => {
  it('loads history page by page when opened', async () => {
    const { store, api } = setup({ c1: [makeMessage(1), makeMessage(2), makeMessage(3)] });
    api.messages.mockImplementationOnce((conversationId) =>
      Promise.resolve({ conversationId, messages: [makeMessage(1), makeMessage(2)], lastSeq: 3 }),
    );
    store.openConversation('c1');
    expect(store.getState().threads['c1']?.status).toBe('loading');
    await flush();
    expect(api.messages.mock.calls).toEqual([
      ['c1', 0],
      ['c1', 2],
    ]);
    expect(seqs(store)).toEqual([1, 2, 3]);
    expect(store.getState().threads['c1']).toMatchObject({ status: 'ready', syncedSeq: 3 });
  });

  it('syncs when a live message reveals a gap, and merges without duplicates', async () => {
    const { store, link } = setup({ c1: [makeMessage(1), makeMessage(2)] });
    store.openConversation('c1');
    await flush();
    link.syncResult = (request) => ({
      conversationId: 'c1',
      messages: [makeMessage(3), makeMessage(4), makeMessage(5)].filter(
        (m) => m.seq > (request.afterSeq ?? 0),
      ),
      lastSeq: 5,
    });
    store.messageReceived(makeMessage(5));
    await flush();
    expect(link.syncs).toEqual([{ conversationId: 'c1', afterSeq: 2 }]);
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not sync for a message that follows on', async () => {
    const { store, link } = setup({ c1: [makeMessage(1)] });
    store.openConversation('c1');
    await flush();
    store.messageReceived(makeMessage(2));
    store.messageReceived(makeMessage(2));
    await flush();
    expect(link.syncs).toEqual([]);
    expect(seqs(store)).toEqual([1, 2]);
  });

  it('catches up the open thread on reconnect and refetches the inbox', async () => {
    const { store, link, api } = setup({ c1: [makeMessage(1)] });
    store.openConversation('c1');
    await flush();
    store.connectionLost('The connection was closed.');
    expect(store.getState().connection.status).toBe('connecting');
    store.connected('websocket');
    await flush();
    expect(link.syncs).toEqual([{ conversationId: 'c1', afterSeq: 1 }]);
    expect(api.listConversations).toHaveBeenCalledTimes(1);
    expect(store.getState().connection).toEqual({
      status: 'connected',
      transport: 'websocket',
      detail: null,
    });
    store.connectionLost(null);
    expect(store.getState().connection.status).toBe('reconnecting');
  });

  it('catches up once, within the spread, when the server says live events may have been lost', async () => {
    vi.useFakeTimers();
    try {
      const { store, link, api } = setup({ c1: [makeMessage(1)] });
      store.connected('websocket');
      store.openConversation('c1');
      await vi.runOnlyPendingTimersAsync();
      link.syncs.length = 0;
      api.listConversations.mockClear();
      // Every node asks after an outage: one catch-up, not one per request.
      store.syncRequired(2_000);
      store.syncRequired(2_000);
      expect(api.listConversations).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(api.listConversations).toHaveBeenCalledTimes(1);
      expect(link.syncs).toEqual([{ conversationId: 'c1', afterSeq: 1 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('marks threads that were not open across a reconnect as stale and reloads them when opened', async () => {
    const { store, api } = setup({
      c1: [makeMessage(1)],
      c2: [makeMessage(1, { conversationId: 'c2' })],
    });
    store.openConversation('c1');
    await flush();
    store.openConversation('c2');
    await flush();
    store.connected('polling');
    expect(store.getState().threads['c1']?.stale).toBe(true);
    api.messages.mockClear();
    store.openConversation('c1');
    await flush();
    expect(api.messages.mock.calls).toEqual([['c1', 1]]);
    expect(store.getState().threads['c1']?.stale).toBe(false);
  });

  it('marks the open conversation as read', async () => {
    const { store } = setup({ c1: [makeMessage(1), makeMessage(2)] });
    await store.refreshInbox();
    store.openConversation('c1');
    await flush();
    expect(store.getState().inbox.readSeq['c1']).toBe(2);
    store.messageReceived(makeMessage(3));
    expect(store.getState().inbox.readSeq['c1']).toBe(3);
  });

  it('reports a failed first load and signs out on 401', async () => {
    const { store, api, onUnauthorized } = setup();
    api.messages.mockRejectedValueOnce(
      new ApiRequestError(404, 'NOT_FOUND', 'No such conversation'),
    );
    store.openConversation('c1');
    await flush();
    expect(store.getState().threads['c1']).toMatchObject({
      status: 'error',
      error: 'No such conversation',
    });
    api.listConversations.mockRejectedValueOnce(
      new ApiRequestError(401, 'UNAUTHORIZED', 'Sign in'),
    );
    await store.refreshInbox();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('ignores an inbox response overtaken by a newer request', async () => {
    const { store, api } = setup();
    const slow = deferred<ReturnType<typeof makeConversation>[]>();
    api.listConversations.mockReturnValueOnce(slow.promise);
    const first = store.refreshInbox();
    store.setFilter('RESOLVED');
    slow.resolve([makeConversation('stale')]);
    await first;
    await flush();
    expect(store.getState().inbox.byId['stale']).toBeUndefined();
  });
});
