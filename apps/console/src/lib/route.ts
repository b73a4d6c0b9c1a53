import { IdSchema } from '@parley/protocol';

/** The console's pages. The route lives in the URL hash, so any static host can serve the app. */
export type Route =
  | { readonly page: 'inbox' }
  | { readonly page: 'conversation'; readonly conversationId: string }
  | { readonly page: 'transport' }
  | { readonly page: 'sites' }
  | { readonly page: 'reports' }
  | { readonly page: 'agents' }
  | { readonly page: 'canned' }
  | { readonly page: 'profile' };

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
  if (path === '/reports') return { page: 'reports' };
  if (path === '/settings/agents') return { page: 'agents' };
  if (path === '/settings/canned-responses') return { page: 'canned' };
  if (path === '/profile') return { page: 'profile' };
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
    case 'reports':
      return '#/reports';
    case 'agents':
      return '#/settings/agents';
    case 'canned':
      return '#/settings/canned-responses';
    case 'profile':
      return '#/profile';
  }
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
