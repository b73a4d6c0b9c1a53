// @vitest-environment jsdom
import { DEFAULT_WIDGET_SETTINGS } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adoptCss } from '../loader/styles';
import { launcherAppearance, widgetCss } from './launcher';

function shadowRoot(): ShadowRoot {
  return document.createElement('div').attachShadow({ mode: 'open' });
}

afterEach(() => {
  // Remove the constructed-stylesheet support faked below.
  Reflect.deleteProperty(ShadowRoot.prototype, 'adoptedStyleSheets');
  Reflect.deleteProperty(CSSStyleSheet.prototype, 'replaceSync');
});

describe('launcher appearance', () => {
  it('comes from the site settings: stylesheet, label and side', () => {
    const appearance = launcherAppearance({
      ...DEFAULT_WIDGET_SETTINGS,
      color: '#f5d90a',
      position: 'left',
      launcherLabel: '  Ask us  ',
    });
    expect(appearance.label).toBe('Ask us');
    expect(appearance.position).toBe('left');
    // Dark text on a light colour.
    expect(appearance.css).toContain('.w{--c:#f5d90a;--t:#111;');
  });

  it('hides nothing of the page when narrow: the open panel covers the screen', () => {
    expect(widgetCss('#1f6feb')).toContain('@media (max-width:480px)');
  });
});

describe('widget styles', () => {
  it('carries the colour as custom properties in the rule text', () => {
    const css = widgetCss('#0a7d33');
    expect(css).toContain('.w{--c:#0a7d33;--t:#fff;');
    expect(css).toContain('background:var(--c)');
  });

  it('uses a constructed stylesheet where the browser has them', () => {
    const replaceSync = vi.fn();
    Object.defineProperty(CSSStyleSheet.prototype, 'replaceSync', {
      value: replaceSync,
      configurable: true,
    });
    let adopted: unknown[] = [];
    Object.defineProperty(ShadowRoot.prototype, 'adoptedStyleSheets', {
      get: () => adopted,
      set: (sheets: unknown[]) => {
        adopted = sheets;
      },
      configurable: true,
    });
    const root = shadowRoot();
    adoptCss(root, '.b{color:red}');
    expect(replaceSync).toHaveBeenCalledWith('.b{color:red}');
    expect(adopted).toHaveLength(1);
    expect(adopted[0]).toBeInstanceOf(CSSStyleSheet);
    expect(root.querySelector('style')).toBeNull();
  });

  it('falls back to a <style> element inside the shadow root', () => {
    const root = shadowRoot();
    adoptCss(root, '.b{color:red}');
    expect(root.querySelector('style')?.textContent).toBe('.b{color:red}');
  });
});
