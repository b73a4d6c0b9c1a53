import { describe, expect, it, vi } from 'vitest';
import { ChatController, shownConversationId, type ChatControllerOptions } from './chat-controller';
import { FakeServer, MemoryVisitorStore, recorder, settle } from './test/fake-link';
import { conversation, widgetConfig } from './test/fixtures';

const TOKEN = 'tok_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

function setup(overrides: Partial<ChatControllerOptions> = {}) {
  const server = new FakeServer();
  const store = new MemoryVisitorStore();
  const loader = recorder();
  let id = 0;
  const reportFailure = vi.fn();
  const controller = new ChatController({
    siteKey: 'site_1',
    loadConfig: () => Promise.resolve(widgetConfig),
    createLink: server.createLink,
    store,
    notify: loader.notify,
    reportFailure,
    newId: () => `client-id-${++id}`,
    retryDelayMs: 0,
    ...overrides,
  });
  const state = () => controller.getState();
  const bodies = () => state().conversations.flatMap((c) => c.messages.map((m) => m.body));
  return { server, store, loader, controller, state, bodies, reportFailure };
}

/** What the handshake says of the browser (language and time zone) where these tests run. */
const BROWSER = {
  ...(typeof navigator !== 'undefined' && navigator.language
    ? { language: navigator.language }
    : {}),
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
};

describe('connecting', () => {
  it('holds no connection for a visitor who has not opened the chat', async () => {
    const t = setup();
    await t.controller.start();
    expect(t.server.links).toHaveLength(0);
    expect(t.state().phase).toBe('ready');
    expect(t.state().connection).toBe('idle');
    t.controller.setOpen(true);
    expect(t.server.links).toHaveLength(1);
    expect(t.server.link.connectCalls).toBe(1);
    expect(t.state().connection).toBe('connecting');
    expect(t.loader.sent).toContainEqual({ type: 'parley:connection', state: 'connecting' });
  });

  it('uses the configured transport for the link', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    expect(t.server.link.options.transport).toEqual(widgetConfig.transport);
  });

  it('reconnects without a click when the visitor has an open conversation', async () => {
    const t = setup();
    t.store.open = true;
    await t.controller.start();
    expect(t.server.links).toHaveLength(1);
  });

  it('waits for the config before connecting, even when opened early', async () => {
    let resolveConfig: (c: typeof widgetConfig) => void = () => undefined;
    const t = setup({
      loadConfig: () =>
        new Promise((resolve) => {
          resolveConfig = resolve;
        }),
    });
    const started = t.controller.start();
    t.controller.setOpen(true);
    expect(t.server.links).toHaveLength(0);
    resolveConfig(widgetConfig);
    await started;
    expect(t.server.links).toHaveLength(1);
  });

  it('is unavailable, without connecting, when the config cannot be loaded', async () => {
    const t = setup({ loadConfig: () => Promise.reject(new Error('Unknown site key')) });
    await t.controller.start();
    t.controller.setOpen(true);
    expect(t.state()).toMatchObject({ phase: 'unavailable', problem: 'Unknown site key' });
    expect(t.server.links).toHaveLength(0);
    expect(t.controller.send('hello')).toBe(false);
  });

  it('sends the token, site key and page with the handshake, and stores a new token', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setPageUrl('https://shop.example/pricing');
    t.controller.setOpen(true);
    expect(t.server.link.options.auth()).toEqual({
      siteKey: 'site_1',
      pageUrl: 'https://shop.example/pricing',
      ...BROWSER,
    });
    t.server.link.open(t.server.session({ visitorToken: TOKEN }));
    expect(t.store.storedToken).toBe(TOKEN);
    expect(t.server.link.options.auth()).toMatchObject({ visitorToken: TOKEN });
    expect(t.state().connection).toBe('connected');
  });

  it('tells the server about single-page navigation once connected', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.controller.setPageUrl('https://shop.example/checkout');
    expect(t.server.updates).toEqual([{ pageUrl: 'https://shop.example/checkout' }]);
  });

  it('forgets a token the server refuses and connects again as a new visitor', async () => {
    const t = setup();
    t.store.storedToken = TOKEN;
    t.store.open = true;
    await t.controller.start();
    const link = t.server.link;
    link.options.listener.onConnectError(
      {
        message: 'UNAUTHORIZED',
        data: {
          code: 'UNAUTHORIZED',
          message: 'This chat session is no longer valid; a new one will start.',
        },
      },
      false,
    );
    expect(t.store.storedToken).toBeNull();
    expect(t.store.open).toBe(false);
    expect(link.connectCalls).toBe(2);
    expect(link.options.auth()).toEqual({ siteKey: 'site_1', ...BROWSER });
  });

  it('drops a malformed stored token instead of sending it', async () => {
    const t = setup();
    t.store.storedToken = 'bad token!';
    await t.controller.start();
    t.controller.setOpen(true);
    expect(t.server.link.options.auth()).toEqual({ siteKey: 'site_1', ...BROWSER });
    expect(t.store.storedToken).toBeNull();
  });

  it('reports a refused handshake as unavailable', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.options.listener.onConnectError({ message: 'Origin not allowed' }, false);
    expect(t.state().connection).toBe('unavailable');
    expect(t.server.link.closed).toBe(true);
  });

  it('releases the connection when a visitor closes the chat without a conversation', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.controller.setOpen(false);
    expect(t.server.link.closed).toBe(true);
    expect(t.state().connection).toBe('idle');
    t.controller.setOpen(true);
    expect(t.server.links).toHaveLength(2);
  });
});

