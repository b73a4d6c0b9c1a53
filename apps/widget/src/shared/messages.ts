/**
 * The messages the loader (on the host page) and the chat frame (on the API origin) exchange
 * with `postMessage`. Every message carries `v`, the version of this map; a receiver ignores
 * versions it does not know, so an old cached loader and a new frame fail quietly, not loudly.
 *
 * Loader → frame
 * - `parley:open`   the visitor opened the panel.
 * - `parley:close`  the panel was closed.
 * - `parley:page`   the host page's current URL (sent on `parley:ready` and after every navigation).
 * - `parley:state`  what the host page remembers of this visitor (sent on `parley:ready`). Browsers
 *                   that block third-party storage leave the frame none of its own, so the visitor's
 *                   token lives in the host page's first-party storage, kept by the loader.
 * - `parley:identify`  the host page's signed-in user, from `Parley.identify(...)` (sent on
 *                   `parley:ready`, before `parley:state`, and on every call); no fields: forget it.
 * - `parley:attributes`  custom attributes from `Parley.setAttributes(...)` (sent on every call, and
 *                   all of them on `parley:ready`); the frame validates them and stores them on the visitor.
 * - `parley:reset`  `Parley.reset()` (the host page's user signed out): forget the visitor and its
 *                   conversations and start afresh as a new anonymous visitor.
 *
 * Frame → loader
 * - `parley:ready`          the frame listens; the loader may now post to it.
 * - `parley:close-request`  the visitor pressed "Close chat" (or Escape) inside the frame.
 * - `parley:unread`         agent messages that arrived while the panel was closed.
 * - `parley:connection`     the frame's connection state, for the launcher.
 * - `parley:persist`        what the loader should remember of this visitor for the next page load.
 * - `parley:launcher`       how the loader draws the launcher: its stylesheet, label and side (sent
 *                           once the frame has the site's settings, and again when they change).
 * - `parley:event`          an SDK event for the host page's handlers (`Parley.on`): `message`
 *                           (a message committed in the visitor's conversation) or `error`.
 *
 * This file is part of the loader bundle: it must stay free of runtime imports.
 */
export const MESSAGE_VERSION = 1;

/** The frame's connection to the server, as people should see it. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unavailable';

const CONNECTION_STATES: readonly string[] = [
  'idle',
  'connecting',
  'connected',
  'reconnecting',
  'unavailable',
] satisfies ConnectionState[];

/** What is remembered of a visitor between page loads: its token and whether a conversation is open. */
export interface VisitorMemory {
  token: string | null;
  open: boolean;
}

/** The identity a host page passed to `Parley.identify`, reduced to its string fields. */
export type IdentityClaim = Partial<Record<'userId' | 'email' | 'name' | 'userHash', string>>;

const IDENTITY_FIELDS = ['userId', 'email', 'name', 'userHash'] as const;

/** Keeps the known string fields of whatever a page passed (which must survive `postMessage`). */
export function identityClaimOf(value: unknown): IdentityClaim {
  const fields = (typeof value === 'object' && value ? value : {}) as Fields;
  const claim: IdentityClaim = {};
  for (const key of IDENTITY_FIELDS) {
    const field = fields[key];
    if (typeof field === 'string') claim[key] = field;
  }
  return claim;
}

/** The launcher as the site's settings describe it; `css` replaces the loader's stylesheet. */
export interface LauncherAppearance {
  css: string;
  label: string;
  position: 'left' | 'right';
}

/** A message of the visitor's conversation, as the host page's `message` handlers receive it. */
export interface SdkMessage {
  id: string;
  conversationId: string;
  seq: number;
  /** Who wrote it: `VISITOR`, `AGENT` or `SYSTEM`. */
  authorKind: string;
  authorName: string | null;
  body: string;
  createdAt: string;
}

/** Something the widget could not do, as the host page's `error` handlers receive it. */
export interface SdkError {
  code: string;
  message: string;
}

/** The SDK events the frame reports; the loader adds `ready`, `open`, `close`, `unreadCountChange`. */
export type FrameEvent = { name: 'message'; data: SdkMessage } | { name: 'error'; data: SdkError };

