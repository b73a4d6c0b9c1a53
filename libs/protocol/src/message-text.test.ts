import { describe, expect, it } from 'vitest';
import { safeLinkHref, splitLinks } from './message-text';

const joined = (text: string) =>
  splitLinks(text)
    .map((p) => p.text)
    .join('');

describe('splitLinks', () => {
  it('turns http and https URLs into links and keeps the rest as text', () => {
    expect(splitLinks('See https://shop.example/orders?id=7 and http://a.example.')).toEqual([
      { kind: 'text', text: 'See ' },
      {
        kind: 'link',
        text: 'https://shop.example/orders?id=7',
        href: 'https://shop.example/orders?id=7',
      },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://a.example', href: 'http://a.example/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/path',
      'xhttps://evil.example',
    ]) {
      expect(splitLinks(text), text).toEqual([{ kind: 'text', text }]);
    }
  });

  it('stops a link at markup, quotes and bidirectional controls', () => {
    const parts = splitLinks('<a href="https://evil.example/x">go</a>');
    expect(parts.filter((p) => p.kind === 'link').map((p) => p.text)).toEqual([
      'https://evil.example/x',
    ]);
    const spoof = splitLinks('https://files.example/\u202Egpj.exe');
    expect(spoof[0]).toEqual({
      kind: 'link',
      text: 'https://files.example/',
      href: 'https://files.example/',
    });
    expect(spoof[1]).toEqual({ kind: 'text', text: '\u202Egpj.exe' });
  });

  it('keeps brackets the URL opened and drops the ones around it', () => {
    expect(
      splitLinks('(see https://en.example/wiki/Foo_(bar))').find((p) => p.kind === 'link'),
    ).toMatchObject({ text: 'https://en.example/wiki/Foo_(bar)' });
    expect(splitLinks('(https://a.example/x)').find((p) => p.kind === 'link')).toMatchObject({
      text: 'https://a.example/x',
    });
  });

  it('gives back the original text when joined', () => {
    for (const text of [
      '',
      'plain',
      'a https://x.example/b?c=d#e, and https://y.example!',
      '<img src=x onerror=alert(1)> https://ok.example',
      '\u202Eevil https://ok.example\u202C end',
    ]) {
      expect(joined(text)).toBe(text);
    }
  });
});

describe('safeLinkHref', () => {
  it('accepts only absolute http(s) URLs with a host', () => {
    expect(safeLinkHref('https://a.example/b')).toBe('https://a.example/b');
    expect(safeLinkHref('javascript:alert(1)')).toBeNull();
    expect(safeLinkHref('https://')).toBeNull();
    expect(safeLinkHref('/relative')).toBeNull();
  });
});
