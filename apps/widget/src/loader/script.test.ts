// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { findSnippet } from './script';

function addScript(src: string, siteKey?: string): HTMLScriptElement {
  const script = document.createElement('script');
  script.src = src;
  if (siteKey !== undefined) script.dataset.siteKey = siteKey;
  document.body.append(script);
  return script;
}

function withCurrentScript(script: HTMLScriptElement | null) {
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
}

afterEach(() => {
  withCurrentScript(null);
  for (const script of document.querySelectorAll('script')) script.remove();
});

describe('findSnippet', () => {
  it('uses document.currentScript and derives the API origin from its src', () => {
    addScript('https://other.example/widget.js', 'other');
    withCurrentScript(addScript('https://chat.example:8443/widget.js?v=2', 'site_1'));
    expect(findSnippet(document)).toEqual({
      siteKey: 'site_1',
      apiOrigin: 'https://chat.example:8443',
      hideLauncher: false,
      position: undefined,
    });
  });

  it('falls back to the snippet selector when currentScript is unavailable', () => {
    addScript('https://cdn.example/jquery.js');
    addScript('https://chat.example/widget.js', ' site_2 ');
    expect(findSnippet(document)).toMatchObject({
      siteKey: 'site_2',
      apiOrigin: 'https://chat.example',
    });
  });

  it('reads the launcher options from data attributes', () => {
    const script = addScript('https://chat.example/widget.js', 'site_3');
    script.dataset.launcher = 'none';
    script.dataset.position = 'left';
    withCurrentScript(script);
    expect(findSnippet(document)).toMatchObject({ hideLauncher: true, position: 'left' });
    script.dataset.launcher = 'shown';
    script.dataset.position = 'top';
    expect(findSnippet(document)).toMatchObject({ hideLauncher: false, position: undefined });
  });

  it('finds nothing without a site key', () => {
    withCurrentScript(addScript('https://chat.example/widget.js'));
    expect(findSnippet(document)).toBeNull();
    addScript('https://chat.example/widget.js', '');
    expect(findSnippet(document)).toBeNull();
  });
});