const FRAME_EVENTS: readonly string[] = ['message', 'error'] satisfies FrameEvent['name'][];

export type LoaderToFrameMessage =
  | { type: 'parley:reset' }
  | { type: 'parley:attributes'; attributes: Record<string, unknown> }
  | { type: 'parley:open' }
  | { type: 'parley:close' }
  | { type: 'parley:page'; url: string }
  | { type: 'parley:identify'; identity: IdentityClaim }
  | ({ type: 'parley:state' } & VisitorMemory);

export type FrameToLoaderMessage =
  | { type: 'parley:ready' }
  | { type: 'parley:close-request' }
  | { type: 'parley:unread'; count: number }
  | { type: 'parley:connection'; state: ConnectionState }
  | ({ type: 'parley:persist' } & VisitorMemory)
  | ({ type: 'parley:event' } & FrameEvent)
  | ({ type: 'parley:launcher' } & LauncherAppearance);

/** A message as it travels: the payload plus the version of this map. */
export type Envelope<M> = M & { v: typeof MESSAGE_VERSION };

export function envelope<M extends { type: string }>(message: M): Envelope<M> {
  return { ...message, v: MESSAGE_VERSION };
}

type Fields = Partial<Record<string, unknown>>;

function memoryOf(m: Fields): VisitorMemory | null {
  const token = m.token;
  const validToken = token === null || (typeof token === 'string' && /^[\w-]{1,128}$/.test(token));
  return validToken && typeof m.open === 'boolean' ? { token: token, open: m.open } : null;
}

function fieldsOf(data: unknown): Fields | null {
  if (typeof data !== 'object' || data === null) return null;
  const fields = data as Fields;
  return fields.v === MESSAGE_VERSION && typeof fields.type === 'string' ? fields : null;
}

/** Reads a message the loader received from the frame; `null` for anything else. */
export function parseFrameMessage(data: unknown): FrameToLoaderMessage | null {
  const m = fieldsOf(data);
  switch (m?.type) {
    case 'parley:ready':
    case 'parley:close-request':
      return { type: m.type };
    case 'parley:unread': {
      const count = m.count;
      return typeof count === 'number' && Number.isInteger(count) && count >= 0
        ? { type: m.type, count }
        : null;
    }
    case 'parley:persist': {
      const memory = memoryOf(m);
      return memory ? { type: m.type, ...memory } : null;
    }
    case 'parley:launcher': {
      const { css, label, position } = m;
      return typeof css === 'string' &&
        typeof label === 'string' &&
        (position === 'left' || position === 'right')
        ? { type: m.type, css, label, position }
        : null;
    }
    case 'parley:event':
      return typeof m.name === 'string' &&
        FRAME_EVENTS.includes(m.name) &&
        typeof m.data === 'object' &&
        m.data !== null
        ? ({ type: m.type, name: m.name, data: m.data } as FrameToLoaderMessage)
        : null;
    case 'parley:connection': {
      const state = m.state;
      return typeof state === 'string' && CONNECTION_STATES.includes(state)
        ? { type: m.type, state: state as ConnectionState }
        : null;
    }
    default:
      return null;
  }
}

/** Reads a message the frame received from the loader; `null` for anything else. */
export function parseLoaderMessage(data: unknown): LoaderToFrameMessage | null {
  const m = fieldsOf(data);
  switch (m?.type) {
    case 'parley:open':
    case 'parley:close':
    case 'parley:reset':
      return { type: m.type };
    case 'parley:page':
      return typeof m.url === 'string' ? { type: m.type, url: m.url } : null;
    case 'parley:state': {
      const memory = memoryOf(m);
      return memory ? { type: m.type, ...memory } : null;
    }
    case 'parley:identify':
      return { type: m.type, identity: identityClaimOf(m.identity) };
    case 'parley:attributes':
      return typeof m.attributes === 'object' && m.attributes !== null
        ? { type: m.type, attributes: m.attributes as Record<string, unknown> }
        : null;
    default:
      return null;
  }
}
