/**
 * Origin checks shared by both sides of the `postMessage` channel. This file is part of the
 * loader bundle: keep it free of runtime imports.
 */

/** The fields of a `MessageEvent` that decide whether it is trusted. */
export interface MessageEventLike {
  readonly origin: string;
  readonly source: unknown;
}

/**
 * A message is trusted only when it comes from the expected origin AND from the expected window
 * (another frame of the same origin on the page must not be able to drive the widget).
 */
export function isTrustedMessage(
  event: MessageEventLike,
  expectedOrigin: string,
  expectedSource: unknown,
): boolean {
  return (
    expectedSource != null && event.source === expectedSource && event.origin === expectedOrigin
  );
}

/** The origin of an absolute http(s) URL, or `null` when the text is not one. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** True when the text is exactly an origin such as `https://shop.example` (no path, no slash). */
export function isOrigin(value: string): boolean {
  return originOf(value) === value;
}
