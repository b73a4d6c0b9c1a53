import { DEFAULT_WIDGET_SETTINGS } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { configUrl, errorMessageOf, frameUrl, readLauncherConfig } from './config';

describe('launcher configuration', () => {
  it('reads colour, position and label from a config response', () => {
    expect(
      readLauncherConfig({
        siteKey: 'k',
        widget: { ...DEFAULT_WIDGET_SETTINGS, position: 'left' },
      }),
    ).toEqual({ color: '#1f6feb', position: 'left', label: 'Chat' });
  });

  it('refuses a colour that could inject CSS', () => {
    expect(
      readLauncherConfig({ widget: { ...DEFAULT_WIDGET_SETTINGS, color: 'red;}*{display:none' } }),
    ).toBeNull();
  });

  it('refuses bodies without a usable widget section', () => {
    expect(readLauncherConfig(null)).toBeNull();
    expect(readLauncherConfig({})).toBeNull();
    expect(
      readLauncherConfig({ widget: { ...DEFAULT_WIDGET_SETTINGS, launcherLabel: '  ' } }),
    ).toBeNull();
  });

  it('defaults an unknown position to the right', () => {
    expect(
      readLauncherConfig({ widget: { ...DEFAULT_WIDGET_SETTINGS, position: 'top' } })?.position,
    ).toBe('right');
  });

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
