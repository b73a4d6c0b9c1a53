import { describe, expect, it } from 'vitest';
import { configUrl, errorMessageOf, frameUrl } from './config';

describe('loader URLs and errors', () => {
  it('reads REST error bodies', () => {
    expect(errorMessageOf({ error: { code: 'UNKNOWN_SITE', message: 'Unknown site key' } })).toBe(
      'Unknown site key',
    );
    expect(errorMessageOf('oops')).toBeNull();
  });

  it('builds the config and frame URLs with encoded parameters', () => {
    expect(configUrl('https://api.example', 'a b')).toBe(
      'https://api.example/api/widget/config?siteKey=a%20b',
    );
    expect(frameUrl('https://api.example', 'site_1', 'https://shop.example')).toBe(
      'https://api.example/widget/?siteKey=site_1&origin=https%3A%2F%2Fshop.example',
    );
  });
});
