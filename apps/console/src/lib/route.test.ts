import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './route';

describe('routes', () => {
  it('parses every page and round-trips through routeHref', () => {
    for (const route of [
      { page: 'inbox' } as const,
      { page: 'conversation', conversationId: 'cm9abc_12-x' } as const,
      { page: 'transport' } as const,
      { page: 'sites' } as const,
      { page: 'reports' } as const,
    ]) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });

  it('falls back to the inbox for unknown or malformed paths', () => {
    expect(parseRoute('')).toEqual({ page: 'inbox' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'inbox' });
    expect(parseRoute('#/conversations/%E0%A4%A')).toEqual({ page: 'inbox' });
    expect(parseRoute('#/conversations/..%2Fadmin')).toEqual({ page: 'inbox' });
  });

  it('accepts a trailing slash', () => {
    expect(parseRoute('#/settings/transport/')).toEqual({ page: 'transport' });
  });
});
