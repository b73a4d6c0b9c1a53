import { describe, expect, it } from 'vitest';
import { readFrameParams } from './params';

describe('readFrameParams', () => {
  it('reads the site key and the parent origin', () => {
    expect(readFrameParams('?siteKey=site_1&origin=https%3A%2F%2Fshop.example')).toEqual({
      ok: true,
      params: { siteKey: 'site_1', parentOrigin: 'https://shop.example' },
    });
  });

  it('refuses a missing or malformed site key', () => {
    expect(readFrameParams('?origin=https%3A%2F%2Fshop.example')).toEqual({
      ok: false,
      error: 'missing or malformed siteKey',
    });
    expect(readFrameParams('?siteKey=a%20b&origin=https%3A%2F%2Fshop.example').ok).toBe(false);
  });

  it('refuses anything but an exact origin, since it becomes the postMessage target', () => {
    for (const origin of [
      '',
      '*',
      'null',
      'https://shop.example/',
      'https://shop.example/page',
      'javascript:alert(1)',
    ]) {
      expect(readFrameParams(`?siteKey=k&origin=${encodeURIComponent(origin)}`)).toEqual({
        ok: false,
        error: 'missing or malformed origin',
      });
    }
  });
});
