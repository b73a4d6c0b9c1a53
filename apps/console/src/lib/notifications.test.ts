import { describe, expect, it } from 'vitest';
import { makeConversation, makeMessage } from '../testing/fixtures';
import { notificationFor, titleWithCount } from './notifications';

const me = 'agent-me';

describe('notificationFor', () => {
  const unassigned = makeConversation('c1');
  const context = {
    agentId: me,
    conversation: unassigned,
    activeConversationId: null,
    focused: true,
  };

  it('announces a new conversation and a visitor’s next messages', () => {
    const first = makeMessage(1, { authorKind: 'VISITOR' });
    expect(notificationFor(first, context)).toBe('conversation');
    const later = makeMessage(4, { authorKind: 'VISITOR' });
    expect(notificationFor(later, context)).toBe('message');
    expect(
      notificationFor(later, { ...context, conversation: { ...unassigned, assigneeId: me } }),
    ).toBe('message');
  });

  it('stays quiet for agents’ messages, notes, other agents’ conversations and the open one', () => {
    const agentReply = makeMessage(2, { authorKind: 'AGENT' });
    expect(notificationFor(agentReply, context)).toBeNull();
    const visitor = makeMessage(3, { authorKind: 'VISITOR' });
    expect(
      notificationFor(visitor, {
        ...context,
        conversation: { ...unassigned, assigneeId: 'other' },
      }),
    ).toBeNull();
    expect(notificationFor(visitor, { ...context, conversation: undefined })).toBeNull();
    expect(notificationFor(visitor, { ...context, activeConversationId: 'c1' })).toBeNull();
    // Open but the tab is in the background: the agent is not looking.
    expect(
      notificationFor(visitor, { ...context, activeConversationId: 'c1', focused: false }),
    ).toBe('message');
  });

  it('puts the unread count before the title', () => {
    expect(titleWithCount('Parley', 3)).toBe('(3) Parley');
    expect(titleWithCount('Parley', 0)).toBe('Parley');
  });
});
