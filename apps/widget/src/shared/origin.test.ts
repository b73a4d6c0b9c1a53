import { describe, expect, it } from 'vitest';
import { isOrigin, isTrustedMessage, originOf } from './origin';

describe('isTrustedMessage', () => {
  const frame = {};
  const other = {};

  it('accepts only the expected origin from the expected window', () => {
    expect(
      isTrustedMessage(
        { origin: 'https://api.example', source: frame },
        'https://api.example',
        frame,
      ),
    ).toBe(true);
  });

  it('refuses another origin, even from the right window', () => {
    expect(
      isTrustedMessage(
        { origin: 'https://evil.example', source: frame },
        'https://api.example',
        frame,
      ),
    ).toBe(false);
    expect(
      isTrustedMessage(
        { origin: 'http://api.example', source: frame },
        'https://api.example',
        frame,
      ),
    ).toBe(false);
  });

  it('refuses another window, even with the right origin', () => {
    expect(
      isTrustedMessage(
        { origin: 'https://api.example', source: other },
        'https://api.example',
        frame,
      ),
    ).toBe(false);
  });

  it('refuses everything while the expected window does not exist', () => {
    expect(
      isTrustedMessage(
        { origin: 'https://api.example', source: null },
        'https://api.example',
        null,
      ),
    ).toBe(false);
    expect(
      isTrustedMessage(
        { origin: 'https://api.example', source: undefined },
        'https://api.example',
        undefined,
      ),
    ).toBe(false);
  });
});

describe('origins', () => {
  it('extracts the origin of http(s) URLs only', () => {
    expect(originOf('https://api.example:8443/widget.js?x=1')).toBe('https://api.example:8443');
    expect(originOf('javascript:alert(1)')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });

  it('recognises a bare origin', () => {
    expect(isOrigin('https://shop.example')).toBe(true);
    expect(isOrigin('http://localhost:3000')).toBe(true);
    expect(isOrigin('https://shop.example/')).toBe(false);
    expect(isOrigin('https://shop.example/path')).toBe(false);
    expect(isOrigin('null')).toBe(false);
    expect(isOrigin('')).toBe(false);
  });
});
