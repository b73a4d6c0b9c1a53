import { VISITOR_TOKEN_STORAGE_PREFIX } from '@parley/protocol/zod-free';
import type { VisitorMemory } from '../shared/messages';

/** The storage key of the "this visitor has an open conversation" flag. */
export const OPEN_CONVERSATION_STORAGE_PREFIX = 'parley:open-conversation:';

/** What the frame remembers about a visitor of one site between page loads. */
export interface VisitorStore {
  token: () => string | null;
  setToken: (token: string) => void;
  clearToken: () => void;
  /** True when the visitor had an open conversation: the frame connects without waiting for a click. */
  hasOpenConversation: () => boolean;
  setHasOpenConversation: (open: boolean) => void;
}

/**
 * A `VisitorStore` over `localStorage`. Storage can be missing or throw (blocked third-party
 * storage, private modes); the widget then still works, it only forgets between page loads.
 */
export function createVisitorStore(siteKey: string, storage: Storage | null): VisitorStore {
  const tokenKey = VISITOR_TOKEN_STORAGE_PREFIX + siteKey;
  const openKey = OPEN_CONVERSATION_STORAGE_PREFIX + siteKey;
  const read = (key: string): string | null => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: string | null): void => {
    try {
      if (value === null) storage?.removeItem(key);
      else storage?.setItem(key, value);
    } catch {
      // Storage is unavailable: nothing to remember with.
    }
  };
  return {
    token: () => read(tokenKey),
    setToken: (token) => {
      write(tokenKey, token);
    },
    clearToken: () => {
      write(tokenKey, null);
    },
    hasOpenConversation: () => read(openKey) === '1',
    setHasOpenConversation: (open) => {
      write(openKey, open ? '1' : null);
    },
  };
}

/** `window.localStorage`, or `null` where reading it throws. */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** A `VisitorStore` that can be seeded with what the host page remembers of the visitor. */
export interface HostBackedStore extends VisitorStore {
  /** Takes the host page's memory (`parley:state`); it wins over the frame's own storage. */
  hydrate: (memory: VisitorMemory) => void;
}

/**
 * Keeps the visitor's token and open-conversation flag in memory, in the frame's storage when
 * the browser allows it, and in the host page's first-party storage through the loader
 * (`persist` posts `parley:persist`): browsers that block third-party storage in the frame
 * would otherwise forget the visitor at every page load.
 */
export function createHostBackedStore(
  siteKey: string,
  storage: Storage | null,
  persist: (memory: VisitorMemory) => void,
): HostBackedStore {
  const local = createVisitorStore(siteKey, storage);
  let token = local.token();
  let open = local.hasOpenConversation();
  const save = () => {
    persist({ token, open });
  };
  return {
    hydrate: (memory) => {
      if (memory.token) {
        token = memory.token;
        open = memory.open;
      }
    },
    token: () => token,
    setToken: (value) => {
      token = value;
      local.setToken(value);
      save();
    },
    clearToken: () => {
      token = null;
      open = false;
      local.clearToken();
      local.setHasOpenConversation(false);
      save();
    },
    hasOpenConversation: () => open,
    setHasOpenConversation: (value) => {
      if (value === open) return;
      open = value;
      local.setHasOpenConversation(value);
      save();
    },
  };
}