describe('history', () => {
  it('syncs an open conversation on session:ready, so history survives a reload', async () => {
    const t = setup();
    t.server.commit({ clientMessageId: 'earlier-1', body: 'Hi' });
    t.server.agentSays('c1', 'Hello, how can I help?');
    t.store.open = true;
    await t.controller.start();
    t.server.link.open();
    await settle();
    expect(t.server.syncs).toEqual([{ conversationId: 'c1', afterSeq: 0 }]);
    expect(t.bodies()).toEqual(['Hi', 'Hello, how can I help?']);
    expect(t.state().currentConversationId).toBe('c1');
    expect(t.state().unread).toBe(0);
    expect(t.store.open).toBe(true);
  });

  it('clears the open-conversation flag when the session has none', async () => {
    const t = setup();
    t.store.open = true;
    await t.controller.start();
    t.server.link.open(t.server.session({ conversations: [] }));
    expect(t.store.open).toBe(false);
  });

  it('fetches what it missed after a gap in seq, without duplicates', async () => {
    const t = setup();
    t.server.commit({ clientMessageId: 'earlier-1', body: 'one' });
    t.store.open = true;
    await t.controller.start();
    t.server.link.open();
    await settle();
    t.server.agentSays('c1', 'two');
    const three = t.server.agentSays('c1', 'three');
    t.server.syncs.length = 0;
    t.server.link.deliver(three);
    await settle();
    expect(t.server.syncs).toEqual([{ conversationId: 'c1', afterSeq: 1 }]);
    expect(t.bodies()).toEqual(['one', 'two', 'three']);
    expect(t.state().conversations[0]?.lastSeq).toBe(3);
  });

  it('does not sync for a message that follows on', async () => {
    const t = setup();
    t.server.commit({ clientMessageId: 'earlier-1', body: 'one' });
    t.store.open = true;
    await t.controller.start();
    t.server.link.open();
    await settle();
    t.server.syncs.length = 0;
    t.server.link.deliver(t.server.agentSays('c1', 'two'));
    await settle();
    expect(t.server.syncs).toEqual([]);
    expect(t.bodies()).toEqual(['one', 'two']);
  });

  it('catches up from lastSeq after a reconnection', async () => {
    const t = setup();
    t.server.commit({ clientMessageId: 'earlier-1', body: 'one' });
    t.store.open = true;
    await t.controller.start();
    t.server.link.open();
    await settle();
    t.server.link.drop();
    expect(t.state().connection).toBe('reconnecting');
    t.server.agentSays('c1', 'missed while away');
    t.server.syncs.length = 0;
    t.server.link.open();
    await settle();
    expect(t.server.syncs).toEqual([{ conversationId: 'c1', afterSeq: 1 }]);
    expect(t.bodies()).toEqual(['one', 'missed while away']);
    expect(t.state().connection).toBe('connected');
  });
  it('catches up when the server says live events may have been lost, within the spread, once', async () => {
    vi.useFakeTimers();
    try {
      const t = setup({ catchUpSpreadMs: 2_000 });
      t.server.commit({ clientMessageId: 'earlier-1', body: 'one' });
      t.store.open = true;
      await t.controller.start();
      t.server.link.open();
      await vi.runOnlyPendingTimersAsync();
      // Committed while the nodes had lost touch: no broadcast reached this visitor.
      t.server.agentSays('c1', 'lost in the outage');
      t.server.syncs.length = 0;
      // Every node asks after an outage: one catch-up, not one per request.
      t.server.link.syncRequired();
      t.server.link.syncRequired();
      expect(t.server.lists).toBe(0);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(t.server.lists).toBe(1);
      expect(t.server.syncs).toEqual([{ conversationId: 'c1', afterSeq: 1 }]);
      expect(t.bodies()).toEqual(['one', 'lost in the outage']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets a pending catch-up when the connection drops (the reconnection catches up)', async () => {
    vi.useFakeTimers();
    try {
      const t = setup({ catchUpSpreadMs: 2_000 });
      t.store.open = true;
      await t.controller.start();
      t.server.link.open();
      await vi.runOnlyPendingTimersAsync();
      t.server.link.syncRequired();
      t.controller.dispose();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(t.server.lists).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('sending', () => {
  it('shows a message as sending at once, then as sent, in the conversation the ack names', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    expect(t.controller.send('  Hello  ')).toBe(true);
    expect(t.state().pending).toEqual([
      { clientMessageId: 'client-id-1', body: 'Hello', status: 'sending', error: null },
    ]);
    t.server.link.open();
    await settle();
    expect(t.server.sends).toEqual([{ clientMessageId: 'client-id-1', body: 'Hello' }]);
    expect(t.state().pending).toEqual([]);
    expect(t.bodies()).toEqual(['Hello']);
    expect(t.state().currentConversationId).toBe('c1');
    expect(t.store.open).toBe(true);

    t.controller.send('Second');
    await settle();
    expect(t.server.sends[1]).toEqual({
      conversationId: 'c1',
      clientMessageId: 'client-id-2',
      body: 'Second',
    });
    expect(t.bodies()).toEqual(['Hello', 'Second']);
  });

  it('ignores empty and over-long messages', async () => {
    const t = setup();
    await t.controller.start();
    expect(t.controller.send('   ')).toBe(false);
    expect(t.controller.send('x'.repeat(5001))).toBe(false);
    expect(t.state().pending).toEqual([]);
    expect(t.server.links).toHaveLength(0);
  });

  it('queues messages typed while offline and sends them in order on reconnect', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.server.link.drop();
    t.controller.send('one');
    t.controller.send('two');
    t.controller.send('three');
    await settle();
    expect(t.server.sends).toEqual([]);
    expect(t.state().pending.map((p) => p.status)).toEqual(['sending', 'sending', 'sending']);
    t.server.link.open();
    await settle();
    expect(t.server.sends.map((s) => s.body)).toEqual(['one', 'two', 'three']);
    expect(t.bodies()).toEqual(['one', 'two', 'three']);
    expect(t.state().pending).toEqual([]);
  });

  it('resends after a lost ack and shows the message once', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.server.holdSends = true;
    t.controller.send('hello');
    await settle();
    // The server committed it but the ack never arrived (timeout).
    t.server.commit(t.server.heldSends[0]?.payload ?? { clientMessageId: '', body: '' });
    t.server.heldSends[0]?.answer({ kind: 'lost' });
    await settle();
    expect(t.server.sends.map((s) => s.clientMessageId)).toEqual(['client-id-1', 'client-id-1']);
    const second = t.server.heldSends[1];
    if (!second) throw new Error('the message was not resent');
    second.answer({ kind: 'ack', ack: { ok: true, data: t.server.commit(second.payload) } });
    await settle();
    expect(t.bodies()).toEqual(['hello']);
    expect(t.state().pending).toEqual([]);
  });

  it('drops the pending copy when the broadcast arrives before the ack', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.server.holdSends = true;
    t.controller.send('hello');
    await settle();
    const held = t.server.heldSends[0];
    if (!held) throw new Error('nothing sent');
    const result = t.server.commit(held.payload);
    t.server.link.deliver(result.message);
    expect(t.state().pending).toEqual([]);
    held.answer({ kind: 'ack', ack: { ok: true, data: result } });
    await settle();
    expect(t.bodies()).toEqual(['hello']);
  });

  it('marks a refused message as failed and retries it with the same id', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.server.holdSends = true;
    t.controller.send('hello');
    await settle();
    t.server.heldSends[0]?.answer({
      kind: 'ack',
      ack: { ok: false, error: { code: 'RATE_LIMITED', message: 'Too many messages' } },
    });
    await settle();
    expect(t.state().pending).toEqual([
      {
        clientMessageId: 'client-id-1',
        body: 'hello',
        status: 'failed',
        error: 'Too many messages',
      },
    ]);
    t.server.holdSends = false;
    t.controller.retry('client-id-1');
    await settle();
    expect(t.server.sends.map((s) => s.clientMessageId)).toEqual(['client-id-1', 'client-id-1']);
    expect(t.state().pending).toEqual([]);
    expect(t.bodies()).toEqual(['hello']);
  });

  it('starts a new conversation after the open one is resolved', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.controller.send('first');
    await settle();
    t.server.link.options.listener.onConversationUpdated({
      id: 'c1',
      status: 'RESOLVED',
      lastSeq: 1,
      lastMessageAt: null,
      createdAt: '2025-01-01T12:00:00.000Z',
    });
    expect(t.state().currentConversationId).toBeNull();
    expect(t.store.open).toBe(false);
    // The resolved conversation stays on screen until the visitor starts a new one.
    expect(shownConversationId(t.state())).toBe('c1');
    t.controller.startNew();
    expect(shownConversationId(t.state())).toBeNull();
    t.server.messages.clear();
    t.controller.send('again');
    await settle();
    expect(t.server.sends[1]).toEqual({ clientMessageId: 'client-id-2', body: 'again' });
    expect(t.state().conversations.map((c) => [c.id, c.status])).toEqual([
      ['c1', 'RESOLVED'],
      ['c2', 'OPEN'],
    ]);
  });

  it('reopens a resolved conversation when the visitor writes in it, as Intercom does', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.controller.send('first');
    await settle();
    t.server.link.options.listener.onConversationUpdated(
      conversation('c1', { status: 'RESOLVED', lastSeq: 1 }),
    );
    t.controller.send('one more thing');
    await settle();
    expect(t.server.sends[1]).toMatchObject({ conversationId: 'c1', body: 'one more thing' });
    expect(t.state().currentConversationId).toBe('c1');
    expect(shownConversationId(t.state())).toBe('c1');
  });
});

