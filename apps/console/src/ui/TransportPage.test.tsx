import type { ConnectionsResponse, TransportSettings } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi } from '../api/console-api';
import { ApiRequestError } from '../api/http';
import { ConsoleStore } from '../state/store';
import { admin, at, fakeApi } from '../testing/fixtures';
import { TransportPage } from './TransportPage';
import { ApiContext, StoreContext } from './context';

const settings: TransportSettings = {
  mode: 'auto',
  tunables: {
    pingIntervalMs: 25_000,
    pingTimeoutMs: 20_000,
    maxHttpBufferSize: 1_048_576,
    reconnectionDelayMs: 1_000,
    reconnectionDelayMaxMs: 5_000,
    loadBalancerIdleTimeoutMs: 60_000,
  },
  changes: [
    {
      id: 'ch1',
      from: null,
      to: 'auto',
      changedBy: { id: 'admin-1', name: 'Grace', email: 'admin@example.com' },
      changedAt: at(0),
    },
  ],
};

const connections: ConnectionsResponse = {
  connections: [
    {
      id: 's1',
      namespace: '/widget',
      principalId: 'v1',
      principalLabel: 'Visitor abc123',
      transport: 'polling',
      node: 'node-a',
      connectedAt: at(0),
      lastActivityAt: at(1),
    },
  ],
  countsByTransport: { polling: 1, websocket: 0 },
  failures: [],
  failureCounts: [{ reason: 'websocket error', transport: 'websocket', count: 3 }],
};

function setup(overrides: { updateTransport?: ConsoleApi['updateTransport'] } = {}) {
  const transportSettings = vi.fn(() => Promise.resolve(settings));
  const updateTransport = vi.fn(
    overrides.updateTransport ??
      ((mode: TransportSettings['mode']) =>
        Promise.resolve({
          ...settings,
          mode,
          changes: [
            {
              id: 'ch2',
              from: 'auto' as const,
              to: mode,
              changedBy: { id: 'admin-1', name: 'Grace', email: 'admin@example.com' },
              changedAt: at(5),
            },
            ...settings.changes,
          ],
        })),
  );
  const connectionsMock = vi.fn(() => Promise.resolve(connections));
  const api = fakeApi({
    transportSettings,
    updateTransport,
    connections: connectionsMock,
  });
  const store = new ConsoleStore(admin, { api: { listConversations: vi.fn(), messages: vi.fn() } });
  render(
    <ApiContext value={api}>
      <StoreContext value={store}>
        <TransportPage isAdmin />
      </StoreContext>
    </ApiContext>,
  );
  return { updateTransport, connections: connectionsMock };
}

describe('TransportPage', () => {
  it('shows the mode, the heartbeat rule, the audit trail and the connections', async () => {
    setup();
    const group = await screen.findByRole('radiogroup', { name: 'Transport mode' });
    expect(within(group).getByRole('radio', { name: 'Auto' })).toHaveProperty('checked', true);
    expect(within(group).getByRole('radio', { name: 'Long-polling only' })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: 'WebSocket only' })).toBeTruthy();
    expect(screen.getByText(/AWS Classic ELB/)).toBeTruthy();
    expect(
      screen.getByText(/Heartbeat 45 s stays below the 60 s idle timeout \(15 s to spare\)/),
    ).toBeTruthy();

    const audit = screen.getByRole('table', { name: 'Changes' });
    expect(within(audit).getByText('Grace')).toBeTruthy();

    const live = await screen.findByRole('table', { name: 'Live connections' });
    expect(within(live).getByText('Visitor abc123')).toBeTruthy();
    expect(screen.getByTestId('count-polling').textContent).toBe('1');
    const failures = screen.getByRole('table', { name: 'Recent failures by reason' });
    expect(within(failures).getByText('websocket error')).toBeTruthy();
  });

  it('saves a new mode and shows it in the audit trail', async () => {
    const { updateTransport } = setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('radio', { name: 'Long-polling only' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(updateTransport).toHaveBeenCalledWith('polling');
    expect((await screen.findByRole('status')).textContent).toMatch(/Long-polling only/);
    expect(screen.getByTestId('current-mode').textContent).toBe('Long-polling only');
    const audit = screen.getByRole('table', { name: 'Changes' });
    expect(within(audit).getAllByRole('row')).toHaveLength(3);
  });

  it('shows the API error when saving is refused', async () => {
    setup({
      updateTransport: () =>
        Promise.reject(new ApiRequestError(403, 'FORBIDDEN', 'Only admins can change this.')),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('radio', { name: 'WebSocket only' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Only admins can change this.');
  });

  it('refreshes the connections every 5 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { connections: load } = setup();
      await screen.findByRole('table', { name: 'Live connections' });
      expect(load).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
