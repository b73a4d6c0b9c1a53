import { z } from 'zod';
import { SITE_KEY_MAX, TOKEN_CHARACTERS } from './identifiers';
import { IdSchema, TimestampSchema } from './common';
import { WidgetAvailabilitySchema } from './presence';
import { PreChatSettingsSchema } from './pre-chat';
import { ClientTransportConfigSchema } from './transport';

/** The chat's colour scheme; `auto` follows the visitor's `prefers-color-scheme`. */
export const WidgetThemeSchema = z.enum(['light', 'dark', 'auto']);
export type WidgetTheme = z.infer<typeof WidgetThemeSchema>;

/** How the widget looks; edited by admins, served to the widget. */
export const WidgetSettingsSchema = z.object({
  title: z.string().trim().min(1, 'the title is empty').max(80),
  greeting: z.string().trim().max(500),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f6feb'),
  position: z.enum(['right', 'left']),
  launcherLabel: z.string().trim().min(1, 'the launcher label is empty').max(40),
  /** Settings stored before themes existed read as `auto`. */
  theme: WidgetThemeSchema.default('auto'),
});
export type WidgetSettings = z.infer<typeof WidgetSettingsSchema>;

export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  title: 'Chat with us',
  greeting: 'Hi! How can we help?',
  color: '#1f6feb',
  position: 'right',
  launcherLabel: 'Chat',
  theme: 'auto',
};

/** A site key as it appears in the snippet's `data-site-key`. */
export const SiteKeySchema = z
  .string()
  .min(1, 'siteKey is required')
  .max(SITE_KEY_MAX)
  .regex(TOKEN_CHARACTERS, 'siteKey must contain only letters, digits, "-" and "_"');

/** `GET /api/widget/config?siteKey=` query. */
export const WidgetConfigQuerySchema = z.object({ siteKey: SiteKeySchema });
export type WidgetConfigQuery = z.infer<typeof WidgetConfigQuerySchema>;

/** `GET /api/widget/config` response: everything the loader and frame need before connecting. */
export const WidgetConfigSchema = z.object({
  siteKey: SiteKeySchema,
  siteName: z.string(),
  widget: WidgetSettingsSchema,
  transport: ClientTransportConfigSchema,
  /** Who can answer now: live agent presence and the site's business hours. */
  availability: WidgetAvailabilitySchema.optional(),
  /** The pre-chat form (name and email before the first message); off when absent. */
  preChat: PreChatSettingsSchema.optional(),
  /** The largest file a message can carry, in bytes (`DEFAULT_ATTACHMENT_MAX_BYTES` when absent). */
  attachmentMaxBytes: z.number().int().positive().optional(),
});
export type WidgetConfig = z.infer<typeof WidgetConfigSchema>;

/** `GET /api/config`: what the console needs before it opens a socket. */
export const ConsoleConfigSchema = z.object({
  transport: ClientTransportConfigSchema,
  /** The largest file a message can carry, in bytes (`DEFAULT_ATTACHMENT_MAX_BYTES` when absent). */
  attachmentMaxBytes: z.number().int().positive().optional(),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

/** An exact web origin, `https://shop.example` or `http://localhost:8080`: no path, no slash. */
export const OriginSchema = z
  .string()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://shop.example (scheme, host and port only, lower case, no slash)');

/** The most origins one site may list. */
export const MAX_ALLOWED_ORIGINS = 50;

/** A site as admins see it. The identity secret itself is shown only when it is created. */
export const SiteSchema = z.object({
  id: IdSchema,
  publicKey: SiteKeySchema,
  name: z.string(),
  /** Pages on these origins may embed the widget. */
  allowedOrigins: z.array(z.string()),
  /** Every origin may embed the widget; chosen by an admin, never implied by an empty list. */
  allowAnyOrigin: z.boolean(),
  identity: z.object({
    /** A secret exists: the host page can prove a user's identity with `userHash`. */
    hasSecret: z.boolean(),
    /** Visitors who claim an identity without a valid `userHash` are refused. */
    enforced: z.boolean(),
  }),
  /** The pre-chat form: name and email asked before the first message (off when absent). */
  preChat: PreChatSettingsSchema.optional(),
  /** The widget's appearance. */
  widget: WidgetSettingsSchema,
  createdAt: TimestampSchema,
});
export type Site = z.infer<typeof SiteSchema>;

export const SiteListResponseSchema = z.object({ sites: z.array(SiteSchema) });
export type SiteListResponse = z.infer<typeof SiteListResponseSchema>;

export const SiteResponseSchema = z.object({ site: SiteSchema });
export type SiteResponse = z.infer<typeof SiteResponseSchema>;

const OriginListSchema = z
  .array(OriginSchema)
  .max(MAX_ALLOWED_ORIGINS, `at most ${MAX_ALLOWED_ORIGINS} origins`);

/** `POST /api/sites` body (ADMIN only). */
export const CreateSiteRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    allowedOrigins: OriginListSchema.default([]),
    allowAnyOrigin: z.boolean().default(false),
  })
  .strict();
export type CreateSiteRequest = z.input<typeof CreateSiteRequestSchema>;
/** A `CreateSiteRequest` once parsed, defaults applied. */
export type CreateSiteFields = z.infer<typeof CreateSiteRequestSchema>;

/** `PATCH /api/sites/:id` body (ADMIN only): only the fields present change. */
export const UpdateSiteRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    allowedOrigins: OriginListSchema.optional(),
    allowAnyOrigin: z.boolean().optional(),
    /** Needs an identity secret: create one first. */
    enforceIdentity: z.boolean().optional(),
    /** The whole appearance; open widgets of the site receive it at once (`widget:updated`). */
    widget: WidgetSettingsSchema.strict().optional(),
  })
  .strict();
export type UpdateSiteRequest = z.infer<typeof UpdateSiteRequestSchema>;

/**
 * `POST /api/sites/:id/identity-secret` response (ADMIN only): a new secret, replacing any
 * previous one. It is shown this once; the host's server computes
 * `userHash = HMAC-SHA256(secret, userId)` in hex.
 */
export const IdentitySecretResponseSchema = z.object({ site: SiteSchema, secret: z.string() });
export type IdentitySecretResponse = z.infer<typeof IdentitySecretResponseSchema>;