describe('the launcher badge', () => {
  it('counts agent messages that arrive while the panel is closed and clears on open', async () => {
    const t = setup();
    t.server.commit({ clientMessageId: 'earlier-1', body: 'one' });
    t.store.open = true;
    await t.controller.start();
    t.server.link.open();
    await settle();
    t.server.link.deliver(t.server.agentSays('c1', 'Are you there?'));
    t.server.link.deliver(t.server.agentSays('c1', 'Hello?'));
    expect(t.state().unread).toBe(2);
    expect(t.loader.sent).toContainEqual({ type: 'parley:unread', count: 2, preview: 'Hello?' });
    t.controller.setOpen(true);
    expect(t.state().unread).toBe(0);
    expect(t.loader.sent.at(-1)).toEqual({ type: 'parley:unread', count: 0, preview: '' });
    t.server.link.deliver(t.server.agentSays('c1', 'Great'));
    expect(t.state().unread).toBe(0);
  });

  it('counts replies in a conversation that began here, even when its broadcast beat the ack', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    t.server.holdSends = true;
    t.controller.send('hello');
    await settle();
    const held = t.server.heldSends[0];
    if (!held) throw new Error('nothing sent');
    const result = t.server.commit(held.payload);
    t.server.link.deliver(result.message);
    held.answer({ kind: 'ack', ack: { ok: true, data: result } });
    await settle();
    t.controller.setOpen(false);
    expect(t.server.link.closed).toBe(false);
    t.server.link.deliver(t.server.agentSays('c1', 'Hi! How can I help?'));
    expect(t.state().unread).toBe(1);
    expect(t.server.syncs).toEqual([]);
  });

  it('does not count the visitor’s own messages', async () => {
    const t = setup();
    t.server.commit({ clientMessageId: 'earlier-1', body: 'one' });
    t.store.open = true;
    await t.controller.start();
    t.server.link.open();
    await settle();
    t.server.link.deliver(
      t.server.commit({ clientMessageId: 'other-tab', body: 'from another tab' }).message,
    );
    expect(t.state().unread).toBe(0);
  });

  it('asks the loader to close the panel', () => {
    const t = setup();
    t.controller.requestClose();
    expect(t.loader.sent).toEqual([{ type: 'parley:close-request' }]);
  });
});

