// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adoptCss, widgetCss } from './styles';

function shadowRoot(): ShadowRoot {
  return document.createElement('div').attachShadow({ mode: 'open' });
}

afterEach(() => {
  // Remove the constructed-stylesheet support faked below.
  Reflect.deleteProperty(ShadowRoot.prototype, 'adoptedStyleSheets');
  Reflect.deleteProperty(CSSStyleSheet.prototype, 'replaceSync');
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
