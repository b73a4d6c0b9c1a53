import type {
  AgentsAvailability,
  ApiError,
  Attachment,
  ClientTransportConfig,
  Message,
  ReadUpdate,
  SendMessageResult,
  SyncResult,
  TypingUpdate,
  UploadAttachmentResponse,
  VisitorConversation,
  VisitorConversationList,
  VisitorSession,
  WidgetConfig,
  WidgetSettings,
} from '@parley/protocol';

/**
 * What the frame checks of what its own server sends. The server validates everything it receives
 * and builds what it sends from the contract's zod schemas; the frame does not carry zod (it would
 * double the frame's weight), so it checks the shape of what it reads, enough never to trip over a
 * malformed answer, and drops anything else, as it did when a schema refused.
 */
export type Check<T> = (value: unknown) => value is T;

type Unchecked = (value: unknown) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const string: Unchecked = (value) => typeof value === 'string';
const number: Unchecked = (value) => typeof value === 'number' && Number.isFinite(value);
const boolean: Unchecked = (value) => typeof value === 'boolean';
const nullable =
  (check: Unchecked): Unchecked =>
  (value) =>
    value === null || check(value);
const optional =
  (check: Unchecked): Unchecked =>
  (value) =>
    value === undefined || check(value);
const arrayOf =
  (check: Unchecked): Unchecked =>
  (value) =>
    Array.isArray(value) && value.every(check);
const oneOf =
  (...values: readonly string[]): Unchecked =>
  (value) =>
    typeof value === 'string' && values.includes(value);

/** An object whose listed fields pass their checks (other fields are not looked at). */
function shape<T>(fields: Record<string, Unchecked>): Check<T> {
  return (value): value is T =>
    isRecord(value) && Object.entries(fields).every(([key, check]) => check(value[key]));
}

export const isApiError = shape<ApiError>({ code: string, message: string });

export const isErrorResponse = shape<{ error: ApiError }>({ error: isApiError });

export const isAttachment = shape<Attachment>({
  id: string,
  name: string,
  contentType: string,
  size: number,
});

export const isUploadAttachmentResponse = shape<UploadAttachmentResponse>({
  attachment: isAttachment,
});

export const isMessage = shape<Message>({
  id: string,
  conversationId: string,
  seq: number,
  authorKind: oneOf('VISITOR', 'AGENT', 'SYSTEM'),
  authorName: nullable(string),
  body: string,
  clientMessageId: string,
  createdAt: string,
  attachments: optional(arrayOf(isAttachment)),
});

export const isVisitorConversation = shape<VisitorConversation>({
  id: string,
  status: string,
  lastSeq: number,
  createdAt: string,
  agentLastReadSeq: optional(number),
  satisfactionRating: optional(nullable(number)),
});

export const isVisitorConversationList = shape<VisitorConversationList>({
  conversations: arrayOf(isVisitorConversation),
});

export const isVisitorSession = shape<VisitorSession>({
  visitorToken: optional(string),
  name: nullable(string),
  email: nullable(string),
  conversations: arrayOf(isVisitorConversation),
  attachmentKey: optional(string),
});

export const isAgentsAvailability = shape<AgentsAvailability>({ agentsOnline: boolean });

export const isTypingUpdate = shape<TypingUpdate>({
  conversationId: string,
  author: string,
  name: nullable(string),
  typing: boolean,
});

export const isReadUpdate = shape<ReadUpdate>({
  conversationId: string,
  reader: string,
  seq: number,
});

export const isWidgetSettings = shape<WidgetSettings>({
  title: string,
  greeting: string,
  // Written into the chat's and the launcher's CSS: only a colour gets through.
  color: (value) => typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value),
  position: oneOf('right', 'left'),
  launcherLabel: string,
  theme: oneOf('light', 'dark', 'auto'),
});

export const isClientTransportConfig = shape<ClientTransportConfig>({
  transports: (value) =>
    arrayOf(oneOf('polling', 'websocket'))(value) && (value as unknown[]).length > 0,
  upgrade: boolean,
  reconnectionDelayMs: number,
  reconnectionDelayMaxMs: number,
});

export const isWidgetConfig = shape<WidgetConfig>({
  widget: isWidgetSettings,
  transport: isClientTransportConfig,
  availability: optional(
    shape({
      agentsOnline: boolean,
      withinHours: boolean,
      nextOpenAt: nullable(string),
      hideLauncher: boolean,
      hideLauncherWhenOffline: boolean,
    }),
  ),
  preChat: optional(
    shape({
      name: oneOf('off', 'optional', 'required'),
      email: oneOf('off', 'optional', 'required'),
    }),
  ),
  attachmentMaxBytes: optional(number),
});

export const isSendMessageResult = shape<SendMessageResult>({
  conversationId: string,
  message: isMessage,
});

export const isSyncResult = shape<SyncResult>({ messages: arrayOf(isMessage), lastSeq: number });

/** An ack (`{ ok: true, data }` or `{ ok: false, error }`) whose data passes `data`. */
export function isAck<T>(
  data: Check<T>,
): Check<{ ok: true; data: T } | { ok: false; error: ApiError }> {
  return (value): value is { ok: true; data: T } | { ok: false; error: ApiError } =>
    isRecord(value) &&
    (value['ok'] === true
      ? data(value['data'])
      : value['ok'] === false && isApiError(value['error']));
}
