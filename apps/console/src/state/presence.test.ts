import type { Message } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { agent, makeConversation, makeMessage } from '../testing/fixtures';
import { ConsoleStore } from './store';

describe('presence in the console store', () => {
  function setup() {
    const live: Message[] = [];
    const presence = vi.fn((visitorIds: readonly string[]) =>
      Promise.resolve({
        agents: [
          { agentId: 'agent-1', status: 'online' as const },
          { agentId: 'agent-2', status: 'away' as const },
        ],
        onlineVisitorIds: visitorIds.filter((id) => id === 'visitor-c1'),
      }),
    );
    const store = new ConsoleStore(agent, {
      api: {
        listConversations: () => Promise.resolve([makeConversation('c1'), makeConversation('c2')]),
        messages: vi.fn(),
        presence,
        preferences: () =>
          Promise.resolve({ away: false, notifyDesktop: true, notifySound: false }),
        updatePreferences: (update) =>
          Promise.resolve({ away: false, notifyDesktop: true, notifySound: false, ...update }),
      },
      onLiveMessage: (message) => live.push(message),
    });
    return { store, presence, live };
  }

  it('loads who is online with the inbox, then follows live changes', async () => {
    const { store, presence } = setup();
    await store.refreshInbox();
    await vi.waitFor(() => {
      expect(store.getState().onlineVisitors).toEqual({ 'visitor-c1': true });
    });
    expect(presence).toHaveBeenCalledWith(['visitor-c1', 'visitor-c2']);
    expect(store.getState().agentPresence).toEqual({ 'agent-1': 'online', 'agent-2': 'away' });

    store.visitorPresenceChanged({ visitorId: 'visitor-c2', online: true });
    store.visitorPresenceChanged({ visitorId: 'visitor-c1', online: false });
    expect(store.getState().onlineVisitors).toEqual({ 'visitor-c2': true });
    store.agentPresenceChanged({ agentId: 'agent-2', status: 'offline' });
    expect(store.getState().agentPresence['agent-2']).toBe('offline');
  });

  it('keeps the agent’s preferences from the server and reports live messages', async () => {
    const { store, live } = setup();
    await store.loadWorkspace();
    expect(store.getState().preferences).toEqual({
      away: false,
      notifyDesktop: true,
      notifySound: false,
    });
    const saving = store.updatePreferences({ away: true });
    // Shown before the server answers.
    expect(store.getState().preferences?.away).toBe(true);
    expect(await saving).toBeNull();
    expect(store.getState().preferences?.away).toBe(true);

    await store.refreshInbox();
    const message = makeMessage(2, { conversationId: 'c1' });
    store.messageReceived(message);
    expect(live).toEqual([message]);
    // The inbox already holds the message when the listener hears of it.
    expect(store.getState().inbox.byId['c1']?.lastSeq).toBe(2);
  });

  it('puts the preferences back when the server does not take the change', async () => {
    const store = new ConsoleStore(agent, {
      api: {
        listConversations: () => Promise.resolve([]),
        messages: vi.fn(),
        preferences: () =>
          Promise.resolve({ away: false, notifyDesktop: true, notifySound: false }),
        updatePreferences: () => Promise.reject(new Error('The server cannot be reached.')),
      },
    });
    await store.loadPreferences();
    expect(await store.updatePreferences({ notifySound: true })).toEqual(expect.any(String));
    expect(store.getState().preferences?.notifySound).toBe(false);
  });
});
