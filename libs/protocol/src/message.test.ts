import { describe, expect, it } from 'vitest';
import { issuesToDetails } from './ack';
import { Limits } from './limits';
import { AgentSendMessageSchema, SyncRequestSchema, VisitorSendMessageSchema } from './message';

describe('message schemas', () => {
  it('accepts a well-formed visitor message and trims its body', () => {
    const parsed = VisitorSendMessageSchema.parse({
      clientMessageId: 'abcdefgh-1',
      body: '  hello  ',
    });
    expect(parsed).toEqual({ clientMessageId: 'abcdefgh-1', body: 'hello' });
  });

  it('rejects an empty or whitespace-only body', () => {
    const result = VisitorSendMessageSchema.safeParse({
      clientMessageId: 'abcdefgh-1',
      body: '   ',
    });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(issuesToDetails(result.error)).toEqual({ body: 'message is empty' });
  });

  it('rejects a body over the limit with a message naming the limit', () => {
    const body = 'x'.repeat(Limits.messageBodyMax + 1);
    const result = AgentSendMessageSchema.safeParse({
      conversationId: 'c1',
      clientMessageId: 'abcdefgh',
      body,
    });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(issuesToDetails(result.error).body).toContain(String(Limits.messageBodyMax));
  });

  it('requires a conversation id from agents', () => {
    const result = AgentSendMessageSchema.safeParse({ clientMessageId: 'abcdefgh', body: 'hi' });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(Object.keys(issuesToDetails(result.error))).toEqual(['conversationId']);
  });

  it('rejects client message ids with characters outside the safe set', () => {
    for (const clientMessageId of ['short', 'has space 123', '__proto__/../x', 'x'.repeat(65)]) {
      expect(VisitorSendMessageSchema.safeParse({ clientMessageId, body: 'hi' }).success).toBe(
        false,
      );
    }
  });

  it('defaults afterSeq to 0 and refuses negative or fractional values', () => {
    expect(SyncRequestSchema.parse({ conversationId: 'c1' })).toEqual({
      conversationId: 'c1',
      afterSeq: 0,
    });
    expect(SyncRequestSchema.safeParse({ conversationId: 'c1', afterSeq: -1 }).success).toBe(false);
    expect(SyncRequestSchema.safeParse({ conversationId: 'c1', afterSeq: 1.5 }).success).toBe(
      false,
    );
  });
});
