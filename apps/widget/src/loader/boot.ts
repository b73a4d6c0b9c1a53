import { createApi, isParleyApi, queuedCalls, replay } from './api';
import { findSnippet } from './script';
import { createWidget } from './widget';

export type ParleyWindow = Window & { Parley?: unknown };

/**
 * Starts the widget once per page. A second copy of the snippet finds the real API already in
 * `window.Parley` and does nothing; calls queued by a stub before the loader arrived are replayed.
 */
export function boot(win: ParleyWindow): void {
  const existing = win.Parley;
  if (isParleyApi(existing)) return;
  const calls = queuedCalls(existing);
  if (calls === null) {
    console.warn('Parley: window.Parley is used by another script; the chat widget did not start');
    return;
  }
  const snippet = findSnippet(win.document);
  if (!snippet) {
    console.warn('Parley: the widget script needs a data-site-key attribute');
    return;
  }
  const api = createApi(createWidget({ win, ...snippet }));
  win.Parley = api;
  replay(calls, api, (error) => {
    console.error(error);
  });
}
