/** The message of a REST error body `{ error: { code, message } }`, if it is one. */
export function errorMessageOf(body: unknown): string | null {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? message : null;
}

export function configUrl(apiOrigin: string, siteKey: string): string {
  return `${apiOrigin}/api/widget/config?siteKey=${encodeURIComponent(siteKey)}`;
}

export function frameUrl(apiOrigin: string, siteKey: string, pageOrigin: string): string {
  return `${apiOrigin}/widget/?siteKey=${encodeURIComponent(siteKey)}&origin=${encodeURIComponent(pageOrigin)}`;
}
