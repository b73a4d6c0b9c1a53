import { describe, expect, it } from 'vitest';
import { type KeyInput, neighbour, shortcutFor } from './shortcuts';

function key(k: string, extra: Partial<KeyInput> = {}): KeyInput {
  return { key: k, altKey: false, ctrlKey: false, metaKey: false, target: document.body, ...extra };
}

describe('shortcutFor', () => {
  it('maps the single keys and the modified arrows and Ctrl+K', () => {
    expect(['j', 'k', 'e', 'a', 'r', '/', '?'].map((k) => shortcutFor(key(k)))).toEqual([
      'next',
      'previous',
      'resolve',
      'assignToMe',
      'focusComposer',
      'search',
      'help',
    ]);
    expect(shortcutFor(key('ArrowDown', { altKey: true }))).toBe('next');
    expect(shortcutFor(key('ArrowUp', { altKey: true }))).toBe('previous');
    expect(shortcutFor(key('k', { ctrlKey: true }))).toBe('search');
    expect(shortcutFor(key('K', { metaKey: true }))).toBe('search');
  });

  it('ignores other keys and other modifiers', () => {
    expect(shortcutFor(key('x'))).toBeNull();
    expect(shortcutFor(key('ArrowDown'))).toBeNull();
    expect(shortcutFor(key('j', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('e', { metaKey: true }))).toBeNull();
    expect(shortcutFor(key('k', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(key('j', { isComposing: true }))).toBeNull();
  });

  it('never fires while typing in a field', () => {
    const fields = [
      document.createElement('textarea'),
      document.createElement('select'),
      Object.assign(document.createElement('input'), { type: 'search' }),
      Object.assign(document.createElement('input'), { type: 'text' }),
    ];
    for (const target of fields) {
      expect(shortcutFor(key('j', { target })), target.tagName).toBeNull();
      expect(shortcutFor(key('k', { target, ctrlKey: true })), target.tagName).toBeNull();
      expect(shortcutFor(key('ArrowDown', { target, altKey: true })), target.tagName).toBeNull();
    }
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    document.body.append(editable);
    expect(shortcutFor(key('e', { target: editable }))).toBeNull();
    editable.remove();
    // A checkbox or a button takes no typing: shortcuts work there.
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    expect(shortcutFor(key('j', { target: checkbox }))).toBe('next');
    expect(shortcutFor(key('j', { target: document.createElement('button') }))).toBe('next');
  });
});

describe('neighbour', () => {
  const ids = ['a', 'b', 'c'];
  it('steps through the list and stops at its ends', () => {
    expect(neighbour(ids, 'a', 1)).toBe('b');
    expect(neighbour(ids, 'b', -1)).toBe('a');
    expect(neighbour(ids, 'c', 1)).toBeNull();
    expect(neighbour(ids, 'a', -1)).toBeNull();
  });

  it('starts at the first or last when nothing (or something not listed) is open', () => {
    expect(neighbour(ids, null, 1)).toBe('a');
    expect(neighbour(ids, null, -1)).toBe('c');
    expect(neighbour(ids, 'gone', 1)).toBe('a');
    expect(neighbour([], null, 1)).toBeNull();
  });
});
