import { VISITOR_TOKEN_STORAGE_PREFIX } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  createHostBackedStore,
  createVisitorStore,
  OPEN_CONVERSATION_STORAGE_PREFIX,
} from './storage';

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('the visitor store', () => {
  it('keeps the token under the shared prefix, per site', () => {
    const storage = new MemoryStorage();
    const a = createVisitorStore('site_a', storage);
    const b = createVisitorStore('site_b', storage);
    a.setToken('token-a');
    expect(storage.getItem(`${VISITOR_TOKEN_STORAGE_PREFIX}site_a`)).toBe('token-a');
    expect(a.token()).toBe('token-a');
    expect(b.token()).toBeNull();
    a.clearToken();
    expect(a.token()).toBeNull();
  });

  it('remembers whether the visitor has an open conversation', () => {
    const storage = new MemoryStorage();
    const store = createVisitorStore('site_a', storage);
    expect(store.hasOpenConversation()).toBe(false);
    store.setHasOpenConversation(true);
    expect(storage.getItem(`${OPEN_CONVERSATION_STORAGE_PREFIX}site_a`)).toBe('1');
    expect(store.hasOpenConversation()).toBe(true);
    store.setHasOpenConversation(false);
    expect(storage.length).toBe(0);
  });

  it('keeps working, forgetfully, when storage is missing or throws', () => {
    const throwing = new MemoryStorage();
    throwing.getItem = () => {
      throw new Error('SecurityError');
    };
    throwing.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    for (const storage of [null, throwing]) {
      const store = createVisitorStore('site_a', storage);
      expect(() => {
        store.setToken('t');
        store.setHasOpenConversation(true);
      }).not.toThrow();
      expect(store.token()).toBeNull();
      expect(store.hasOpenConversation()).toBe(false);
    }
  });
});

describe('createHostBackedStore', () => {
  it('takes the host page memory over its own and tells the loader every change', () => {
    const persisted: unknown[] = [];
    const store = createHostBackedStore('site', null, (memory) => persisted.push(memory));
    expect(store.token()).toBeNull();
    store.hydrate({ token: 'host-token', open: true });
    expect(store.token()).toBe('host-token');
    expect(store.hasOpenConversation()).toBe(true);
    store.setHasOpenConversation(false);
    store.setToken('new-token');
    store.clearToken();
    expect(persisted).toEqual([
      { token: 'host-token', open: false },
      { token: 'new-token', open: false },
      { token: null, open: false },
    ]);
  });

  it('keeps its own memory when the host page has none', () => {
    const storage = new Map<string, string>();
    const fake = {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => storage.set(k, v),
      removeItem: (k: string) => storage.delete(k),
    } as unknown as Storage;
    createHostBackedStore('site', fake, () => undefined).setToken('frame-token');
    const store = createHostBackedStore('site', fake, () => undefined);
    store.hydrate({ token: null, open: false });
    expect(store.token()).toBe('frame-token');
  });
});
