// @vitest-environment jsdom
import { DEFAULT_WIDGET_SETTINGS, type WidgetConfig } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { launcherAppearance } from '../frame/launcher';
import { envelope, type FrameToLoaderMessage } from '../shared/messages';
import { boot, type ParleyWindow } from './boot';

const API = 'https://api.parley.test';

const config: WidgetConfig = {
  siteKey: 'site_1',
  siteName: 'Shop',
  widget: { ...DEFAULT_WIDGET_SETTINGS, color: '#ff5500', launcherLabel: 'Chat' },
  transport: {
    mode: 'auto',
    transports: ['polling', 'websocket'],
    upgrade: true,
    reconnectionDelayMs: 1000,
    reconnectionDelayMaxMs: 5000,
  },
};

const win = window as ParleyWindow;

function installSnippet(siteKey = 'site_1', data: Record<string, string> = {}): void {
  const script = document.createElement('script');
  script.async = true;
  script.src = `${API}/widget.js`;
  script.dataset.siteKey = siteKey;
  Object.assign(script.dataset, data);
  document.head.append(script);
}

function stubFetch(body: unknown = config, status = 200) {
  const fetchMock = vi.fn((_url: string) =>
    Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    ),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function hosts(): Element[] {
  return [...document.querySelectorAll('parley-widget')];
}

function shadow(): ShadowRoot {
  const root = hosts()[0]?.shadowRoot;
  if (!root) throw new Error('no widget on the page');
  return root;
}

function launcher(): HTMLButtonElement {
  const button = shadow().querySelector('button');
  if (!button) throw new Error('no launcher');
  return button;
}

function frame(): HTMLIFrameElement {
  const iframe = shadow().querySelector('iframe');
  if (!iframe) throw new Error('no frame');
  return iframe;
}

/**
 * jsdom gives no browsing context to an iframe inside a shadow root (browsers do), so the chat
 * frame is given the window of a stand-in iframe in the light DOM.
 */
function frameWindow(): Window {
  const iframe = frame();
  if (!iframe.contentWindow) {
    const standIn = document.createElement('iframe');
    document.body.append(standIn);
    const w = standIn.contentWindow;
    if (!w) throw new Error('jsdom gave the stand-in frame no window');
    Object.defineProperty(iframe, 'contentWindow', { get: () => w, configurable: true });
  }
  const w = iframe.contentWindow;
  if (!w) throw new Error('the frame has no window');
  return w;
}

function fromFrame(
  message: FrameToLoaderMessage,
  origin = API,
  source: Window = frameWindow(),
): void {
  window.dispatchEvent(new MessageEvent('message', { data: envelope(message), origin, source }));
}

/** The frame has the site's settings and tells the loader how to draw the launcher. */
function appear(widget: Partial<WidgetConfig['widget']> = {}): void {
  fromFrame({ type: 'parley:launcher', ...launcherAppearance({ ...config.widget, ...widget }) });
}

async function started(): Promise<void> {
  await vi.waitFor(() => {
    expect(hosts()).toHaveLength(1);
  });
}

function setReadyState(state: DocumentReadyState): void {
  Object.defineProperty(document, 'readyState', { value: state, configurable: true });
}

beforeEach(() => {
  setReadyState('complete');
});

afterEach(() => {
  delete win.Parley;
  // Stand-in frames stay: widgets of earlier tests still hold their windows.
  for (const el of [...hosts(), ...document.querySelectorAll('script')]) el.remove();
  setReadyState('complete');
});

describe('the loader', () => {
  it('reads its own script tag and fetches the config with a plain GET', async () => {
    installSnippet();
    const fetchMock = stubFetch();
    boot(win);
    await started();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]).toEqual([`${API}/api/widget/config?siteKey=site_1`]);
  });

  it('draws one launcher even when the snippet is on the page twice', async () => {
    installSnippet();
    installSnippet();
    const fetchMock = stubFetch();
    boot(win);
    boot(win);
    await started();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hosts()).toHaveLength(1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(shadow().querySelectorAll('iframe')).toHaveLength(1);
  });

  it('uses no inline style attributes anywhere, and puts the colour in a stylesheet', async () => {
    installSnippet();
    stubFetch();
    boot(win);
    await started();
    (win.Parley as { open: () => void }).open();
    // Until the frame has sent the launcher's stylesheet, nothing of the widget shows.
    expect(shadow().querySelector('style')?.textContent).toContain('.b,.p{display:none}');
    appear();
    expect(document.querySelectorAll('[style]')).toHaveLength(0);
    expect(shadow().querySelectorAll('[style]')).toHaveLength(0);
    // jsdom has no constructed stylesheets: this is the <style> fallback, same rule text.
    const css = [...shadow().querySelectorAll('style')].pop()?.textContent ?? '';
    expect(css).toContain('--c:#ff5500');
  });

  it('has a launcher button named by the label that reports whether the panel is open', async () => {
    installSnippet();
    stubFetch();
    boot(win);
    await started();
    appear();
    const button = launcher();
    expect(button.type).toBe('button');
    expect(button.textContent).toBe('Chat');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.click();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    button.click();
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('places the launcher on the side the config asks for', async () => {
    installSnippet();
    stubFetch();
    boot(win);
    await started();
    appear({ position: 'left' });
    expect(shadow().querySelector('.w')?.classList.contains('l')).toBe(true);
    appear({ position: 'right' });
    expect(shadow().querySelector('.w')?.classList.contains('r')).toBe(true);
    expect(shadow().querySelector('.w')?.classList.contains('l')).toBe(false);
  });

  it('takes the position and a hidden launcher from the snippet', async () => {
    installSnippet('site_1', { position: 'left', launcher: 'none' });
    stubFetch();
    boot(win);
    await started();
    appear({ position: 'right' });
    expect(shadow().querySelector('.w')?.classList.contains('l')).toBe(true);
    expect(shadow().querySelector('button')).toBeNull();
    (win.Parley as { open: () => void }).open();
    expect(shadow().querySelector('.w')?.classList.contains('o')).toBe(true);
  });

  it('adds the chat frame only after the page has loaded, hidden until opened', async () => {
    setReadyState('interactive');
    installSnippet();
    stubFetch();
    boot(win);
    await started();
    expect(shadow().querySelector('iframe')).toBeNull();
    window.dispatchEvent(new Event('load'));
    const iframe = frame();
    expect(iframe.title).toBe('Parley chat');
    expect(iframe.src).toBe(
      `${API}/widget/?siteKey=site_1&origin=${encodeURIComponent(window.location.origin)}`,
    );
    expect(shadow().querySelector('.w')?.classList.contains('o')).toBe(false);
  });

  it('replays calls queued before it loaded, and keeps accepting them after', async () => {
    installSnippet();
    stubFetch();
    const stub = Object.assign(() => undefined, { q: [['open']] });
    win.Parley = stub;
    boot(win);
    await started();
    expect(launcher().getAttribute('aria-expanded')).toBe('true');
    const api = win.Parley as (method: string) => void;
    api('close');
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
    expect(() => {
      api('launch');
    }).toThrow(/Parley: unknown method "launch"/);
  });

  it('draws nothing when the site is unknown', async () => {
    installSnippet('nope');
    stubFetch({ error: { code: 'UNKNOWN_SITE', message: 'Unknown site key' } }, 404);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    boot(win);
    await vi.waitFor(() => {
      expect(warn).toHaveBeenCalledWith('Parley: the chat widget is off: Unknown site key');
    });
    expect(hosts()).toHaveLength(0);
  });

  it('does not start without a site key', () => {
    const script = document.createElement('script');
    script.src = `${API}/widget.js`;
    document.head.append(script);
    const fetchMock = stubFetch();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    boot(win);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith('Parley: the widget script needs a data-site-key attribute');
  });
});

describe('the loader ⇄ frame channel', () => {
  async function startedWithFrame() {
    installSnippet();
    stubFetch();
    boot(win);
    await started();
    const post = vi.spyOn(frameWindow(), 'postMessage');
    return post;
  }

  it('posts nothing before the frame is ready, then the page and panel state to the exact API origin', async () => {
    const post = await startedWithFrame();
    launcher().click();
    expect(post).not.toHaveBeenCalled();
    fromFrame({ type: 'parley:ready' });
    expect(post.mock.calls).toEqual([
      [envelope({ type: 'parley:attributes', attributes: {} }), API],
      [envelope({ type: 'parley:state', token: null, open: false }), API],
      [envelope({ type: 'parley:page', url: window.location.href, referrer: '' }), API],
      [envelope({ type: 'parley:open' }), API],
    ]);
    launcher().click();
    expect(post).toHaveBeenLastCalledWith(envelope({ type: 'parley:close' }), API);
  });

  it('ignores messages from another origin or another window', async () => {
    await startedWithFrame();
    appear();
    fromFrame({ type: 'parley:unread', count: 4, preview: '' }, 'https://evil.example');
    fromFrame({ type: 'parley:unread', count: 4, preview: '' }, API, window);
    const badge = shadow().querySelector<HTMLElement>('.n');
    expect(badge?.hidden).toBe(true);
    fromFrame({ type: 'parley:unread', count: 4, preview: '' });
    expect(badge?.hidden).toBe(false);
    expect(badge?.textContent).toBe('4');
    expect(launcher().textContent).toBe('Chat4');
    expect(badge?.getAttribute('aria-hidden')).toBe('true');
  });

  it('closes the panel and returns focus to the launcher when the frame asks', async () => {
    await startedWithFrame();
    launcher().click();
    fromFrame({ type: 'parley:close-request' });
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
    expect(shadow().activeElement).toBe(launcher());
  });

  it('shows the connection state on the launcher', async () => {
    await startedWithFrame();
    fromFrame({ type: 'parley:connection', state: 'reconnecting' });
    expect(launcher().dataset.connection).toBe('reconnecting');
  });

  it('follows single-page navigation', async () => {
    const post = await startedWithFrame();
    fromFrame({ type: 'parley:ready' });
    post.mockClear();
    history.pushState({}, '', '/pricing');
    expect(post).toHaveBeenCalledWith(
      envelope({ type: 'parley:page', url: `${window.location.origin}/pricing`, referrer: '' }),
      API,
    );
    history.replaceState({}, '', '/pricing?plan=pro');
    expect(post).toHaveBeenLastCalledWith(
      envelope({
        type: 'parley:page',
        url: `${window.location.origin}/pricing?plan=pro`,
        referrer: '',
      }),
      API,
    );
    post.mockClear();
    history.replaceState({}, '', '/pricing?plan=pro');
    expect(post).not.toHaveBeenCalled();
  });
});

describe('visitor memory on the host page', () => {
  it('hands the frame what the host page remembers and stores what the frame asks it to', async () => {
    window.localStorage.setItem(
      'parley:site_1',
      JSON.stringify({ token: 'remembered', open: true }),
    );
    installSnippet();
    stubFetch();
    boot(win);
    await started();
    const post = vi.spyOn(frameWindow(), 'postMessage');
    fromFrame({ type: 'parley:ready' });
    expect(post).toHaveBeenCalledWith(
      envelope({ type: 'parley:state', token: 'remembered', open: true }),
      API,
    );
    fromFrame({ type: 'parley:persist', token: 'fresh', open: false });
    expect(JSON.parse(window.localStorage.getItem('parley:site_1') ?? '{}')).toEqual({
      token: 'fresh',
      open: false,
    });
    fromFrame({ type: 'parley:persist', token: null, open: false });
    expect(window.localStorage.getItem('parley:site_1')).toBeNull();
  });
});

describe('the SDK', () => {
  type Api = Record<string, (...args: unknown[]) => void>;
  const api = () => win.Parley as Api;

  async function startedWithFrame() {
    installSnippet();
    stubFetch();
    boot(win);
    await started();
    const post = vi.spyOn(frameWindow(), 'postMessage');
    return post;
  }

  it('calls handlers of ready, open, close, unreadCountChange, message and error; off removes one', async () => {
    await startedWithFrame();
    const seen: string[] = [];
    const record = (name: string) => (data?: unknown) =>
      seen.push(`${name} ${JSON.stringify(data)}`);
    for (const name of ['ready', 'open', 'close', 'unreadCountChange', 'message', 'error']) {
      api().on?.(name, record(name));
    }
    const second = vi.fn();
    api().on?.('open', second);
    fromFrame({ type: 'parley:ready' });
    api().open?.();
    api().off?.('open', second);
    api().close?.();
    api().open?.();
    fromFrame({ type: 'parley:unread', count: 2, preview: '' });
    const message = {
      id: 'm1',
      conversationId: 'c1',
      seq: 1,
      authorKind: 'AGENT',
      authorName: 'Ann',
      body: 'Hi',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    fromFrame({ type: 'parley:event', name: 'message', data: message });
    fromFrame({
      type: 'parley:event',
      name: 'error',
      data: { code: 'RATE_LIMITED', message: 'Wait' },
    });
    expect(seen).toEqual([
      'ready undefined',
      'open undefined',
      'close undefined',
      'open undefined',
      'unreadCountChange 2',
      `message ${JSON.stringify(message)}`,
      'error {"code":"RATE_LIMITED","message":"Wait"}',
    ]);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('a throwing handler does not stop the others', async () => {
    await startedWithFrame();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    api().on?.('open', () => {
      throw new Error('page bug');
    });
    api().on?.('open', after);
    api().open?.();
    expect(after).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalled();
  });

  it('throws a clear error for invalid arguments', async () => {
    await startedWithFrame();
    expect(() => api().on?.('opened', () => undefined)).toThrow(
      'Parley.on: unknown event "opened"; expected one of ready, open, close, message, unreadCountChange, error',
    );
    expect(() => api().on?.('open', 'not a function')).toThrow(
      'Parley.on: the handler must be a function',
    );
    expect(() => api().identify?.('u-42')).toThrow(
      'Parley.identify: expected null or { userId, email, name, userHash } with string values',
    );
    expect(() => api().identify?.({ userId: 42 })).toThrow(/Parley\.identify/);
    expect(() => api().identify?.({ userId: 'u', role: 'admin' })).toThrow(/Parley\.identify/);
    expect(() => api().identify?.({ userId: 'u', email: undefined })).not.toThrow();
  });

  it('reset forgets the signed-in user and the visitor on the host page and tells the frame', async () => {
    const post = await startedWithFrame();
    api().identify?.({ userId: 'u-1', userHash: 'h' });
    fromFrame({ type: 'parley:ready' });
    fromFrame({ type: 'parley:persist', token: 'tok_1', open: true });
    expect(localStorage.getItem('parley:site_1')).not.toBeNull();
    post.mockClear();
    api().reset?.();
    expect(localStorage.getItem('parley:site_1')).toBeNull();
    expect(post).toHaveBeenCalledWith(envelope({ type: 'parley:reset' }), API);
    // A reloaded frame is not told about the old user.
    post.mockClear();
    fromFrame({ type: 'parley:ready' });
    expect(post.mock.calls.map(([m]) => (m as { type: string }).type)).not.toContain(
      'parley:identify',
    );
  });

  it('shutdown removes the widget from the page and stops listening to the frame', async () => {
    await startedWithFrame();
    const frameWin = frameWindow();
    const close = vi.fn();
    api().on?.('close', close);
    api().open?.();
    api().shutdown?.();
    expect(close).toHaveBeenCalledTimes(1);
    expect(hosts()).toHaveLength(0);
    const unread = vi.fn();
    api().on?.('unreadCountChange', unread);
    fromFrame({ type: 'parley:unread', count: 3, preview: '' }, API, frameWin);
    expect(unread).not.toHaveBeenCalled();
    api().open?.();
    expect(hosts()).toHaveLength(0);
  });

  it('setAttributes checks the kinds of values, forwards each call and all of them to a reloaded frame', async () => {
    const post = await startedWithFrame();
    api().setAttributes?.({ plan: 'pro', seats: 3 });
    fromFrame({ type: 'parley:ready' });
    expect(post).toHaveBeenCalledWith(
      envelope({ type: 'parley:attributes', attributes: { plan: 'pro', seats: 3 } }),
      API,
    );
    api().setAttributes?.({ seats: 4, trial: null });
    expect(post).toHaveBeenLastCalledWith(
      envelope({ type: 'parley:attributes', attributes: { seats: 4, trial: null } }),
      API,
    );
    expect(() => api().setAttributes?.({ plan: { tier: 'pro' } })).toThrow(
      'Parley.setAttributes: expected { name: text | number | boolean | null }',
    );
    expect(() => api().setAttributes?.('plan=pro')).toThrow(/Parley\.setAttributes/);
    post.mockClear();
    fromFrame({ type: 'parley:ready' });
    expect(post).toHaveBeenCalledWith(
      envelope({
        type: 'parley:attributes',
        attributes: { plan: 'pro', seats: 4, trial: null },
      }),
      API,
    );
    api().reset?.();
    post.mockClear();
    fromFrame({ type: 'parley:ready' });
    expect(post).toHaveBeenCalledWith(envelope({ type: 'parley:attributes', attributes: {} }), API);
  });

  it('setLocale checks the tag, forwards it, and passes it on to a reloaded frame', async () => {
    const post = await startedWithFrame();
    fromFrame({ type: 'parley:ready' });
    api().setLocale?.('fr-CA');
    expect(post).toHaveBeenLastCalledWith(
      envelope({ type: 'parley:locale', locale: 'fr-CA' }),
      API,
    );
    for (const bad of [42, '', 'french!', null]) {
      expect(() => api().setLocale?.(bad)).toThrow(
        'Parley.setLocale: expected a language tag like "fr"',
      );
    }
    post.mockClear();
    fromFrame({ type: 'parley:ready' });
    expect(post).toHaveBeenCalledWith(envelope({ type: 'parley:locale', locale: 'fr-CA' }), API);
  });

  it('shows the last new message in a bubble, as text, and the count in the title once the visitor has interacted', async () => {
    await startedWithFrame();
    fromFrame({ type: 'parley:ready' });
    document.title = 'Shop';
    const bubble = () => shadow().querySelector('.v');
    fromFrame({ type: 'parley:unread', count: 1, preview: '<img src=x onerror=alert(1)>' });
    expect(bubble()?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(bubble()?.querySelector('img')).toBeNull();
    // jsdom has no user activation: no interaction yet, so the title stays as it is.
    expect(document.title).toBe('Shop');
    Object.defineProperty(window.navigator, 'userActivation', {
      value: { hasBeenActive: true, isActive: false },
      configurable: true,
    });
    fromFrame({ type: 'parley:unread', count: 2, preview: 'Hello?' });
    expect(document.title).toBe('(2) Shop');
    fromFrame({ type: 'parley:unread', count: 0, preview: '' });
    expect(document.title).toBe('Shop');
    expect(bubble()?.textContent).toBe('');
    Reflect.deleteProperty(window.navigator, 'userActivation');
  });
});
