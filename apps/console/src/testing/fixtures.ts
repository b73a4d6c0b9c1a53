import type { Agent, Conversation, Message } from '@parley/protocol';
import type { ConsoleApi } from '../api/console-api';

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
    visitorLastReadSeq: 0,
    agentLastReadSeq: 0,
    satisfaction: null,
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

/**
 * A `ConsoleApi` for page tests: the given methods, and every other one rejecting ("not used by
 * this page"), so adding a method to the API does not touch every page's test.
 */
export function fakeApi(methods: Partial<ConsoleApi>): ConsoleApi {
  const unused = () => Promise.reject(new Error('not used by this page'));
  return new Proxy(methods, {
    get: (target, key) => (target as Record<PropertyKey, unknown>)[key] ?? unused,
  }) as ConsoleApi;
}
