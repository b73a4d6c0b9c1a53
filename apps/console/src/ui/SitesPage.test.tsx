import { DEFAULT_WIDGET_SETTINGS, type Site, type UpdateSiteRequest } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi } from '../api/console-api';
import { ApiRequestError } from '../api/http';
import { ConsoleStore } from '../state/store';
import { admin, at, fakeApi } from '../testing/fixtures';
import { SitesPage } from './SitesPage';
import { ApiContext, StoreContext } from './context';

const site: Site = {
  id: 'site-1',
  publicKey: 'pk_shop',
  name: 'Shop',
  allowedOrigins: ['https://shop.example'],
  allowAnyOrigin: false,
  identity: { hasSecret: false, enforced: false },
  widget: DEFAULT_WIDGET_SETTINGS,
  createdAt: at(0),
};

function setup(updateSite: ConsoleApi['updateSite']) {
  const createIdentitySecret = vi.fn((id: string) =>
    Promise.resolve({
      site: { ...site, id, identity: { hasSecret: true, enforced: false } },
      secret: 'the-new-secret',
    }),
  );
  const updateSiteMock = vi.fn(updateSite);
  const api = fakeApi({
    sites: () => Promise.resolve([site]),
    updateSite: updateSiteMock,
    createIdentitySecret,
    siteAvailability: () =>
      Promise.resolve({ businessHours: null, hideLauncherWhenOffline: false }),
  });
  const store = new ConsoleStore(admin, { api: { listConversations: vi.fn(), messages: vi.fn() } });
  render(
    <ApiContext value={api}>
      <StoreContext value={store}>
        <SitesPage isAdmin />
      </StoreContext>
    </ApiContext>,
  );
  return { updateSite: updateSiteMock, createIdentitySecret, user: userEvent.setup() };
}

describe('SitesPage', () => {
  it('saves the allowed origins and the "any origin" choice', async () => {
    const { updateSite, user } = setup((_id, update: UpdateSiteRequest) =>
      Promise.resolve({
        ...site,
        allowedOrigins: update.allowedOrigins ?? [],
        allowAnyOrigin: update.allowAnyOrigin ?? false,
      }),
    );
    const card = await screen.findByRole('form', { name: 'Access' });
    const origins = within(card).getByLabelText('Allowed origins, one per line');
    await user.clear(origins);
    expect(within(card).getByRole('note').textContent).toMatch(/runs on no website/);
    await user.type(origins, 'https://shop.example{Enter}https://www.shop.example');
    await user.click(within(card).getByRole('button', { name: 'Save' }));
    expect(updateSite).toHaveBeenCalledWith('site-1', {
      allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
      allowAnyOrigin: false,
      enforceIdentity: false,
    });
    expect((await within(card).findByRole('status')).textContent).toMatch(/^Saved\./);
  });

  it("shows the server's reason when it refuses", async () => {
    const { user } = setup(() =>
      Promise.reject(
        new ApiRequestError(
          400,
          'VALIDATION_FAILED',
          'Invalid site update: allowedOrigins.0: must be an origin',
        ),
      ),
    );
    const card = await screen.findByRole('form', { name: 'Access' });
    await user.type(within(card).getByLabelText('Allowed origins, one per line'), '{Enter}shop');
    await user.click(within(card).getByRole('button', { name: 'Save' }));
    expect((await within(card).findByRole('alert')).textContent).toMatch(/must be an origin/);
  });

  it('creates an identity secret, shows it once, and then allows enforcement', async () => {
    const { createIdentitySecret, user } = setup(() => Promise.resolve(site));
    const card = await screen.findByRole('form', { name: 'Access' });
    const enforce = within(card).getByRole('checkbox', { name: /Accept only verified/ });
    expect(enforce).toHaveProperty('disabled', true);
    await user.click(within(card).getByRole('button', { name: 'Create identity secret' }));
    expect(createIdentitySecret).toHaveBeenCalledWith('site-1');
    expect((await within(card).findByRole('status')).textContent).toContain('the-new-secret');
    expect(within(card).getByRole('checkbox', { name: /Accept only verified/ })).toHaveProperty(
      'disabled',
      false,
    );
    expect(within(card).getByRole('button', { name: 'Replace identity secret' })).toBeTruthy();
  });
});
