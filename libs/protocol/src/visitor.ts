import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { TOKEN_CHARACTERS, VisitorTokenLength } from './identifiers';
import { VisitorConversationSchema } from './conversation';
import { Limits } from './limits';
import { OriginSchema, SiteKeySchema } from './site';

/** Opaque visitor token: 43 base64url characters (32 random bytes). */
export const VisitorTokenSchema = z
  .string()
  .min(VisitorTokenLength.min)
  .max(VisitorTokenLength.max)
  .regex(TOKEN_CHARACTERS, 'malformed visitor token');

/**
 * Who the host page says its signed-in user is: `window.Parley.identify({ userId, email, name,
 * userHash })`. `userHash` is the hex HMAC-SHA256 of `userId` keyed with the site's identity
 * secret, computed by the host's server. Only a verified identity (a valid hash) links the
 * visitor to that user's conversations; on a site that enforces verification, a claim without
 * a valid hash is refused.
 */
export const VisitorIdentitySchema = z
  .object({
    userId: z.string().trim().min(1).max(128),
    email: z.email().max(Limits.emailMax).optional(),
    name: z.string().trim().min(1).max(Limits.nameMax).optional(),
    userHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'userHash must be the hex HMAC-SHA256 of userId')
      .optional(),
  })
  .strict();
export type VisitorIdentity = z.infer<typeof VisitorIdentitySchema>;

/**
 * The `auth` payload of a `/widget` socket. Sent in `auth`, never in headers: custom headers
 * would trigger a CORS preflight on every long-polling request.
 */
export const WidgetAuthSchema = z.object({
  siteKey: SiteKeySchema,
  /** Omitted by a new visitor; the server issues one in `session:ready`. */
  visitorToken: VisitorTokenSchema.optional(),
  /** The host page the widget is on. */
  pageUrl: z.string().max(Limits.urlMax).optional(),
  /** The origin of the page that embeds the chat frame; checked against the site's allow-list. */
  pageOrigin: OriginSchema.optional(),
  /** The host page's signed-in user, from `Parley.identify(...)`. */
  identity: VisitorIdentitySchema.optional(),
  /** Where the visitor came from: the host page's `document.referrer`. */
  referrer: z.string().max(Limits.urlMax).optional(),
  /** The browser's preferred language, a BCP 47 tag (`fr-FR`). */
  language: z.string().max(35).optional(),
  /** The browser's IANA time zone (`Europe/Paris`), for the visitor's local time. */
  timeZone: z.string().max(64).optional(),
});
export type WidgetAuth = z.infer<typeof WidgetAuthSchema>;

/** A custom attribute's name: a letter, then up to 63 letters, digits, `_`, `.` or `-`. */
export const VISITOR_ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** A custom attribute's value; `null` removes the attribute. */
export const VisitorAttributeValueSchema = z.union([
  z.string().max(Limits.visitorAttributeValueMax),
  z.number(),
  z.boolean(),
  z.null(),
]);

/**
 * Custom attributes from the host page (`Parley.setAttributes({ plan: 'pro', seats: 3 })`):
 * merged into what the visitor already has, at most `Limits.visitorAttributesMax` in all.
 */
export const VisitorAttributesSchema = z
  .record(z.string(), VisitorAttributeValueSchema)
  .superRefine((attributes, ctx) => {
    const names = Object.keys(attributes);
    if (names.length > Limits.visitorAttributesMax) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${Limits.visitorAttributesMax} attributes`,
      });
    }
    for (const name of names.filter((n) => !VISITOR_ATTRIBUTE_NAME.test(n)).slice(0, 3)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message:
          'attribute names are 1 to 64 letters, digits, "_", "." or "-", starting with a letter',
      });
    }
  });
export type VisitorAttributes = z.infer<typeof VisitorAttributesSchema>;

/** `session:ready`: sent once per connection after the handshake is accepted. */
export const VisitorSessionSchema = z.object({
  visitorId: IdSchema,
  /** Present when the server issued a new token: the widget must store it. */
  visitorToken: VisitorTokenSchema.optional(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** The host's user id when the visitor's identity was verified with `userHash`. */
  userId: z.string().nullable().optional(),
  /** The custom attributes the host page set (`Parley.setAttributes`). */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  conversations: z.array(VisitorConversationSchema),
  /**
   * The credential for `POST /api/attachments` (`Authorization: Bearer …`) and for reading the
   * conversation's files (`GET /api/attachments/:id?key=…`); valid for a day, renewed with every
   * session.
   */
  attachmentKey: z.string().max(256).optional(),
});
export type VisitorSession = z.infer<typeof VisitorSessionSchema>;

/** `visitor:update`: the visitor's name, email, current page or custom attributes. */
export const VisitorUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(Limits.nameMax).optional(),
    email: z.email().max(Limits.emailMax).optional(),
    pageUrl: z.string().max(Limits.urlMax).optional(),
    attributes: VisitorAttributesSchema.optional(),
  })
  .strict();
export type VisitorUpdate = z.infer<typeof VisitorUpdateSchema>;

/** What the console's visitor panel shows of a visitor. */
export const VisitorDetailsSchema = z.object({
  id: IdSchema,
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** The host's user id, when proven with `userHash` (identity verification). */
  verifiedUserId: z.string().nullable(),
  pageUrl: z.string().nullable(),
  referrer: z.string().nullable(),
  userAgent: z.string().nullable(),
  language: z.string().nullable(),
  timeZone: z.string().nullable(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  lastSeenAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type VisitorDetails = z.infer<typeof VisitorDetailsSchema>;

/** One of the visitor's conversations, in the panel's history. */
export const VisitorPastConversationSchema = z.object({
  id: IdSchema,
  status: z.enum(['OPEN', 'PENDING', 'SNOOZED', 'RESOLVED']),
  lastMessagePreview: z.string().nullable(),
  lastMessageAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type VisitorPastConversation = z.infer<typeof VisitorPastConversationSchema>;

/** `GET /api/visitors/:id` (agents): the visitor and its conversations, newest first. */
export const VisitorDetailsResponseSchema = z.object({
  visitor: VisitorDetailsSchema,
  conversations: z.array(VisitorPastConversationSchema),
});
export type VisitorDetailsResponse = z.infer<typeof VisitorDetailsResponseSchema>;

/** `conversation:list` result for a visitor. */
export const VisitorConversationListSchema = z.object({
  conversations: z.array(VisitorConversationSchema),
});
export type VisitorConversationList = z.infer<typeof VisitorConversationListSchema>;

/** `POST /api/visitors/:id/revoke` response (ADMIN only). */
export const RevokeVisitorResponseSchema = z.object({
  visitor: z.object({
    id: IdSchema,
    revokedAt: TimestampSchema,
  }),
});
export type RevokeVisitorResponse = z.infer<typeof RevokeVisitorResponseSchema>;
