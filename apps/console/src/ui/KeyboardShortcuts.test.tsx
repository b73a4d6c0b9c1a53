import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleStore } from '../state/store';
import { agent, makeConversation, at } from '../testing/fixtures';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { StoreContext } from './context';

/** The shortcuts with the help overlay's state, as the signed-in app holds it. */
function WithHelp({ activeId }: { activeId: string | null }) {
  const [helpOpen, setHelpOpen] = useState(false);
  return (
    <KeyboardShortcuts
      route={activeId ? { page: 'conversation', conversationId: activeId } : { page: 'inbox' }}
      activeId={activeId}
      helpOpen={helpOpen}
      setHelpOpen={setHelpOpen}
    />
  );
}

function setup(activeId: string | null) {
  const conversations = [
    makeConversation('c1', { lastMessageAt: at(3) }),
    makeConversation('c2', { lastMessageAt: at(2) }),
    makeConversation('c3', { lastMessageAt: at(1) }),
  ];
  const store = new ConsoleStore(agent, {
    api: { listConversations: () => Promise.resolve(conversations), messages: vi.fn() },
  });
  const updateConversation = vi.spyOn(store, 'updateConversation').mockResolvedValue(null);
  render(
    <StoreContext value={store}>
      <button type="button">Somewhere</button>
      <textarea aria-label="Reply" data-composer="" />
      <WithHelp activeId={activeId} />
    </StoreContext>,
  );
  return { store, updateConversation, user: userEvent.setup() };
}

afterEach(() => {
  window.location.hash = '';
});

describe('KeyboardShortcuts', () => {
  it('moves through the inbox list with j and k, and Alt+arrows', async () => {
    const { store, user } = setup('c2');
    await act(() => store.refreshInbox());
    await user.keyboard('j');
    expect(window.location.hash).toBe('#/conversations/c3');
    await user.keyboard('k');
    expect(window.location.hash).toBe('#/conversations/c2');
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(window.location.hash).toBe('#/conversations/c1');
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(window.location.hash).toBe('#/conversations/c2');
  });

  it('starts each key from where the last one went, before the page has caught up', async () => {
    // The open conversation given to the shortcuts stays c1 here, as it does for a moment in
    // the app between a key press and the next render.
    const { store, updateConversation, user } = setup('c1');
    await act(() => store.refreshInbox());
    await user.keyboard('jj');
    expect(window.location.hash).toBe('#/conversations/c3');
    await user.keyboard('e');
    expect(updateConversation).toHaveBeenCalledWith({ conversationId: 'c3', status: 'RESOLVED' });
  });

  it('resolves and assigns the open conversation, and focuses the composer', async () => {
    const { updateConversation, user } = setup('c2');
    await user.keyboard('e');
    expect(updateConversation).toHaveBeenLastCalledWith({
      conversationId: 'c2',
      status: 'RESOLVED',
    });
    await user.keyboard('a');
    expect(updateConversation).toHaveBeenLastCalledWith({
      conversationId: 'c2',
      assigneeId: agent.id,
    });
    expect(await screen.findByText('Conversation assigned to you')).toBeDefined();
    await user.keyboard('r');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Reply' }));
    // Now typing: the letters go into the reply, not to the shortcuts.
    await user.keyboard('e?');
    expect(updateConversation).toHaveBeenCalledTimes(2);
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Reply' }).value).toBe('e?');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens the help with ?, closes it with Escape and gives focus back', async () => {
    const { user } = setup(null);
    const somewhere = screen.getByRole('button', { name: 'Somewhere' });
    somewhere.focus();
    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(dialog.textContent).toContain('Resolve the conversation');
    expect(dialog.textContent).toContain('Search conversations');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(somewhere);
  });
});
