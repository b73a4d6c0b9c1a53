import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidUserHash, newIdentitySecret, userHashOf } from './identity';

describe('identity verification', () => {
  it('computes the HMAC-SHA256 of the user id keyed with the secret, as documented', () => {
    const secret = newIdentitySecret();
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(userHashOf(secret, 'user-42')).toBe(
      createHmac('sha256', secret).update('user-42').digest('hex'),
    );
  });

  it('accepts only the hash of that user id with that secret', () => {
    const secret = newIdentitySecret();
    const hash = userHashOf(secret, 'user-42');
    expect(isValidUserHash(secret, 'user-42', hash)).toBe(true);
    expect(isValidUserHash(secret, 'user-42', hash.toUpperCase())).toBe(true);
    expect(isValidUserHash(secret, 'user-43', hash)).toBe(false);
    expect(isValidUserHash(newIdentitySecret(), 'user-42', hash)).toBe(false);
    expect(isValidUserHash(secret, 'user-42', hash.slice(0, 63))).toBe(false);
    expect(isValidUserHash(secret, 'user-42', '')).toBe(false);
  });
});