describe('identity, embedding page and refusals', () => {
  const HASH = 'b'.repeat(64);

  it('sends the embedding page and the signed-in user with every handshake', async () => {
    const t = setup({ pageOrigin: 'https://shop.example' });
    t.controller.setIdentity({ userId: 'u1', userHash: HASH });
    await t.controller.start();
    t.controller.setOpen(true);
    expect(t.server.link.options.auth()).toEqual({
      siteKey: 'site_1',
      pageOrigin: 'https://shop.example',
      identity: { userId: 'u1', userHash: HASH },
      ...BROWSER,
    });
  });

  it("connects again as another user when the identity changes, forgetting the last one's history", async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.controller.send('hello as a guest');
    const first = t.server.link;
    first.open();
    await settle();
    expect(t.bodies()).toEqual(['hello as a guest']);
    t.controller.setIdentity({ userId: 'u2', userHash: HASH });
    expect(first.closed).toBe(true);
    expect(t.server.links).toHaveLength(2);
    expect(t.server.link.options.auth()).toMatchObject({ identity: { userId: 'u2' } });
    expect(t.state().conversations).toEqual([]);
    // The same identity again changes nothing.
    t.controller.setIdentity({ userId: 'u2', userHash: HASH });
    expect(t.server.links).toHaveLength(2);
    t.controller.setIdentity(null);
    expect(t.server.links).toHaveLength(3);
    expect(t.server.link.options.auth()).not.toHaveProperty('identity');
  });

  it('tells the visitor about a rate limit and connects again once it has passed', async () => {
    vi.useFakeTimers();
    try {
      const t = setup();
      await t.controller.start();
      t.controller.setOpen(true);
      t.server.link.options.listener.onConnectError(
        {
          message: 'RATE_LIMITED',
          data: {
            code: 'RATE_LIMITED',
            message: 'Too many new connections from your network. Try again in 30 seconds.',
            retryAfterMs: 30_000,
          },
        },
        false,
      );
      expect(t.state()).toMatchObject({
        connection: 'unavailable',
        notice: 'Too many new connections from your network. Try again in 30 seconds.',
      });
      expect(t.server.links).toHaveLength(1);
      vi.advanceTimersByTime(30_000);
      expect(t.server.links).toHaveLength(2);
      t.server.link.open();
      expect(t.state().notice).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says plainly when the site or the identity is refused, and keeps the token', async () => {
    for (const [code, notice] of [
      ['ORIGIN_NOT_ALLOWED', 'This chat is not available on this website.'],
      ['IDENTITY_NOT_VERIFIED', expect.stringMatching(/^We could not confirm who you are/)],
    ] as const) {
      const warn = vi.fn();
      const t = setup({ warn });
      t.store.storedToken = TOKEN;
      await t.controller.start();
      t.controller.setOpen(true);
      t.server.link.options.listener.onConnectError(
        { message: code, data: { code, message: 'what the server said' } },
        false,
      );
      expect(t.state()).toMatchObject({ connection: 'unavailable', notice });
      expect(warn).toHaveBeenCalledWith('Parley: the chat could not connect: what the server said');
      expect(t.store.storedToken).toBe(TOKEN);
    }
  });
});

