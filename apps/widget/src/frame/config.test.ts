import { describe, expect, it, vi } from 'vitest';
import { fetchWidgetConfig } from './config';
import { widgetConfig } from './test/fixtures';

function respond(body: unknown, status = 200) {
  return vi.fn<typeof fetch>(() => Promise.resolve(new Response(JSON.stringify(body), { status })));
}

describe('fetchWidgetConfig', () => {
  it('asks its own origin and returns the parsed config', async () => {
    const fetchMock = respond(widgetConfig);
    await expect(fetchWidgetConfig('site_1', fetchMock)).resolves.toEqual(widgetConfig);
    expect(fetchMock).toHaveBeenCalledWith('/api/widget/config?siteKey=site_1');
  });

  it('throws the server error message', async () => {
    const fetchMock = respond(
      { error: { code: 'UNKNOWN_SITE', message: 'Unknown site key' } },
      404,
    );
    await expect(fetchWidgetConfig('nope', fetchMock)).rejects.toThrow('Unknown site key');
  });

  it('throws on a body that is not a config', async () => {
    await expect(fetchWidgetConfig('site_1', respond({ widget: {} }))).rejects.toThrow(
      'the widget configuration could not be read',
    );
  });
});
