import { Typing } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { asksSurvey, ChatController, needsPreChat, shownConversationId } from './chat-controller';
import { FakeServer, MemoryVisitorStore, recorder, settle } from './test/fake-link';
import { conversation, widgetConfig } from './test/fixtures';

afterEach(() => {
  vi.useRealTimers();
});

function setup(config = widgetConfig) {
  const server = new FakeServer();
  const store = new MemoryVisitorStore();
  const loader = recorder();
  const chime = vi.fn();
  let id = 0;
  const controller = new ChatController({
    siteKey: 'site_1',
    loadConfig: () => Promise.resolve(config),
    createLink: server.createLink,
    store,
    notify: loader.notify,
    reportFailure: () => undefined,
    newId: () => `client-id-${++id}`,
    retryDelayMs: 0,
    chime,
  });
  const state = () => controller.getState();
  /** Open chat with one conversation (c1) whose first message the visitor sent. */
  const chatting = async () => {
    await controller.start();
    controller.setOpen(true);
    server.link.open();
    controller.send('hello');
    await settle();
  };
  return { server, store, loader, controller, state, chime, chatting };
}

describe('typing', () => {
  it('sends throttled typing notices for the current conversation and stops on send', async () => {
    const t = setup();
    await t.chatting();
    t.controller.typing();
    t.controller.typing();
    expect(t.server.typing).toEqual([{ conversationId: 'c1', typing: true }]);
    t.controller.send('more');
    expect(t.server.typing).toEqual([
      { conversationId: 'c1', typing: true },
      { conversationId: 'c1', typing: false },
    ]);
  });

  it('says nothing before a conversation exists', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.controller.typing();
    expect(t.server.typing).toEqual([]);
  });

  it('shows an agent typing, clears it on their message, and forgets a lost "stop"', async () => {
    const t = setup();
    await t.chatting();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const typing = (on: boolean) => {
      t.server.link.options.listener.onTyping({
        conversationId: 'c1',
        author: 'AGENT',
        authorId: 'a1',
        name: 'Ada',
        typing: on,
      });
    };
    typing(true);
    expect(t.state().agentTyping).toEqual({ conversationId: 'c1', name: 'Ada' });
    t.server.link.deliver(t.server.agentSays('c1', 'Here I am'));
    expect(t.state().agentTyping).toBeNull();
    typing(true);
    vi.advanceTimersByTime(Typing.expireMs);
    expect(t.state().agentTyping).toBeNull();
  });
});

describe('read receipts', () => {
  it('marks the conversation read while the chat is open and the tab visible, only forward', async () => {
    const t = setup();
    await t.chatting();
    expect(t.server.reads.at(-1)).toEqual({ conversationId: 'c1', seq: 1 });
    t.controller.setVisible(false);
    t.server.link.deliver(t.server.agentSays('c1', 'Reply while hidden'));
    expect(t.server.reads.at(-1)).toEqual({ conversationId: 'c1', seq: 1 });
    t.controller.setVisible(true);
    expect(t.server.reads.at(-1)).toEqual({ conversationId: 'c1', seq: 2 });
    const count = t.server.reads.length;
    t.controller.setVisible(false);
    t.controller.setVisible(true);
    expect(t.server.reads).toHaveLength(count);
  });

  it('shows the agents’ read position on the visitor’s messages', async () => {
    const t = setup();
    await t.chatting();
    t.server.link.options.listener.onRead({ conversationId: 'c1', reader: 'AGENT', seq: 1 });
    expect(t.state().conversations[0]?.agentLastReadSeq).toBe(1);
    t.server.link.options.listener.onRead({ conversationId: 'c1', reader: 'AGENT', seq: 0 });
    expect(t.state().conversations[0]?.agentLastReadSeq).toBe(1);
  });
});