describe('events for the host page (the SDK)', () => {
  const events = (t: ReturnType<typeof setup>) =>
    t.loader.sent.flatMap((m) => (m.type === 'parley:event' ? [m] : []));

  it('sends the launcher appearance once the site settings have loaded', async () => {
    const t = setup();
    await t.controller.start();
    expect(t.loader.sent).toContainEqual(
      expect.objectContaining({
        type: 'parley:launcher',
        label: widgetConfig.widget.launcherLabel,
      }),
    );
  });

  it('redraws the chat and the launcher when an admin changes the appearance', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    await settle();
    const widget = {
      ...widgetConfig.widget,
      title: 'Talk to Acme',
      color: '#aa3300',
      position: 'left' as const,
      launcherLabel: 'Help',
      theme: 'dark' as const,
    };
    t.server.link.options.listener.onWidgetUpdated(widget);
    expect(t.state().config?.widget).toEqual(widget);
    expect(t.loader.sent.at(-1)).toMatchObject({
      type: 'parley:launcher',
      label: 'Help',
      position: 'left',
      css: expect.stringContaining('--c:#aa3300'),
    });
  });

  describe('the launcher of a site that hides it while nobody is online', () => {
    const hiding = (agentsOnline: boolean) => ({
      ...widgetConfig,
      availability: {
        agentsOnline,
        withinHours: true,
        nextOpenAt: null,
        hideLauncher: !agentsOnline,
        hideLauncherWhenOffline: true,
      },
    });
    const launchers = (t: ReturnType<typeof setup>) =>
      t.loader.sent.flatMap((m) => (m.type === 'parley:launcher' ? [m] : []));
    const hidden = (css: string) => css.includes('display:none!important');

    it('follows agents going and coming over the connection, and stays hidden through a new look', async () => {
      const t = setup({ loadConfig: () => Promise.resolve(hiding(true)) });
      await t.controller.start();
      t.controller.setOpen(true);
      t.server.link.open();
      await settle();
      expect(launchers(t).map((m) => hidden(m.css))).toEqual([false]);

      t.server.link.options.listener.onAvailability?.({ agentsOnline: false });
      expect(t.state().config?.availability?.hideLauncher).toBe(true);
      t.server.link.options.listener.onWidgetUpdated({ ...widgetConfig.widget, color: '#aa3300' });
      // Repeated news changes nothing: only changes reach the loader.
      t.server.link.options.listener.onAvailability?.({ agentsOnline: false });
      t.server.link.options.listener.onAvailability?.({ agentsOnline: true });
      expect(launchers(t).map((m) => hidden(m.css))).toEqual([false, true, true, false]);
      expect(launchers(t).at(-1)?.css).toContain('--c:#aa3300');
    });
  });

  describe('a chat with no connection', () => {
    it('fetches its configuration again now and then while the page is visible, and passes changes to the launcher', async () => {
      vi.useFakeTimers();
      try {
        let config = widgetConfig;
        const loadConfig = vi.fn(() => Promise.resolve(config));
        const t = setup({ loadConfig, idleRefreshMs: 60_000 });
        await t.controller.start();
        expect(t.server.links).toHaveLength(0);
        const launchers = () => t.loader.sent.filter((m) => m.type === 'parley:launcher');
        expect(launchers()).toHaveLength(1);

        config = { ...widgetConfig, widget: { ...widgetConfig.widget, launcherLabel: 'Ask us' } };
        await vi.advanceTimersByTimeAsync(72_000);
        expect(loadConfig).toHaveBeenCalledTimes(2);
        expect(launchers().at(-1)).toMatchObject({ label: 'Ask us' });
        expect(launchers()).toHaveLength(2);

        // Nothing changed: nothing is sent. A hidden tab fetches nothing.
        await vi.advanceTimersByTimeAsync(72_000);
        expect(loadConfig).toHaveBeenCalledTimes(3);
        t.controller.setVisible(false);
        await vi.advanceTimersByTimeAsync(300_000);
        expect(loadConfig).toHaveBeenCalledTimes(3);
        expect(launchers()).toHaveLength(2);

        // Coming back to a tab left for a while fetches at once.
        config = { ...config, widget: { ...config.widget, position: 'left' } };
        t.controller.setVisible(true);
        await vi.advanceTimersByTimeAsync(0);
        expect(loadConfig).toHaveBeenCalledTimes(4);
        expect(launchers().at(-1)).toMatchObject({ label: 'Ask us', position: 'left' });

        // Connected, the chat is told of changes: it stops asking.
        t.controller.setOpen(true);
        t.server.link.open();
        await vi.advanceTimersByTimeAsync(0);
        const calls = loadConfig.mock.calls.length;
        await vi.advanceTimersByTimeAsync(300_000);
        expect(loadConfig).toHaveBeenCalledTimes(calls);

        t.controller.dispose();
      } finally {
        vi.useRealTimers();
      }
    });
  });

  it('announces each committed message once: the visitor’s own and the agent’s', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.setOpen(true);
    t.controller.send('Hello');
    t.server.link.open();
    await settle();
    const reply = t.server.agentSays('c1', 'Hi there');
    t.server.link.deliver(reply);
    // The same message again (a resync, a second node): announced once.
    t.server.link.deliver(reply);
    const announced = events(t);
    expect(announced.map((e) => e.name)).toEqual(['message', 'message']);
    expect(announced.map((e) => (e.name === 'message' ? e.data.body : ''))).toEqual([
      'Hello',
      'Hi there',
    ]);
    expect(announced[1]?.data).toMatchObject({ authorKind: 'AGENT', conversationId: 'c1', seq: 2 });
  });

  it('reports a refused connection as an error event', async () => {
    const t = setup({ warn: vi.fn() });
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.options.listener.onConnectError(
      { message: 'ORIGIN_NOT_ALLOWED', data: { code: 'ORIGIN_NOT_ALLOWED', message: 'Not here' } },
      false,
    );
    expect(events(t)).toEqual([
      {
        type: 'parley:event',
        name: 'error',
        data: { code: 'ORIGIN_NOT_ALLOWED', message: 'Not here' },
      },
    ]);
  });

  it('reset forgets the visitor and its conversations and connects again as a new one', async () => {
    const t = setup();
    t.store.storedToken = TOKEN;
    await t.controller.start();
    t.controller.setOpen(true);
    t.controller.send('Before sign-out');
    t.server.link.open();
    await settle();
    expect(t.bodies()).toEqual(['Before sign-out']);
    t.controller.setIdentity({ userId: 'u-1', userHash: 'h' });
    t.controller.reset();
    expect(t.store.storedToken).toBeNull();
    expect(t.bodies()).toEqual([]);
    expect(t.state().currentConversationId).toBeNull();
    const link = t.server.links.at(-1);
    expect(t.server.links.length).toBeGreaterThan(1);
    expect(link?.options.auth()).not.toHaveProperty('visitorToken');
    expect(link?.options.auth()).not.toHaveProperty('identity');
  });

  it('stores custom attributes: all of them with each new session, then each change', async () => {
    const t = setup();
    await t.controller.start();
    await t.controller.setAttributes({ plan: 'pro' });
    t.controller.setOpen(true);
    t.server.link.open();
    await settle();
    expect(t.server.updates).toContainEqual({ attributes: { plan: 'pro' } });
    await t.controller.setAttributes({ seats: 3 });
    expect(t.server.updates.at(-1)).toEqual({ attributes: { seats: 3 } });
  });

  it('refuses bad attribute names with an error event and a console warning, sending nothing', async () => {
    const warn = vi.fn();
    const t = setup({ warn });
    await t.controller.start();
    t.controller.setOpen(true);
    t.server.link.open();
    await settle();
    const before = t.server.updates.length;
    await t.controller.setAttributes({ '1st plan': 'pro' });
    expect(t.server.updates).toHaveLength(before);
    expect(events(t).at(-1)).toEqual({
      type: 'parley:event',
      name: 'error',
      data: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^Parley\.setAttributes: 1st plan: attribute names are/),
      },
    });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Parley\.setAttributes/));
  });
});
