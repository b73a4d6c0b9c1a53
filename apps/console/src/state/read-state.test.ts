import { describe, expect, it } from 'vitest';
import { READ_STATE_MAX_ENTRIES, loadReadState, saveReadState } from './read-state';

describe('read state', () => {
  it('round-trips per agent', () => {
    saveReadState(localStorage, 'agent-a', { c1: 4, c2: 9 });
    expect(loadReadState(localStorage, 'agent-a')).toEqual({ c1: 4, c2: 9 });
    expect(loadReadState(localStorage, 'agent-b')).toEqual({});
  });

  it('ignores garbage', () => {
    localStorage.setItem('parley:console:read:agent-c', '{"c1":"x","c2":-1,"c3":2}');
    expect(loadReadState(localStorage, 'agent-c')).toEqual({ c3: 2 });
    localStorage.setItem('parley:console:read:agent-c', 'not json');
    expect(loadReadState(localStorage, 'agent-c')).toEqual({});
    expect(loadReadState(null, 'agent-c')).toEqual({});
  });

  it('keeps only the newest entries', () => {
    const many: Record<string, number> = {};
    for (let i = 0; i < READ_STATE_MAX_ENTRIES + 5; i++) many[`c${String(i)}`] = 1;
    saveReadState(localStorage, 'agent-d', many);
    const loaded = loadReadState(localStorage, 'agent-d');
    expect(Object.keys(loaded)).toHaveLength(READ_STATE_MAX_ENTRIES);
    expect(loaded['c0']).toBeUndefined();
    expect(loaded[`c${String(READ_STATE_MAX_ENTRIES + 4)}`]).toBe(1);
  });
});
