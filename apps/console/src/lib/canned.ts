import type { CannedResponse } from '@parley/protocol';

/** The `/shortcut` being typed at the end of the text, or null when there is none. */
export function shortcutQuery(text: string): string | null {
  const match = /(?:^|\s)\/([a-z0-9_-]*)$/.exec(text);
  return match ? (match[1] ?? '') : null;
}

/** Canned responses whose shortcut starts with the query, exact match first. */
export function matchingCanned(canned: readonly CannedResponse[], query: string): CannedResponse[] {
  return canned
    .filter((c) => c.shortcut.startsWith(query))
    .sort((a, b) => Number(b.shortcut === query) - Number(a.shortcut === query));
}

/** The text with its trailing `/shortcut` replaced by the canned response's body. */
export function insertCanned(text: string, canned: CannedResponse): string {
  return text.replace(/\/[a-z0-9_-]*$/, canned.body);
}
