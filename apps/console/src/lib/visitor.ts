import type { VisitorSummary } from '@parley/protocol';

/** How a visitor is named in the console: their name, their email, or a short stable label. */
export function visitorLabel(visitor: Pick<VisitorSummary, 'id' | 'name' | 'email'>): string {
  const name = visitor.name?.trim();
  if (name) return name;
  const email = visitor.email?.trim();
  if (email) return email;
  return `Visitor ${visitor.id.slice(-6)}`;
}

/** A URL that is safe to put in a link: http(s) only, never `javascript:` or `data:`. */
export function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
