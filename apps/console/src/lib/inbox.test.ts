import { describe, expect, it } from 'vitest';
import { at, makeConversation, makeMessage, must } from '../testing/fixtures';
import {
  PREVIEW_MAX,
  type InboxAction,
  type InboxState,
  inboxReducer,
  initialInbox,
  isUnread,
  previewOf,
  unreadOpenCount,
  visibleConversations,
} from './inbox';

const reduce = (state: InboxState, ...actions: InboxAction[]) =>
  actions.reduce(inboxReducer, state);
const order = (state: InboxState) => visibleConversations(state).map((c) => c.id);

const loaded = (
  conversations = [
    makeConversation('a', { lastSeq: 3, lastMessageAt: at(3) }),
    makeConversation('b', { lastSeq: 5, lastMessageAt: at(5) }),
    makeConversation('c', { lastSeq: 1, lastMessageAt: at(1) }),
  ],
) =>
  reduce(
    initialInbox(),
    { type: 'listRequested' },
    { type: 'listLoaded', status: 'OPEN', conversations },
  );

describe('inbox reducer', () => {
  it('sorts by last activity, newest first', () => {
    const state = loaded();
    expect(order(state)).toEqual(['b', 'a', 'c']);
    expect(state.loaded).toBe(true);
    expect(state.loading).toBe(false);
  });

  it('uses the creation time of a conversation without messages', () => {
    const state = loaded([
      makeConversation('old', { lastMessageAt: at(1) }),
      makeConversation('new', { lastMessageAt: null, lastSeq: 0, createdAt: at(2) }),
    ]);
    expect(order(state)).toEqual(['new', 'old']);
  });

  it('moves a conversation to the top when a message arrives', () => {
    const state = reduce(loaded(), {
      type: 'messageReceived',
      message: makeMessage(2, {
        conversationId: 'c',
        createdAt: at(10),
        body: 'need help\nplease',
      }),
    });
    expect(order(state)).toEqual(['c', 'b', 'a']);
    expect(state.byId['c']).toMatchObject({ lastSeq: 2, lastMessagePreview: 'need help please' });
  });

  it('ignores a message it already counted', () => {
    const state = loaded();
    const next = inboxReducer(state, {
      type: 'messageReceived',
      message: makeMessage(3, { conversationId: 'a', createdAt: at(30) }),
    });
    expect(next).toBe(state);
  });

  it('adds a new conversation from conversation:updated', () => {
    const state = reduce(loaded(), {
      type: 'conversationUpdated',
      conversation: makeConversation('d', { lastSeq: 1, lastMessageAt: at(20) }),
    });
    expect(order(state)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('removes a conversation from the Open view when it is resolved', () => {
    const state = reduce(loaded(), {
      type: 'conversationUpdated',
      conversation: makeConversation('a', { status: 'RESOLVED', lastSeq: 3, lastMessageAt: at(3) }),
    });
    expect(order(state)).toEqual(['b', 'c']);
  });

  it('never lets an older update roll back newer activity', () => {
    const state = reduce(
      loaded(),
      {
        type: 'messageReceived',
        message: makeMessage(6, { conversationId: 'b', createdAt: at(6), body: 'newest' }),
      },
      {
        type: 'conversationUpdated',
        conversation: makeConversation('b', {
          lastSeq: 5,
          lastMessageAt: at(5),
          lastMessagePreview: 'older',
          assigneeId: 'agent-1',
        }),
      },
    );
    expect(state.byId['b']).toMatchObject({
      lastSeq: 6,
      lastMessagePreview: 'newest',
      assigneeId: 'agent-1',
    });
  });

  it('drops conversations missing from a refetched list, but keeps ones touched since the request', () => {
    let state = loaded();
    state = reduce(
      state,
      { type: 'listRequested' },
      {
        type: 'conversationUpdated',
        conversation: makeConversation('fresh', { lastMessageAt: at(40) }),
      },
      {
        type: 'listLoaded',
        status: 'OPEN',
        conversations: [makeConversation('b', { lastSeq: 5, lastMessageAt: at(5) })],
      },
    );
    expect(order(state)).toEqual(['fresh', 'b']);
  });

  it('keeps conversations of the other status when a list loads', () => {
    let state = reduce(loaded(), { type: 'filterChanged', filter: 'RESOLVED' });
    expect(state.loaded).toBe(false);
    state = reduce(
      state,
      { type: 'listRequested' },
      {
        type: 'listLoaded',
        status: 'RESOLVED',
        conversations: [makeConversation('r', { status: 'RESOLVED' })],
      },
    );
    expect(order(state)).toEqual(['r']);
    expect(Object.keys(state.byId).sort()).toEqual(['a', 'b', 'c', 'r']);
  });

  it('records a failed list', () => {
    const state = reduce(
      initialInbox(),
      { type: 'listRequested' },
      { type: 'listFailed', error: 'Server down' },
    );
    expect(state).toMatchObject({ loading: false, error: 'Server down' });
  });
});

describe('unread', () => {
  it('marks conversations with messages past the read position', () => {
    const state = reduce(loaded(), { type: 'conversationRead', conversationId: 'a', seq: 3 });
    const byId = state.byId;
    expect(isUnread(state, must(byId['a']))).toBe(false);
    expect(isUnread(state, must(byId['b']))).toBe(true);
    expect(unreadOpenCount(state)).toBe(2);
  });

  it('becomes unread again when a new message arrives', () => {
    const state = reduce(
      loaded(),
      { type: 'conversationRead', conversationId: 'a', seq: 3 },
      {
        type: 'messageReceived',
        message: makeMessage(4, { conversationId: 'a', createdAt: at(50) }),
      },
    );
    expect(isUnread(state, must(state.byId['a']))).toBe(true);
  });

  it('never moves the read position backwards', () => {
    const state = reduce(loaded(), { type: 'conversationRead', conversationId: 'a', seq: 3 });
    expect(inboxReducer(state, { type: 'conversationRead', conversationId: 'a', seq: 2 })).toBe(
      state,
    );
  });
});

describe('previewOf', () => {
  it('collapses whitespace and cuts long text', () => {
    expect(previewOf('  a\n\n b  ')).toBe('a b');
    const long = previewOf('x'.repeat(500));
    expect(long).toHaveLength(PREVIEW_MAX);
    expect(long.endsWith('…')).toBe(true);
  });
});
