import { createContext, use, useSyncExternalStore } from 'react';
import type { ConsoleApi } from '../api/console-api';
import type { ConsoleState, ConsoleStore } from '../state/store';

export const ApiContext = createContext<ConsoleApi | null>(null);
export const StoreContext = createContext<ConsoleStore | null>(null);

export function useApi(): ConsoleApi {
  const api = use(ApiContext);
  if (!api) throw new Error('useApi needs an ApiContext provider');
  return api;
}

export function useStore(): ConsoleStore {
  const store = use(StoreContext);
  if (!store) throw new Error('useStore needs a StoreContext provider');
  return store;
}

/**
 * Reads part of the console state and re-renders when it changes. The selector must return
 * something held in the state (or a primitive), not a new object on every call.
 */
export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}
