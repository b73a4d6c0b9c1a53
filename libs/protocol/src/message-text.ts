/**
 * How clients show a message's text, shared so that the widget and the console agree. Text is
 * always rendered as text, never as HTML; only `http:` and `https:` URLs become links.
 */

/** A run of plain text, or a link whose `href` is a normalised http(s) URL. */
export type TextPart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/**
 * Explicit bidirectional formatting characters (embeddings, overrides, isolates and marks).
 * They never belong inside a URL: a link stops before one, so `https://a.example/\u202Egpj.exe`
 * cannot pass off its tail as part of the address.
 */
const BIDI_CONTROLS = '\\u200E\\u200F\\u061C\\u202A-\\u202E\\u2066-\\u2069';

/** `http://` or `https://` and everything up to whitespace, a control or a bidi character. */
const URL_PATTERN = new RegExp(
  `\\bhttps?://[^\\s<>"'\`\\u0000-\\u001F\\u007F${BIDI_CONTROLS}]+`,
  'gi',
);

/** Characters that usually end a sentence rather than a URL. */
const TRAILING = /[.,;:!?]+$/;

function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  // A closing bracket belongs to the URL only when the URL opened one.
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (url.endsWith(close) && url.split(open).length < url.split(close).length) {
      url = url.slice(0, -1).replace(TRAILING, '');
    }
  }
  return url;
}

/** The normalised URL when `text` is an absolute http(s) URL with a host, otherwise `null`. */
export function safeLinkHref(text: string): string | null {
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** Splits message text into plain runs and http(s) links, in order; joined, the parts give back the text. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const candidate = trimUrl(match[0]);
    const href = safeLinkHref(candidate);
    if (!href) continue;
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
