import type { ReportResponse } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi } from '../api/console-api';
import { ReportsPage } from './ReportsPage';
import { ApiContext } from './context';

const figures = {
  conversations: 0,
  responded: 0,
  medianFirstResponseSeconds: null,
  resolved: 0,
  medianResolutionSeconds: null,
  ratings: 0,
  satisfactionAverage: null,
};

function response(query: Parameters<ConsoleApi['report']>[0]): ReportResponse {
  return {
    from: query.from,
    to: query.to,
    siteId: query.siteId ?? null,
    agentId: query.agentId ?? null,
    timeZone: query.timeZone ?? 'UTC',
    totals: {
      ...figures,
      conversations: 3,
      responded: 2,
      medianFirstResponseSeconds: 150,
      resolved: 1,
      medianResolutionSeconds: 7200,
      ratings: 1,
      satisfactionAverage: 4,
    },
    days: [
      { date: query.from, ...figures, conversations: 3, satisfactionAverage: 4, ratings: 1 },
      { date: query.to, ...figures },
    ],
    options: { sites: [{ id: 'site-1', name: 'Shop' }], agents: [{ id: 'a1', name: 'Bea' }] },
  };
}

describe('ReportsPage', () => {
  it('shows the totals and a bar per day, and asks again when a filter changes', async () => {
    const report = vi.fn((query: Parameters<ConsoleApi['report']>[0]) =>
      Promise.resolve(response(query)),
    );
    render(
      <ApiContext value={{ report } as unknown as ConsoleApi}>
        <ReportsPage />
      </ApiContext>,
    );
    const totals = await screen.findByLabelText('Totals');
    expect(totals.textContent).toContain('2 min 30 s');
    expect(totals.textContent).toContain('2 h');
    expect(totals.textContent).toContain('4.0 / 5');
    const perDay = screen.getByRole('figure', { name: 'Conversations per day' });
    expect(
      within(perDay)
        .getAllByRole('img')
        .map((bar) => bar.getAttribute('aria-label')),
    ).toEqual([expect.stringMatching(/: 3$/), expect.stringMatching(/: 0$/)]);
    const satisfaction = screen.getByRole('figure', { name: 'Satisfaction per day' });
    expect(within(satisfaction).getAllByRole('img')).toHaveLength(1);

    await userEvent.setup().selectOptions(screen.getByLabelText('Agent'), 'Bea');
    expect(report).toHaveBeenLastCalledWith(expect.objectContaining({ agentId: 'a1' }));
  });
});
