import type { SearchResponse } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi } from '../api/console-api';
import { ConsoleStore } from '../state/store';
import { agent, makeConversation } from '../testing/fixtures';
import { InboxPanel } from './InboxPanel';
import { ApiContext, StoreContext } from './context';

function setup(search: ConsoleApi['search']) {
  const conversations = [
    makeConversation('c1', {
      visitor: {
        id: 'v1',
        name: 'Lin',
        email: null,
        pageUrl: null,
        userAgent: null,
        lastSeenAt: null,
      },
    }),
  ];
  const store = new ConsoleStore(agent, {
    api: { listConversations: () => Promise.resolve(conversations), messages: vi.fn() },
  });
  void store.refreshInbox();
  render(
    <ApiContext value={{ search } as unknown as ConsoleApi}>
      <StoreContext value={store}>
        <InboxPanel activeConversationId={null} />
      </StoreContext>
    </ApiContext>,
  );
  return { user: userEvent.setup() };
}

const response = (total: number, ids: string[]): SearchResponse => ({
  total,
  limit: 20,
  offset: 0,
  results: ids.map((id) => ({
    conversation: makeConversation(id, {
      visitor: {
        id: `v-${id}`,
        name: `Visitor ${id}`,
        email: null,
        pageUrl: null,
        userAgent: null,
        lastSeenAt: null,
      },
    }),
    messageHits: 2,
    snippet: {
      source: 'message',
      seq: 1,
      internal: false,
      segments: [
        { text: '<b>not bold</b> ', match: false },
        { text: 'refund', match: true },
      ],
    },
  })),
});

describe('search in the inbox', () => {
  it('shows results with the matched words marked, as text, linking to the conversation', async () => {
    const search = vi.fn<ConsoleApi['search']>(() => Promise.resolve(response(1, ['c9'])));
    const { user } = setup(search);
    await user.type(screen.getByRole('searchbox', { name: 'Search conversations' }), 'refund');
    const results = await screen.findByRole('list', { name: 'Search results' });
    expect(search).toHaveBeenLastCalledWith('refund', {}, expect.any(AbortSignal));
    const link = within(results).getByRole('link');
    expect(link.getAttribute('href')).toBe('#/conversations/c9');
    expect(link.querySelector('mark')?.textContent).toBe('refund');
    expect(link.querySelector('b')).toBeNull();
    expect(link.textContent).toContain('<b>not bold</b>');
    expect(screen.getByRole('status').textContent).toBe('1 conversation found');
  });

  it('loads more results, says when nothing matches, and Escape brings the inbox back', async () => {
    const search = vi.fn<ConsoleApi['search']>((_q, page) =>
      Promise.resolve(page?.offset ? response(2, ['c2']) : response(2, ['c1'])),
    );
    const { user } = setup(search);
    const box = screen.getByRole('searchbox', { name: 'Search conversations' });
    await user.type(box, 'refund');
    await user.click(await screen.findByRole('button', { name: 'More results' }));
    const results = await screen.findAllByRole('link', { name: /Visitor c/ });
    expect(results.map((r) => r.getAttribute('href'))).toEqual([
      '#/conversations/c1',
      '#/conversations/c2',
    ]);
    expect(search).toHaveBeenLastCalledWith('refund', { offset: 1 });

    search.mockImplementation(() => Promise.resolve(response(0, [])));
    await user.clear(box);
    await user.type(box, '!!!');
    expect(await screen.findByText('No conversations match.')).toBeDefined();

    await user.type(box, '{Escape}');
    expect((box as HTMLInputElement).value).toBe('');
    expect(await screen.findByRole('list', { name: 'Conversations' })).toBeDefined();
  });

  it('shows the reason when the search fails', async () => {
    const { user } = setup(() => Promise.reject(new Error('The search text is too long')));
    await user.type(screen.getByRole('searchbox', { name: 'Search conversations' }), 'x');
    expect((await screen.findByRole('alert')).textContent).toMatch(/\S/);
  });
});
