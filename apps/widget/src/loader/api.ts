/**
 * The page-facing API: one namespaced global, `window.Parley`.
 *
 * Pages may call it before the loader has arrived, with either stub:
 *
 *   window.Parley = window.Parley || [];  Parley.push(['open']);
 *   window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };
 *
 * Once loaded, `Parley('open')`, `Parley.open()` and `Parley.push(['open'])` all work.
 * `identify` takes the signed-in user: `Parley.identify({ userId, email, name, userHash })`;
 * `setAttributes({ plan: 'pro' })` stores custom attributes on the visitor; `setLocale('fr')` sets
 * the chat's language (a malformed tag throws); `reset()` forgets the visitor (sign-out); `shutdown()` removes the widget from the page;
 * `on(event, handler)` and `off(event, handler)` follow the widget's events (`EVENTS`).
 */
import type { IdentityClaim, SdkError, SdkMessage } from '../shared/messages';

export const METHODS = [
  'open',
  'close',
  'toggle',
  'identify',
  'setAttributes',
  'setLocale',
  'reset',
  'shutdown',
  'on',
  'off',
] as const;
export type Method = (typeof METHODS)[number];
export type Commands = Record<Method, (arg?: unknown, handler?: unknown) => void>;

/** The events a page can follow with `Parley.on(name, handler)`. */
export const EVENTS = ['ready', 'open', 'close', 'message', 'unreadCountChange', 'error'] as const;
export type EventName = (typeof EVENTS)[number];

/** What each event's handler receives. */
export interface EventData {
  ready: undefined;
  open: undefined;
  close: undefined;
  message: SdkMessage;
  unreadCountChange: number;
  error: SdkError;
}

/** The SDK as a TypeScript page sees it: `declare const Parley: ParleySdk`. */
export interface ParleySdk {
  open(): void;
  close(): void;
  toggle(): void;
  identify(user: IdentityClaim | null): void;
  /** Custom attributes stored on the visitor; `null` removes one. */
  setAttributes(attributes: Record<string, string | number | boolean | null>): void;
  /** The chat's language, a tag such as `fr` or `en-GB` (English and French are spoken). */
  setLocale(locale: string): void;
  reset(): void;
  shutdown(): void;
  on<E extends EventName>(event: E, handler: (data: EventData[E]) => void): void;
  off<E extends EventName>(event: E, handler: (data: EventData[E]) => void): void;
}

/** The global once the loader has run. `loaded` tells it apart from a page's stub. */
export interface ParleyApi extends Commands {
  (method: unknown, arg?: unknown, handler?: unknown): void;
  push(call: ArrayLike<unknown>): void;
  readonly loaded: true;
}

export function assertMethod(name: unknown): asserts name is Method {
  if (typeof name !== 'string' || !(METHODS as readonly string[]).includes(name)) {
    throw new Error(
      `Parley: unknown method "${String(name)}"; expected one of ${METHODS.join(', ')}`,
    );
  }
}

export function isParleyApi(value: unknown): value is ParleyApi {
  return typeof value === 'function' && (value as Partial<ParleyApi>).loaded === true;
}

export function createApi(commands: Commands): ParleyApi {
  const call = (method: unknown, arg?: unknown, handler?: unknown): void => {
    assertMethod(method);
    commands[method](arg, handler);
  };
  return Object.assign(call, commands, {
    push: (entry: ArrayLike<unknown>) => {
      call(entry[0], entry[1], entry[2]);
    },
    loaded: true as const,
  });
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { length?: unknown }).length === 'number'
  );
}

/**
 * The calls a page queued before the loader arrived: `null` when the existing value is neither
 * absent nor one of the two stubs (someone else owns `window.Parley`).
 */
export function queuedCalls(existing: unknown): ArrayLike<unknown>[] | null {
  if (existing === undefined || existing === null) return [];
  const queue: unknown = Array.isArray(existing)
    ? existing
    : typeof existing === 'function'
      ? ((existing as { q?: unknown }).q ?? [])
      : undefined;
  if (!Array.isArray(queue)) return null;
  return queue.filter(isArrayLike);
}

/** Replays queued calls in order; a bad entry is reported and does not stop the others. */
export function replay(
  calls: readonly ArrayLike<unknown>[],
  api: ParleyApi,
  report: (error: unknown) => void,
): void {
  for (const entry of calls) {
    try {
      api.push(entry);
    } catch (error) {
      report(error);
    }
  }
}
