import { z } from 'zod';
import { ClientTransportConfigSchema } from './transport';

/** How the widget looks; edited by admins, served to the widget. */
export const WidgetSettingsSchema = z.object({
  title: z.string().min(1).max(80),
  greeting: z.string().max(500),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f6feb'),
  position: z.enum(['right', 'left']),
  launcherLabel: z.string().min(1).max(40),
});
export type WidgetSettings = z.infer<typeof WidgetSettingsSchema>;

export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  title: 'Chat with us',
  greeting: 'Hi! How can we help?',
  color: '#1f6feb',
  position: 'right',
  launcherLabel: 'Chat',
};

/** A site key as it appears in the snippet's `data-site-key`. */
export const SiteKeySchema = z
  .string()
  .min(1, 'siteKey is required')
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'siteKey must contain only letters, digits, "-" and "_"');

/** `GET /api/widget/config?siteKey=` query. */
export const WidgetConfigQuerySchema = z.object({ siteKey: SiteKeySchema });
export type WidgetConfigQuery = z.infer<typeof WidgetConfigQuerySchema>;

/** `GET /api/widget/config` response: everything the loader and frame need before connecting. */
export const WidgetConfigSchema = z.object({
  siteKey: SiteKeySchema,
  siteName: z.string(),
  widget: WidgetSettingsSchema,
  transport: ClientTransportConfigSchema,
});
export type WidgetConfig = z.infer<typeof WidgetConfigSchema>;

/** `GET /api/config`: what the console needs before it opens a socket. */
export const ConsoleConfigSchema = z.object({
  transport: ClientTransportConfigSchema,
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;
