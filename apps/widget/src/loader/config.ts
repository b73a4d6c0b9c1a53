import type { WidgetConfig } from '@parley/protocol';
import { isHexColor } from '../shared/color';

/** What the launcher needs from `GET /api/widget/config` (the frame reads the rest). */
export interface LauncherConfig {
  color: string;
  position: 'left' | 'right';
  label: string;
}

type Loose<T> = { [K in keyof T]?: unknown };

/**
 * Reads the launcher's settings from a config response body. The loader carries no schema
 * library (it must stay under its size budget), so it checks the few fields it uses by hand
 * and refuses anything it could not draw safely.
 */
export function readLauncherConfig(body: unknown): LauncherConfig | null {
  const widget = (body as Loose<WidgetConfig> | null)?.widget as
    Loose<WidgetConfig['widget']> | undefined;
  if (typeof widget !== 'object') return null;
  const { color, position, launcherLabel } = widget;
  if (!isHexColor(color) || typeof launcherLabel !== 'string' || !launcherLabel.trim()) return null;
  return {
    color,
    position: position === 'left' ? 'left' : 'right',
    label: launcherLabel.trim().slice(0, 40),
  };
}

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
