import { describe, expect, it } from 'vitest';
import { originsFromText } from './origins';

describe('originsFromText', () => {
  it('reads one origin per line, ignoring blanks, commas and repeats', () => {
    expect(
      originsFromText('https://a.example\n\n  https://b.example , https://a.example\n'),
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(originsFromText('   ')).toEqual([]);
  });
});
