import type { ManagedAgent } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../api/http';
import { ConsoleStore } from '../state/store';
import { admin, fakeApi } from '../testing/fixtures';
import { AgentsPage } from './AgentsPage';
import { copyText } from './CopyButton';
import { ApiContext, StoreContext } from './context';

const self: ManagedAgent = {
  ...admin,
  active: true,
  mustChangePassword: false,
  lastLoginAt: null,
};
const bea: ManagedAgent = {
  id: 'agent-bea',
  email: 'bea@example.com',
  name: 'Bea',
  role: 'AGENT',
  avatarUrl: null,
  active: true,
  mustChangePassword: false,
  lastLoginAt: null,
};

function setup(api: Parameters<typeof fakeApi>[0]) {
  const store = new ConsoleStore(admin, { api: { listConversations: vi.fn(), messages: vi.fn() } });
  render(
    <ApiContext value={fakeApi({ agents: () => Promise.resolve([self, bea]), ...api })}>
      <StoreContext value={store}>
        <AgentsPage isAdmin />
      </StoreContext>
    </ApiContext>,
  );
  return userEvent.setup();
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('AgentsPage', () => {
  it('adds an agent and shows its one-time password once, with the new row', async () => {
    const createAgent = vi.fn(() =>
      Promise.resolve({
        agent: {
          ...bea,
          id: 'agent-cy',
          name: 'Cy',
          email: 'cy@example.com',
          mustChangePassword: true,
        },
        password: 'one-time-secret-123',
      }),
    );
    const user = setup({ createAgent });
    await user.type(await screen.findByLabelText('Name'), 'Cy');
    await user.type(screen.getByLabelText('Email'), 'cy@example.com');
    await user.click(screen.getByRole('button', { name: 'Add agent' }));
    expect(createAgent).toHaveBeenCalledWith({
      email: 'cy@example.com',
      name: 'Cy',
      role: 'AGENT',
    });
    expect((await screen.findByTestId('one-time-password')).textContent).toBe(
      'one-time-secret-123',
    );
    expect(screen.getByRole('row', { name: 'Cy' }).textContent).toContain('Invited');
  });

  it('offers no deactivation of oneself, and shows why a role change was refused', async () => {
    const updateAgent = vi.fn(() =>
      Promise.reject(
        new ApiRequestError(
          409,
          'LAST_ADMIN',
          'This is the last active admin: make another agent an admin first.',
        ),
      ),
    );
    const user = setup({ updateAgent });
    const mine = await screen.findByRole('row', { name: self.name });
    expect(within(mine).queryByRole('button', { name: /Deactivate/ })).toBeNull();
    await user.selectOptions(within(mine).getByLabelText(`Role of ${self.name}`), 'AGENT');
    expect(updateAgent).toHaveBeenCalledWith(self.id, { role: 'AGENT' });
    expect((await within(mine).findByRole('alert')).textContent).toMatch(/last active admin/);
    expect(
      within(screen.getByRole('row', { name: 'Bea' })).getByRole('button', {
        name: 'Deactivate Bea',
      }),
    ).toBeTruthy();
  });
});

describe('copyText', () => {
  it('falls back to a selected text box and execCommand where the Clipboard API is missing', async () => {
    // An insecure context: no navigator.clipboard at all.
    vi.stubGlobal('navigator', { userAgent: navigator.userAgent });
    const execCommand = vi.fn(() => true);
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    expect(await copyText('<script async …>')).toBe(true);
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(document.querySelector('.copy-fallback')).toBeNull();
  });
});
