// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { ChatController } from './chat-controller';
import { FakeServer, MemoryVisitorStore, recorder, settle } from './test/fake-link';
import { widgetConfig } from './test/fixtures';

afterEach(() => {
  cleanup();
});

async function renderChat(prepare: (server: FakeServer) => void = () => undefined) {
  const server = new FakeServer();
  prepare(server);
  const store = new MemoryVisitorStore();
  const loader = recorder();
  let id = 0;
  const controller = new ChatController({
    siteKey: 'site_1',
    loadConfig: () => Promise.resolve(widgetConfig),
    createLink: server.createLink,
    store,
    notify: loader.notify,
    reportFailure: () => undefined,
    newId: () => `client-id-${++id}`,
    retryDelayMs: 0,
  });
  render(<App controller={controller} />);
  await act(async () => {
    await controller.start();
    controller.setOpen(true);
  });
  const connect = async () => {
    await act(async () => {
      server.link.open();
      await settle();
    });
  };
  return { server, controller, loader, connect, user: userEvent.setup() };
}

function log() {
  return screen.getByRole('log');
}

describe('the chat frame', () => {
  it('shows the configured title and greeting in an accessible layout', async () => {
    await renderChat();
    expect(screen.getByRole('heading', { name: 'Talk to Shop' })).toBeTruthy();
    expect(log().getAttribute('aria-live')).toBe('polite');
    expect(within(log()).getByText('Hello there!')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Close chat' })).toBeTruthy();
    expect(document.documentElement.style.getPropertyValue('--parley-color')).toBe('#1f6feb');
  });

  it('focuses the message box when the panel opens', async () => {
    await renderChat();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
  });

  it('sends with Enter, shows the message as sending, then as sent', async () => {
    const t = await renderChat();
    const box = screen.getByRole('textbox', { name: 'Message' });
    await t.user.type(box, 'Hello{Enter}');
    expect(within(log()).getByText('Hello')).toBeTruthy();
    expect(within(log()).getByText('Sending…')).toBeTruthy();
    expect((box as HTMLTextAreaElement).value).toBe('');
    await t.connect();
    expect(within(log()).queryByText('Sending…')).toBeNull();
    expect(
      within(log()).getByText('Hello').closest('[data-status]')?.getAttribute('data-status'),
    ).toBe('sent');
    expect(t.server.sends).toEqual([{ clientMessageId: 'client-id-1', body: 'Hello' }]);
  });

  it('starts a new line with Shift+Enter instead of sending', async () => {
    const t = await renderChat();
    const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
    await t.user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(box.value).toBe('line one\nline two');
    expect(t.controller.getState().pending).toEqual([]);
    await t.user.click(screen.getByRole('button', { name: 'Send' }));
    expect(t.controller.getState().pending.map((p) => p.body)).toEqual(['line one\nline two']);
  });

  it('keeps Send disabled while the box is empty and limits the length', async () => {
    const t = await renderChat();
    const send = screen.getByRole<HTMLButtonElement>('button', { name: 'Send' });
    const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
    expect(send.disabled).toBe(true);
    await t.user.type(box, '   ');
    expect(send.disabled).toBe(true);
    expect(box.maxLength).toBe(5000);
  });

  it('renders message text as text, never as HTML, with the agent’s name', async () => {
    const t = await renderChat((server) => {
      server.commit({ clientMessageId: 'earlier-1', body: 'Hi' });
      server.agentSays('c1', '<img src=x onerror="alert(1)"> **bold**');
    });
    await t.connect();
    expect(within(log()).getByText('<img src=x onerror="alert(1)"> **bold**')).toBeTruthy();
    expect(log().querySelector('img')).toBeNull();
    expect(within(log()).getByText('Ada')).toBeTruthy();
  });

  it('offers Retry on a refused message', async () => {
    const t = await renderChat();
    await t.connect();
    t.server.holdSends = true;
    await t.user.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello{Enter}');
    await act(async () => {
      t.server.heldSends[0]?.answer({
        kind: 'ack',
        ack: { ok: false, error: { code: 'RATE_LIMITED', message: 'Too many messages' } },
      });
      await settle();
    });
    expect(within(log()).getByText(/Not sent: Too many messages/)).toBeTruthy();
    t.server.holdSends = false;
    await t.user.click(screen.getByRole('button', { name: 'Retry' }));
    await act(settle);
    expect(within(log()).queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(t.server.sends.map((s) => s.clientMessageId)).toEqual(['client-id-1', 'client-id-1']);
  });

  it('shows the connection state in calm words', async () => {
    const t = await renderChat();
    expect(screen.getByText('Connecting…')).toBeTruthy();
    await t.connect();
    expect(screen.queryByText('Connecting…')).toBeNull();
    act(() => {
      t.server.link.drop();
    });
    expect(screen.getByText('Reconnecting…')).toBeTruthy();
  });

  it('keeps Tab and Shift+Tab inside the panel', async () => {
    const t = await renderChat();
    const close = screen.getByRole('button', { name: 'Close chat' });
    const box = screen.getByRole('textbox', { name: 'Message' });
    await t.user.type(box, 'Hi');
    const send = screen.getByRole('button', { name: 'Send' });
    expect(document.activeElement).toBe(box);
    await t.user.tab();
    expect(document.activeElement).toBe(send);
    await t.user.tab();
    expect(document.activeElement).toBe(close);
    await t.user.tab({ shift: true });
    expect(document.activeElement).toBe(send);
    close.focus();
    await t.user.tab({ shift: true });
    expect(document.activeElement).toBe(send);
  });

  it('asks the loader to close with the close button or Escape', async () => {
    const t = await renderChat();
    await t.user.click(screen.getByRole('button', { name: 'Close chat' }));
    await t.user.keyboard('{Escape}');
    expect(t.loader.sent.filter((m) => m.type === 'parley:close-request')).toHaveLength(2);
  });
});

describe('hostile text in the chat frame', () => {
  it('renders messages as text and links only http(s) URLs', async () => {
    const hostile = [
      '<img src=x onerror="alert(1)">',
      '<script>alert(2)</script>',
      'javascript:alert(3)',
      'see https://shop.example/help?x=<b> now',
    ].join('\n');
    const t = await renderChat((server) => {
      server.agentSays('c1', hostile);
    });
    await t.connect();
    const body = within(log()).getByText(/onerror/);
    expect(body.textContent).toBe(hostile);
    expect(log().querySelector('img, script, b')).toBeNull();
    const links = within(log()).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://shop.example/help?x=']);
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
    expect(body.getAttribute('dir')).toBe('auto');
  });

  it('shows why a connection was refused', async () => {
    const t = await renderChat();
    act(() => {
      t.server.link.options.listener.onConnectError(
        {
          message: 'RATE_LIMITED',
          data: {
            code: 'RATE_LIMITED',
            message: 'Too many new connections. Try again in 1 minute.',
          },
        },
        false,
      );
    });
    expect(screen.getByRole('alert').textContent).toBe(
      'Too many new connections. Try again in 1 minute.',
    );
  });
});
