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
    });
  });

  it('falls back to the snippet selector when currentScript is unavailable', () => {
    addScript('https://cdn.example/jquery.js');
    addScript('https://chat.example/widget.js', ' site_2 ');
    expect(findSnippet(document)).toEqual({ siteKey: 'site_2', apiOrigin: 'https://chat.example' });
  });

  it('finds nothing without a site key', () => {
    withCurrentScript(addScript('https://chat.example/widget.js'));
    expect(findSnippet(document)).toBeNull();
    addScript('https://chat.example/widget.js', '');
    expect(findSnippet(document)).toBeNull();
  });
});
