import type { Agent, Conversation, Message } from '@parley/protocol';

export const agent: Agent = {
  id: 'agent-1',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'AGENT',
};

export const admin: Agent = {
  id: 'admin-1',
  email: 'admin@example.com',
  name: 'Grace',
  role: 'ADMIN',
};

const BASE_TIME = Date.parse('2025-03-10T12:00:00.000Z');

/** A timestamp `minutes` after a fixed base time. */
export function at(minutes: number): string {
  return new Date(BASE_TIME + minutes * 60_000).toISOString();
}

export function makeMessage(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m-${overrides.conversationId ?? 'c1'}-${String(seq)}`,
    conversationId: 'c1',
    seq,
    authorKind: 'VISITOR',
    authorId: 'v1',
    authorName: null,
    body: `message ${String(seq)}`,
    internal: false,
    clientMessageId: `client-${overrides.conversationId ?? 'c1'}-${String(seq)}`,
    createdAt: at(seq),
    ...overrides,
  };
}

export function makeConversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return {
    id,
    siteId: 'site-1',
    status: 'OPEN',
    assigneeId: null,
    lastSeq: 1,
    lastMessageAt: at(0),
    lastMessagePreview: 'hello',
    snoozedUntil: null,
    createdAt: at(-60),
    visitor: {
      id: `visitor-${id}`,
      name: null,
      email: null,
      pageUrl: null,
      userAgent: null,
      lastSeenAt: null,
    },
    ...overrides,
  };
}

/** A promise with its resolve and reject exposed, to control when fakes answer. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The value, or a thrown error naming what was missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}`);
  return value;
}
