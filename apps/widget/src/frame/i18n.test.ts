import { describe, expect, it } from 'vitest';
import { pickLocale, STRINGS, type Strings } from './i18n';

describe('the chat frame’s language', () => {
  it('is the first of the browser’s languages it speaks, English otherwise', () => {
    expect(pickLocale(['fr-CA', 'en-US'])).toBe('fr');
    expect(pickLocale(['de-DE', 'FR'])).toBe('fr');
    expect(pickLocale(['en-GB', 'fr'])).toBe('en');
    expect(pickLocale(['de-DE', 'ja'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('has every text in every language', () => {
    for (const strings of [STRINGS.en, STRINGS.fr]) {
      expect(Object.keys(strings).sort()).toEqual(Object.keys(STRINGS.en).sort());
      for (const key of Object.keys(STRINGS.en) as (keyof Strings)[]) {
        expect(strings[key].trim()).not.toBe('');
      }
    }
  });
});
