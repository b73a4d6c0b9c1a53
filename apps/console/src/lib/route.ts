import { IdSchema } from '@parley/protocol';

/** The console's pages. The route lives in the URL hash, so any static host can serve the app. */
export type Route =
  | { readonly page: 'inbox' }
  | { readonly page: 'conversation'; readonly conversationId: string }
  | { readonly page: 'transport' }
  | { readonly page: 'sites' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '');
  const conversation = /^\/conversations\/([^/]+)$/.exec(path);
  if (conversation?.[1]) {
    const id = safeDecode(conversation[1]);
    if (id !== null && IdSchema.safeParse(id).success) {
      return { page: 'conversation', conversationId: id };
    }
  }
  if (path === '/settings/transport') return { page: 'transport' };
  if (path === '/settings/sites') return { page: 'sites' };
  return { page: 'inbox' };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'inbox':
      return '#/inbox';
    case 'conversation':
      return `#/conversations/${encodeURIComponent(route.conversationId)}`;
    case 'transport':
      return '#/settings/transport';
    case 'sites':
      return '#/settings/sites';
  }
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
