import type { WidgetConfig } from '@parley/protocol';
import { isErrorResponse, isWidgetConfig } from './wire';

/**
 * `GET /api/widget/config?siteKey=` on the frame's own origin (the API's). Read before any socket
 * is opened: it says which transports to use. Throws an `Error` whose message can be shown.
 */
export async function fetchWidgetConfig(
  siteKey: string,
  fetchImpl: typeof fetch = fetch,
): Promise<WidgetConfig> {
  const response = await fetchImpl(`/api/widget/config?siteKey=${encodeURIComponent(siteKey)}`);
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(isErrorResponse(body) ? body.error.message : `HTTP ${response.status}`);
  }
  if (!isWidgetConfig(body)) throw new Error('the widget configuration could not be read');
  return body;
}
