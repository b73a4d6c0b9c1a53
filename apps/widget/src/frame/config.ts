import { ErrorResponseSchema, WidgetConfigSchema, type WidgetConfig } from '@parley/protocol';

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
    const error = ErrorResponseSchema.safeParse(body);
    throw new Error(error.success ? error.data.error.message : `HTTP ${response.status}`);
  }
  const config = WidgetConfigSchema.safeParse(body);
  if (!config.success) throw new Error('the widget configuration could not be read');
  return config.data;
}
