import type { AgentSendMessage } from '@parley/protocol';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { type RealtimeLink, type SendOutcome, ConsoleStore } from '../state/store';
import { agent, makeConversation, makeMessage } from '../testing/fixtures';
import { ConversationView } from './ConversationView';
import { StoreContext } from './context';

function setup(body = '<b>not bold</b>\nsecond line') {
  const sends: { payload: AgentSendMessage; answer: (outcome: SendOutcome) => void }[] = [];
  const link: RealtimeLink = {
    connected: true,
    send: (payload) =>
      new Promise((resolve) => {
        sends.push({ payload, answer: resolve });
      }),
    sync: vi.fn(),
  };
  const api = {
    listConversations: vi.fn(() =>
      Promise.resolve([
        makeConversation('c1', {
          lastSeq: 1,
          visitor: {
            id: 'v1',
            name: 'Lin',
            email: 'lin@example.com',
            pageUrl: 'https://shop.example.com/cart',
            userAgent: null,
            lastSeenAt: null,
          },
        }),
      ]),
    ),
    messages: vi.fn((conversationId: string) =>
      Promise.resolve({
        conversationId,
        messages: [makeMessage(1, { body })],
        lastSeq: 1,
      }),
    ),
  };
  const store = new ConsoleStore(agent, { api, newClientMessageId: () => 'client-id-0001' });
  store.attach(link);
  store.connected('websocket');
  render(
    <StoreContext value={store}>
      <ConversationView conversationId="c1" />
    </StoreContext>,
  );
  return { store, sends };
}

async function open(store: ConsoleStore, shown: RegExp = /not bold/) {
  await act(async () => {
    await store.refreshInbox();
    store.openConversation('c1');
  });
  await screen.findByText(shown);
}

describe('ConversationView', () => {
  it('shows the visitor and the history as text, in a log', async () => {
    const { store } = setup();
    await open(store);
    expect(screen.getByRole('heading', { name: 'Lin' })).toBeTruthy();
    expect(screen.getByText('lin@example.com')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'https://shop.example.com/cart' })).toBeTruthy();
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(log.querySelector('b')).toBeNull();
    expect(within(log).getByText(/<b>not bold<\/b>/)).toBeTruthy();
  });

  it('links only http(s) URLs in a message and isolates its direction', async () => {
    const body =
      '<a href="javascript:alert(1)">x</a> javascript:alert(2) https://help.example/a_(b) \u202Eevil';
    const { store } = setup(body);
    await open(store, /javascript:alert\(2\)/);
    const log = screen.getByRole('log', { name: 'Messages' });
    const text = within(log).getByText(/javascript:alert\(2\)/);
    expect(text.textContent).toBe(body);
    expect(text.getAttribute('dir')).toBe('auto');
    expect(
      within(log)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(['https://help.example/a_(b)']);
  });

  it('sends on Enter, keeps Shift+Enter as a new line, and shows sending then sent', async () => {
    const { store, sends } = setup();
    await open(store);
    const user = userEvent.setup();
    const reply = screen.getByLabelText('Reply');
    await user.type(reply, 'Hello{Shift>}{Enter}{/Shift}there{Enter}');

    expect(sends.map((s) => s.payload)).toEqual([
      { conversationId: 'c1', clientMessageId: 'client-id-0001', body: 'Hello\nthere' },
    ]);
    expect((reply as HTMLTextAreaElement).value).toBe('');
    const log = screen.getByRole('log');
    expect(within(log).getByText('Sending…')).toBeTruthy();

    const message = makeMessage(2, {
      body: 'Hello\nthere',
      authorKind: 'AGENT',
      authorId: agent.id,
      clientMessageId: 'client-id-0001',
    });
    await act(async () => {
      sends[0]?.answer({
        kind: 'acked',
        ack: {
          ok: true,
          data: { id: message.id, seq: 2, conversationId: 'c1', duplicate: false, message },
        },
      });
      await Promise.resolve();
    });
    expect(within(log).queryByText('Sending…')).toBeNull();
    expect(within(log).getAllByRole('listitem')).toHaveLength(2);
  });

  it('shows a refused reply with its error and sends it again on Retry', async () => {
    const { store, sends } = setup();
    await open(store);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Reply'), 'Too fast');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await act(async () => {
      sends.shift()?.answer({
        kind: 'acked',
        ack: { ok: false, error: { code: 'RATE_LIMITED', message: 'You are sending too fast.' } },
      });
      await Promise.resolve();
    });
    expect(screen.getByText('Not sent: You are sending too fast.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(sends.map((s) => s.payload.clientMessageId)).toEqual(['client-id-0001']);
    expect(screen.queryByText(/Not sent/)).toBeNull();
  });

  it('does not send an empty reply', async () => {
    const { store, sends } = setup();
    await open(store);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Reply'), '   {Enter}');
    expect(sends).toEqual([]);
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true);
  });
});
