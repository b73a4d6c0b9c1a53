import type { Conversation } from '@parley/protocol';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleStore } from '../state/store';
import { agent, at, makeConversation, makeMessage, must } from '../testing/fixtures';
import { InboxPanel } from './InboxPanel';
import { StoreContext } from './context';

function setup(conversations: Conversation[]) {
  const api = {
    listConversations: vi.fn((status: string) =>
      Promise.resolve(conversations.filter((c) => c.status === status)),
    ),
    messages: vi.fn(),
  };
  const store = new ConsoleStore(agent, { api });
  const view = render(
    <StoreContext value={store}>
      <InboxPanel activeConversationId={null} />
    </StoreContext>,
  );
  return { store, api, view };
}

function names() {
  return within(screen.getByRole('list', { name: 'Conversations' }))
    .getAllByRole('listitem')
    .map((item) => item.querySelector('.inbox-name')?.textContent);
}

function item(name: string) {
  const found = screen
    .getAllByRole('listitem')
    .find((li) => li.querySelector('.inbox-name')?.textContent === name);
  if (!found) throw new Error(`no conversation named ${name}`);
  return found;
}

const visitor = (id: string, name: string | null) => ({
  id,
  name,
  email: null,
  pageUrl: null,
  userAgent: null,
  lastSeenAt: null,
});

describe('InboxPanel', () => {
  it('lists conversations by last activity with preview, status and unread state', async () => {
    const { store } = setup([
      makeConversation('c1', {
        visitor: visitor('v1', 'Lin'),
        lastSeq: 2,
        lastMessageAt: at(1),
        lastMessagePreview: 'Where is my order?',
      }),
      makeConversation('c2', {
        visitor: visitor('v0000xyz789', null),
        lastSeq: 4,
        lastMessageAt: at(5),
      }),
    ]);
    await act(() => store.refreshInbox());

    expect(names()).toEqual(['Visitor xyz789', 'Lin']);
    const lin = item('Lin');
    expect(within(lin).getByText('Where is my order?')).toBeTruthy();
    expect(within(lin).getByText('Open')).toBeTruthy();
    expect(within(lin).getByText('Unread')).toBeTruthy();
    expect(within(lin).getByRole('link').getAttribute('href')).toBe('#/conversations/c1');
  });

  it('updates live: new conversations and messages appear and reorder without a reload', async () => {
    const { store, api } = setup([
      makeConversation('c1', { visitor: visitor('v1', 'Lin'), lastSeq: 1, lastMessageAt: at(1) }),
      makeConversation('c2', { visitor: visitor('v2', 'Sam'), lastSeq: 1, lastMessageAt: at(2) }),
    ]);
    await act(() => store.refreshInbox());
    act(() => {
      store.conversationUpdated({ ...must(store.getState().inbox.byId['c1']), lastSeq: 1 });
    });
    expect(names()).toEqual(['Sam', 'Lin']);

    act(() => {
      store.conversationUpdated(
        makeConversation('c3', {
          visitor: visitor('v3', 'Noor'),
          lastSeq: 1,
          lastMessageAt: at(3),
          lastMessagePreview: 'Hi!',
        }),
      );
    });
    expect(names()).toEqual(['Noor', 'Sam', 'Lin']);

    act(() => {
      store.messageReceived(
        makeMessage(2, { conversationId: 'c1', createdAt: at(9), body: 'Any update?' }),
      );
    });
    expect(names()).toEqual(['Lin', 'Noor', 'Sam']);
    expect(within(item('Lin')).getByText('Any update?')).toBeTruthy();
    expect(api.listConversations).toHaveBeenCalledTimes(1);
  });

  it('clears the unread mark once the agent has read the conversation', async () => {
    const { store } = setup([
      makeConversation('c1', { visitor: visitor('v1', 'Lin'), lastSeq: 3 }),
    ]);
    await act(() => store.refreshInbox());
    expect(within(item('Lin')).queryByText('Unread')).toBeTruthy();
    act(() => {
      store.messageReceived(
        makeMessage(4, {
          conversationId: 'c1',
          authorKind: 'AGENT',
          authorId: agent.id,
          createdAt: at(4),
        }),
      );
    });
    expect(within(item('Lin')).queryByText('Unread')).toBeNull();
  });

  it('switches between Open and Resolved, and drops resolved conversations from Open', async () => {
    const conversations = [
      makeConversation('c1', { visitor: visitor('v1', 'Lin') }),
      makeConversation('c2', { visitor: visitor('v2', 'Sam'), status: 'RESOLVED' }),
    ];
    const { store, api } = setup(conversations);
    await act(() => store.refreshInbox());
    expect(names()).toEqual(['Lin']);

    const resolved = { ...must(store.getState().inbox.byId['c1']), status: 'RESOLVED' as const };
    conversations[0] = resolved;
    act(() => {
      store.conversationUpdated(resolved);
    });
    expect(screen.getByText('No open conversations. All caught up.')).toBeTruthy();

    await userEvent.setup().click(screen.getByRole('button', { name: 'Resolved' }));
    await vi.waitFor(() => {
      expect(names().sort()).toEqual(['Lin', 'Sam']);
    });
    expect(api.listConversations).toHaveBeenLastCalledWith('RESOLVED');
    expect(screen.getByRole('button', { name: 'Resolved' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it('shows a failed load with a way to try again', async () => {
    const { store, api } = setup([]);
    api.listConversations.mockRejectedValueOnce(new Error('Cannot reach the server.'));
    await act(() => store.refreshInbox());
    expect(screen.getByRole('alert').textContent).toContain('Cannot reach the server.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    await vi.waitFor(() => {
      expect(screen.queryByRole('alert')).toBeNull();
    });
  });

  it('narrows by view (mine, unassigned, all) with unread counts, and follows live assignments', async () => {
    const conversations = [
      makeConversation('c1', { visitor: visitor('v1', 'Lin'), assigneeId: agent.id, lastSeq: 2 }),
      makeConversation('c2', { visitor: visitor('v2', 'Sam'), assigneeId: null, lastSeq: 3 }),
      makeConversation('c3', { visitor: visitor('v3', 'Kim'), assigneeId: 'agent-2', lastSeq: 1 }),
      makeConversation('c4', { visitor: visitor('v4', 'Ola'), status: 'PENDING', lastSeq: 1 }),
    ];
    const { store } = setup(conversations);
    await act(() => store.refreshInbox());
    expect(names().sort()).toEqual(['Kim', 'Lin', 'Sam']);
    expect(screen.getByRole('button', { name: 'All 3 unread' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Mine 1 unread' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Unassigned 1 unread' })).toBeTruthy();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^Mine/ }));
    expect(names()).toEqual(['Lin']);
    await user.click(screen.getByRole('button', { name: /^Unassigned/ }));
    expect(names()).toEqual(['Sam']);

    // Sam is assigned to this agent elsewhere: it moves from Unassigned to Mine live.
    act(() => {
      store.conversationUpdated({ ...must(conversations[1]), assigneeId: agent.id });
    });
    expect(screen.getByText(/No open conversations\. All caught up\. \(unassigned\)/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Mine 2 unread' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Pending' }));
    await user.click(screen.getByRole('button', { name: /^All/ }));
    await vi.waitFor(() => {
      expect(names()).toEqual(['Ola']);
    });
    expect(within(item('Ola')).getByText('Pending')).toBeTruthy();
  });
});
