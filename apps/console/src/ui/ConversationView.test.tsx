import type { AgentSendMessage, CannedResponse, UpdateConversation } from '@parley/protocol';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { type RealtimeLink, type SendOutcome, ConsoleStore } from '../state/store';
import { agent, makeConversation, makeMessage } from '../testing/fixtures';
import { ConversationView } from './ConversationView';
import { StoreContext } from './context';

const LIN = {
  id: 'v1',
  name: 'Lin',
  email: 'lin@example.com',
  pageUrl: 'https://shop.example.com/cart',
  userAgent: null,
  lastSeenAt: null,
};

const REFUND: CannedResponse = {
  id: 'cr1',
  shortcut: 'refund',
  body: 'Your refund is on its way.',
  updatedAt: '2025-03-10T12:00:00.000Z',
};

function setup(body = '<b>not bold</b>\nsecond line') {
  const sends: { payload: AgentSendMessage; answer: (outcome: SendOutcome) => void }[] = [];
  const updates: UpdateConversation[] = [];
  const link: RealtimeLink = {
    connected: true,
    send: (payload) =>
      new Promise((resolve) => {
        sends.push({ payload, answer: resolve });
      }),
    sync: vi.fn(),
    update: (request) => {
      updates.push(request);
      return Promise.resolve({
        ok: true,
        data: makeConversation('c1', {
          ...(request.status ? { status: request.status } : {}),
          ...(request.snoozedUntil ? { snoozedUntil: request.snoozedUntil } : {}),
          ...(request.assigneeId === undefined ? {} : { assigneeId: request.assigneeId }),
          lastSeq: 1,
          visitor: LIN,
        }),
      });
    },
  };
  const api = {
    listConversations: vi.fn(() =>
      Promise.resolve([
        makeConversation('c1', {
          lastSeq: 1,
          visitor: LIN,
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
    cannedResponses: () => Promise.resolve([REFUND]),
    teammates: () =>
      Promise.resolve([
        agent,
        { id: 'agent-2', email: 'bo@example.com', name: 'Bo', role: 'AGENT' as const },
      ]),
  };
  const store = new ConsoleStore(agent, { api, newClientMessageId: () => 'client-id-0001' });
  store.attach(link);
  store.connected('websocket');
  render(
    <StoreContext value={store}>
      <ConversationView conversationId="c1" />
    </StoreContext>,
  );
  return { store, sends, updates };
}

async function open(store: ConsoleStore, shown: RegExp = /not bold/) {
  await act(async () => {
    await store.refreshInbox();
    await store.loadWorkspace();
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

  it('sends an internal note from a composer that looks and reads differently, and marks notes in the log', async () => {
    const { store, sends } = setup();
    await open(store);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Internal note' }));
    expect(screen.getByRole('button', { name: 'Internal note' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const box = screen.getByRole('textbox', { name: 'Internal note' });
    expect(box.closest('form')?.classList.contains('composer-note')).toBe(true);
    expect(screen.queryByRole('textbox', { name: 'Reply' })).toBeNull();
    await user.type(box, 'Carrier lost it{Enter}');
    expect(sends.map((s) => s.payload)).toEqual([
      {
        conversationId: 'c1',
        clientMessageId: 'client-id-0001',
        body: 'Carrier lost it',
        internal: true,
      },
    ]);
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText('Internal note')).toBeTruthy();

    act(() => {
      store.messageReceived(
        makeMessage(2, { body: 'A colleague note', authorKind: 'AGENT', internal: true }),
      );
    });
    const note = within(log).getByText('A colleague note').closest('li');
    expect(note?.classList.contains('note')).toBe(true);
    expect(within(note as HTMLElement).getByText('Internal note')).toBeTruthy();

    // Back to replies: a plain message again.
    await user.click(screen.getByRole('button', { name: 'Reply' }));
    expect(screen.getByRole('textbox', { name: 'Reply' })).toBeTruthy();
  });

  it('inserts a canned response for /shortcut with Tab, Enter or a click', async () => {
    const { store, sends } = setup();
    await open(store);
    const user = userEvent.setup();
    const reply = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(reply, 'Hi Lin, /ref');
    const list = screen.getByRole('list', { name: 'Canned responses' });
    expect(within(list).getByText('/refund')).toBeTruthy();
    await user.keyboard('{Enter}');
    expect((reply as HTMLTextAreaElement).value).toBe('Hi Lin, Your refund is on its way.');
    expect(sends).toHaveLength(0);
    expect(screen.queryByRole('list', { name: 'Canned responses' })).toBeNull();
    await user.keyboard('{Enter}');
    expect(sends.map((s) => s.payload.body)).toEqual(['Hi Lin, Your refund is on its way.']);

    await user.type(reply, '/');
    await user.click(screen.getByRole('button', { name: /\/refund/ }));
    expect((reply as HTMLTextAreaElement).value).toBe('Your refund is on its way.');

    await user.clear(reply);
    await user.type(reply, '/nothing-like-it');
    expect(screen.queryByRole('list', { name: 'Canned responses' })).toBeNull();
  });

  it('resolves, snoozes, reopens and assigns from the header', async () => {
    const { store, updates } = setup();
    await open(store);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Assign to me' }));
    expect(updates.at(-1)).toEqual({ conversationId: 'c1', assigneeId: agent.id });
    await vi.waitFor(() => {
      expect(screen.getByLabelText<HTMLSelectElement>('Assignee').value).toBe(agent.id);
    });
    expect(screen.queryByRole('button', { name: 'Assign to me' })).toBeNull();

    await user.selectOptions(screen.getByLabelText('Assignee'), 'Bo');
    expect(updates.at(-1)).toEqual({ conversationId: 'c1', assigneeId: 'agent-2' });
    await user.selectOptions(screen.getByLabelText('Assignee'), 'Unassigned');
    expect(updates.at(-1)).toEqual({ conversationId: 'c1', assigneeId: null });

    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    expect(updates.at(-1)).toEqual({ conversationId: 'c1', status: 'RESOLVED' });
    await screen.findByRole('button', { name: 'Reopen' });
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Reopen' }));
    expect(updates.at(-1)).toEqual({ conversationId: 'c1', status: 'OPEN' });

    await user.selectOptions(screen.getByLabelText('Snooze for'), '1 day');
    const before = Date.now();
    await user.click(screen.getByRole('button', { name: 'Snooze' }));
    const snooze = updates.at(-1);
    expect(snooze?.status).toBe('SNOOZED');
    const until = Date.parse(snooze?.snoozedUntil ?? '');
    expect(until - before).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    await screen.findByText(/^until/);
    expect(screen.getByRole('button', { name: 'Mark pending' })).toBeTruthy();
  });

  it('shows why a change was refused', async () => {
    const { store } = setup();
    await open(store);
    const link = {
      connected: true,
      send: vi.fn(),
      sync: vi.fn(),
      update: () =>
        Promise.resolve({
          ok: false as const,
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Assign the conversation to an active agent.',
          },
        }),
    };
    store.attach(link);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Assign to me' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Assign the conversation to an active agent.',
    );
  });
});
