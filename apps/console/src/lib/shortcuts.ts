/** The console's keyboard shortcuts: which key does what, and when a key is a shortcut at all. */

export type ShortcutAction =
  'next' | 'previous' | 'resolve' | 'assignToMe' | 'focusComposer' | 'search' | 'help';

export interface ShortcutDescription {
  action: ShortcutAction;
  /** Keys as shown in the help (either one works). */
  keys: string[];
  description: string;
}

/** What the help overlay lists, in this order. */
export const SHORTCUTS: ShortcutDescription[] = [
  { action: 'next', keys: ['j', 'Alt+↓'], description: 'Next conversation' },
  { action: 'previous', keys: ['k', 'Alt+↑'], description: 'Previous conversation' },
  { action: 'resolve', keys: ['e'], description: 'Resolve the conversation' },
  { action: 'assignToMe', keys: ['a'], description: 'Assign the conversation to me' },
  { action: 'focusComposer', keys: ['r'], description: 'Write a reply' },
  { action: 'search', keys: ['/', 'Ctrl+K'], description: 'Search conversations' },
  { action: 'help', keys: ['?'], description: 'Show keyboard shortcuts' },
];

/** The parts of a keyboard event the shortcuts look at. */
export interface KeyInput {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  isComposing?: boolean;
  target: EventTarget | null;
}

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'password',
  'url',
  'tel',
  'number',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
]);

/** Focus is in something that takes typing: a text field, a text area, a list box, editable text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type);
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  return target.closest('[contenteditable=""], [contenteditable="true"]') !== null;
}

/**
 * The action of a key press, or null. Nothing fires while the agent types in a field (Escape is
 * left to the field itself), during an IME composition, or with modifiers other than the ones a
 * shortcut names.
 */
export function shortcutFor(event: KeyInput): ShortcutAction | null {
  if (event.isComposing) return null;
  if (isTypingTarget(event.target)) return null;
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    if (event.key === 'ArrowDown') return 'next';
    if (event.key === 'ArrowUp') return 'previous';
    return null;
  }
  if ((event.ctrlKey || event.metaKey) && !event.altKey) {
    return event.key.toLowerCase() === 'k' ? 'search' : null;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'e':
      return 'resolve';
    case 'a':
      return 'assignToMe';
    case 'r':
      return 'focusComposer';
    case '/':
      return 'search';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/**
 * The conversation after (`1`) or before (`-1`) the active one in the list; the first (or last)
 * when none is active; null at either end or in an empty list.
 */
export function neighbour(
  ids: string[],
  activeId: string | null,
  direction: 1 | -1,
): string | null {
  if (ids.length === 0) return null;
  const index = activeId === null ? -1 : ids.indexOf(activeId);
  if (index === -1) return (direction === 1 ? ids[0] : ids.at(-1)) ?? null;
  return ids[index + direction] ?? null;
}
