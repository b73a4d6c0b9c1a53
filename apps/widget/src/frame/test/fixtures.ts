import {
  DEFAULT_WIDGET_SETTINGS,
  type Message,
  type VisitorConversation,
  type WidgetConfig,
} from '@parley/protocol';

export const widgetConfig: WidgetConfig = {
  siteKey: 'site_1',
  siteName: 'Shop',
  widget: { ...DEFAULT_WIDGET_SETTINGS, title: 'Talk to Shop', greeting: 'Hello there!' },
  transport: {
    mode: 'auto',
    transports: ['polling', 'websocket'],
    upgrade: true,
    reconnectionDelayMs: 1000,
    reconnectionDelayMaxMs: 5000,
  },
};

export function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    authorKind: 'AGENT',
    authorId: 'a1',
    authorName: 'Ada',
    body: `message ${seq}`,
    internal: false,
    clientMessageId: `client-${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 12, seq)).toISOString(),
    ...overrides,
  };
}

export function conversation(
  id: string,
  overrides: Partial<VisitorConversation> = {},
): VisitorConversation {
  return {
    id,
    status: 'OPEN',
    lastSeq: 0,
    lastMessageAt: null,
    createdAt: '2025-01-01T12:00:00.000Z',
    ...overrides,
  };
}
