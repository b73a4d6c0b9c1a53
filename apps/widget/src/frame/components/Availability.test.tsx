// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { WidgetAvailability, WidgetConfig } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { ChatController } from '../chat-controller';
import { launcherAppearance } from '../launcher';
import { FakeServer, MemoryVisitorStore, recorder, settle } from '../test/fake-link';
import { widgetConfig } from '../test/fixtures';
import { formatOpening } from './Away';

afterEach(() => {
  cleanup();
});

async function renderWith(
  availability: WidgetAvailability,
  preChat?: NonNullable<WidgetConfig['preChat']>,
) {
  const server = new FakeServer();
  const loader = recorder();
  const controller = new ChatController({
    siteKey: 'site_1',
    loadConfig: () =>
      Promise.resolve({ ...widgetConfig, availability, ...(preChat && { preChat }) }),
    createLink: server.createLink,
    store: new MemoryVisitorStore(),
    notify: loader.notify,
    reportFailure: () => undefined,
    newId: () => 'client-id',
    retryDelayMs: 0,
  });
  render(<App controller={controller} />);
  await act(async () => {
    await controller.start();
    controller.setOpen(true);
    server.link.open();
    await settle();
  });
  return { server, loader };
}

const online: WidgetAvailability = {
  agentsOnline: true,
  withinHours: true,
  nextOpenAt: null,
  hideLauncher: false,
  hideLauncherWhenOffline: false,
};

describe('availability in the chat', () => {
  it('says replies come quickly while agents are online within hours', async () => {
    await renderWith(online);
    expect(screen.getByText('We typically reply in a few minutes')).toBeTruthy();
    expect(screen.queryByLabelText('Your email')).toBeNull();
  });

  it('says when the site opens next and keeps the email the visitor leaves', async () => {
    const nextOpenAt = '2026-11-30T08:00:00.000Z';
    const { server } = await renderWith({
      agentsOnline: true,
      withinHours: false,
      nextOpenAt,
      hideLauncher: false,
      hideLauncherWhenOffline: false,
    });
    // The away notice is a later part: it may take a moment to load.
    expect(await screen.findByText('We’re away')).toBeTruthy();
    expect(
      screen.getByText(`We’ll be back ${formatOpening(nextOpenAt, 'en')}.`, { exact: false }),
    ).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Your email'), 'ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(server.updates).toContainEqual({ email: 'ada@example.com' });
    expect(screen.getByText('We’ll reply to ada@example.com.')).toBeTruthy();
  });

  it('asks for an email when nobody is online, and follows agents coming online live', async () => {
    const { server } = await renderWith({ ...online, agentsOnline: false });
    expect(
      await screen.findByText('Leave a message and we’ll answer as soon as we can.'),
    ).toBeTruthy();
    expect(screen.getByLabelText('Your email')).toBeTruthy();
    await act(async () => {
      server.link.options.listener.onAvailability?.({ agentsOnline: true });
      await settle();
    });
    expect(screen.getByText('We typically reply in a few minutes')).toBeTruthy();
    expect(screen.queryByLabelText('Your email')).toBeNull();
  });

  it('asks for the email once: in the pre-chat form when it asks, then says where the reply goes', async () => {
    const { server } = await renderWith(
      { ...online, agentsOnline: false },
      { name: 'optional', email: 'required' },
    );
    expect(await screen.findByText('We’re away')).toBeTruthy();
    const start = await screen.findByRole('button', { name: 'Start the conversation' });
    expect(screen.getAllByRole('textbox', { name: /email/i })).toHaveLength(1);
    expect(screen.queryByText('Leave your email so that we can reply there:')).toBeNull();

    await userEvent.type(screen.getByRole('textbox', { name: /email/i }), 'ada@example.com');
    await userEvent.click(start);
    expect(await screen.findByText('We’ll reply to ada@example.com.')).toBeTruthy();
    expect(server.updates).toContainEqual({ email: 'ada@example.com' });
    expect(screen.queryByRole('textbox', { name: /email/i })).toBeNull();
  });

  it('keeps its own email question while the pre-chat form does not ask for one', async () => {
    await renderWith({ ...online, agentsOnline: false }, { name: 'required', email: 'off' });
    expect(await screen.findByRole('button', { name: 'Start the conversation' })).toBeTruthy();
    expect(await screen.findByLabelText('Your email')).toBeTruthy();
  });

  it('formats the next opening in the visitor’s own time zone', () => {
    expect(formatOpening('2026-11-30T08:00:00.000Z', 'en-GB', 'Asia/Tokyo')).toBe(
      'Monday 30 November at 17:00',
    );
  });

  it('hides the launcher through the CSS the loader installs', () => {
    expect(launcherAppearance(widgetConfig.widget, true).css).toContain(
      '.b{display:none!important}',
    );
    expect(launcherAppearance(widgetConfig.widget).css).not.toContain('display:none!important');
  });
});
