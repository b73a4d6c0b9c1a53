/**
 * The messages the loader (on the host page) and the chat frame (on the API origin) exchange
 * with `postMessage`. Every message carries `v`, the version of this map; a receiver ignores
 * versions it does not know, so an old cached loader and a new frame fail quietly, not loudly.
 *
 * Loader → frame
 * - `parley:open`   the visitor opened the panel.
 * - `parley:close`  the panel was closed.
 * - `parley:page`   the host page's current URL and `document.referrer` (sent on `parley:ready` and
 *                   after every navigation).
 * - `parley:state`  what the host page remembers of this visitor (sent on `parley:ready`). Browsers
 *                   that block third-party storage leave the frame none of its own, so the visitor's
 *                   token lives in the host page's first-party storage, kept by the loader.
 * - `parley:identify`  the host page's signed-in user, from `Parley.identify(...)` (sent on
 *                   `parley:ready`, before `parley:state`, and on every call); no fields: forget it.
 * - `parley:attributes`  custom attributes from `Parley.setAttributes(...)` (sent on every call, and
 *                   all of them on `parley:ready`); the frame validates them and stores them on the visitor.
 * - `parley:reset`  `Parley.reset()` (the host page's user signed out): forget the visitor and its
 *                   conversations and start afresh as a new anonymous visitor.
 * - `parley:locale` `Parley.setLocale(...)`: the language the chat speaks (sent on every call, and
 *                   on `parley:ready` when one was set); the frame keeps the browser's otherwise.
 *
 * Frame → loader
 * - `parley:ready`          the frame listens; the loader may now post to it.
 * - `parley:close-request`  the visitor pressed "Close chat" (or Escape) inside the frame.
 * - `parley:unread`         agent messages that arrived while the panel was closed or the tab hidden:
 *                           `count` (the badge, and the host page's title once the visitor has
 *                           interacted with the page) and `preview` (the last one's text, shown as
 *                           text in a bubble beside the launcher; empty for none).
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

export type LoaderToFrameMessage =
  | { type: 'parley:reset' }
  | { type: 'parley:locale'; locale: string }
  | { type: 'parley:attributes'; attributes: Record<string, unknown> }
  | { type: 'parley:open' }
  | { type: 'parley:close' }
  | { type: 'parley:page'; url: string; referrer?: string }
  | { type: 'parley:identify'; identity: IdentityClaim }
  | ({ type: 'parley:state' } & VisitorMemory);

export type FrameToLoaderMessage =
  | { type: 'parley:ready' }
  | { type: 'parley:close-request' }
  | { type: 'parley:unread'; count: number; preview: string }
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

/**
 * Reads a message the loader received from the frame; `null` for another version or no message.
 * The loader has already checked that it comes from Parley's frame (origin and source), so this
 * stays small (the loader's size budget): the loader ignores types it does not know, uses the
 * fields only as text, a number or a comparison (never as markup), and what it stores
 * (`parley:persist`) is checked again when read back, by the loader and by the frame.
 */
export function parseFrameMessage(data: unknown): FrameToLoaderMessage | null {
  return fieldsOf(data) as FrameToLoaderMessage | null;
}

/** Reads a message the frame received from the loader; `null` for anything else. */
export function parseLoaderMessage(data: unknown): LoaderToFrameMessage | null {
  const m = fieldsOf(data);
  switch (m?.type) {
    case 'parley:open':
    case 'parley:close':
    case 'parley:reset':
      return { type: m.type };
    case 'parley:locale':
      return typeof m.locale === 'string' ? { type: m.type, locale: m.locale } : null;
    case 'parley:page':
      if (typeof m.url !== 'string') return null;
      return typeof m.referrer === 'string'
        ? { type: m.type, url: m.url, referrer: m.referrer }
        : { type: m.type, url: m.url };
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
