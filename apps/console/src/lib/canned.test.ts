import type { CannedResponse } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { insertCanned, matchingCanned, shortcutQuery } from './canned';

const canned = (shortcut: string, body = `${shortcut} text`): CannedResponse => ({
  id: shortcut,
  shortcut,
  body,
  updatedAt: '2025-03-10T12:00:00.000Z',
});

describe('canned responses in the composer', () => {
  it('finds the /shortcut typed at the end, at the start or after a space only', () => {
    expect(shortcutQuery('/ref')).toBe('ref');
    expect(shortcutQuery('Hello /')).toBe('');
    expect(shortcutQuery('Thanks!\n/hours-eu')).toBe('hours-eu');
    expect(shortcutQuery('see https://x.example/ref')).toBeNull();
    expect(shortcutQuery('/ref then more')).toBeNull();
    expect(shortcutQuery('no shortcut')).toBeNull();
  });

  it('matches by prefix, the exact shortcut first', () => {
    const all = [canned('refund-eu'), canned('refund'), canned('hours')];
    expect(matchingCanned(all, 'ref').map((c) => c.shortcut)).toEqual(['refund-eu', 'refund']);
    expect(matchingCanned(all, 'refund').map((c) => c.shortcut)).toEqual(['refund', 'refund-eu']);
    expect(matchingCanned(all, 'x')).toEqual([]);
  });

  it('replaces the shortcut with the text and keeps what came before', () => {
    expect(insertCanned('Hi Lin, /ref', canned('refund', 'Your refund is on its way.'))).toBe(
      'Hi Lin, Your refund is on its way.',
    );
  });
});
