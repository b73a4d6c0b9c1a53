import { describe, expect, it } from 'vitest';
import { readIdentity } from './host-input';
import { sameIdentity } from './identity';

const HASH = 'a'.repeat(64);

describe('readIdentity', () => {
  it('reads a full identity and an empty one', () => {
    expect(
      readIdentity({ userId: 'u1', email: 'ada@shop.example', name: 'Ada', userHash: HASH }),
    ).toEqual({
      ok: true,
      identity: { userId: 'u1', email: 'ada@shop.example', name: 'Ada', userHash: HASH },
    });
    expect(readIdentity({})).toEqual({ ok: true, identity: null });
  });

  it('explains what is wrong with a bad one', () => {
    const missing = readIdentity({ email: 'ada@shop.example' });
    expect(missing).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Parley\.identify\(\) was ignored: userId: /),
    });
    expect(readIdentity({ userId: 'u1', userHash: 'abc' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('userHash'),
    });
    expect(readIdentity({ userId: 'u1', email: 'not an email' })).toMatchObject({ ok: false });
  });
});

describe('sameIdentity', () => {
  it('compares every field', () => {
    expect(sameIdentity(null, null)).toBe(true);
    expect(sameIdentity({ userId: 'a' }, null)).toBe(false);
    expect(sameIdentity({ userId: 'a', userHash: HASH }, { userId: 'a', userHash: HASH })).toBe(
      true,
    );
    expect(sameIdentity({ userId: 'a' }, { userId: 'a', name: 'Ada' })).toBe(false);
  });
});