describe('notices while closed or hidden', () => {
  it('counts, previews and chimes for agent messages while the tab is hidden', async () => {
    const t = setup();
    await t.chatting();
    t.controller.setVisible(false);
    t.server.link.deliver(t.server.agentSays('c1', 'Are you still there?'));
    expect(t.state().unread).toBe(1);
    expect(t.loader.sent.at(-1)).toEqual({
      type: 'parley:unread',
      count: 1,
      preview: 'Are you still there?',
    });
    expect(t.chime).toHaveBeenCalledTimes(1);
    t.controller.setVisible(true);
    expect(t.loader.sent.at(-1)).toEqual({ type: 'parley:unread', count: 0, preview: '' });
  });

  it('stays quiet for messages read as they arrive', async () => {
    const t = setup();
    await t.chatting();
    t.server.link.deliver(t.server.agentSays('c1', 'Hi'));
    expect(t.state().unread).toBe(0);
    expect(t.chime).not.toHaveBeenCalled();
  });
});

describe('the satisfaction survey', () => {
  it('asks once under the resolved conversation and stores the rating', async () => {
    const t = setup();
    await t.chatting();
    t.server.link.options.listener.onConversationUpdated(
      conversation('c1', { status: 'RESOLVED', lastSeq: 1, satisfactionRating: null }),
    );
    const view = () => t.state().conversations.find((c) => c.id === 'c1');
    const shown = view();
    expect(shown && asksSurvey(t.state(), shown)).toBe(true);
    expect(await t.controller.rate('c1', 4, '  Great help ')).toBeNull();
    expect(t.server.ratings).toEqual([{ conversationId: 'c1', rating: 4, comment: 'Great help' }]);
    const rated = view();
    expect(rated?.satisfactionRating).toBe(4);
    expect(rated && asksSurvey(t.state(), rated)).toBe(false);
  });

  it('puts the survey aside when dismissed', async () => {
    const t = setup();
    await t.chatting();
    t.server.link.options.listener.onConversationUpdated(
      conversation('c1', { status: 'RESOLVED', lastSeq: 1 }),
    );
    t.controller.dismissSurvey('c1');
    const shown = t.state().conversations.find((c) => c.id === 'c1');
    expect(shown && asksSurvey(t.state(), shown)).toBe(false);
  });
});

describe('the pre-chat form', () => {
  const withForm = { ...widgetConfig, preChat: { name: 'required', email: 'optional' } } as const;

  it('stands before the first message until the required fields are given', async () => {
    const t = setup(withForm);
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    expect(needsPreChat(t.state())).toBe(true);
    expect(await t.controller.submitPreChat({ name: ' ', email: '' })).toMatchObject({
      field: 'name',
    });
    expect(await t.controller.submitPreChat({ name: 'Ada', email: 'not-an-email' })).toMatchObject({
      field: 'email',
    });
    expect(t.server.updates).toEqual([]);
    expect(await t.controller.submitPreChat({ name: 'Ada', email: '' })).toBeNull();
    expect(t.server.updates).toEqual([{ name: 'Ada' }]);
    expect(needsPreChat(t.state())).toBe(false);
    expect(t.state().visitor).toEqual({ name: 'Ada', email: null });
  });

  it('asks nothing of a visitor who already gave the details', async () => {
    const t = setup(withForm);
    t.server.visitor = { name: 'Ada', email: null };
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    expect(needsPreChat(t.state())).toBe(false);
  });
});

describe('the conversations list', () => {
  it('lists past conversations and opens one with its history', async () => {
    const t = setup();
    t.server.commit({ clientMessageId: 'old-1', body: 'An old question' });
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open(
      t.server.session({
        conversations: [
          conversation('c1', {
            status: 'RESOLVED',
            lastSeq: 1,
            lastMessagePreview: 'An old question',
          }),
        ],
      }),
    );
    await settle();
    expect(t.state().history.map((c) => c.lastMessagePreview)).toEqual(['An old question']);
    t.controller.showList();
    expect(shownConversationId(t.state())).toBeNull();
    t.controller.select('c1');
    await settle();
    expect(shownConversationId(t.state())).toBe('c1');
    expect(
      t
        .state()
        .conversations.find((c) => c.id === 'c1')
        ?.messages.map((m) => m.body),
    ).toEqual(['An old question']);
  });
});
