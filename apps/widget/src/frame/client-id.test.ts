import { ClientMessageIdSchema } from '@parley/protocol';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newClientMessageId } from './client-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newClientMessageId', () => {
  it('uses randomUUID when the context has it', () => {
    const id = newClientMessageId(webcrypto);
    expect(id).toMatch(UUID_V4);
    expect(ClientMessageIdSchema.safeParse(id).success).toBe(true);
  });

  it('builds a valid v4 UUID without randomUUID (plain http)', () => {
    const insecure = { getRandomValues: webcrypto.getRandomValues.bind(webcrypto) };
    const ids = new Set(Array.from({ length: 50 }, () => newClientMessageId(insecure)));
    expect(ids.size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(UUID_V4);
      expect(ClientMessageIdSchema.safeParse(id).success).toBe(true);
    }
  });
});
