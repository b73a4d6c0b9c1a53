import { z } from 'zod';
import { BusinessHoursSchema } from './business-hours';
import { IdSchema, TimestampSchema } from './common';

/**
 * An agent's presence: `online` with a console open on any node, `away` with a console open but
 * the away switch on, `offline` with no console open.
 */
export const PresenceStatusSchema = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

/** `agent:presence`: an agent's presence changed. */
export const AgentPresenceSchema = z.object({ agentId: IdSchema, status: PresenceStatusSchema });
export type AgentPresence = z.infer<typeof AgentPresenceSchema>;

/** `visitor:presence`: a visitor opened its first or closed its last chat connection. */
export const VisitorPresenceSchema = z.object({ visitorId: IdSchema, online: z.boolean() });
export type VisitorPresence = z.infer<typeof VisitorPresenceSchema>;

/** The most visitor ids one `GET /api/presence` asks about. */
export const PRESENCE_VISITORS_MAX = 200;

/** `GET /api/presence?visitorIds=a,b` query (any agent). */
export const PresenceQuerySchema = z.object({
  visitorIds: z
    .string()
    .max(PRESENCE_VISITORS_MAX * 65)
    .optional()
    .transform((value) => (value ? value.split(',').filter(Boolean) : []))
    .pipe(z.array(IdSchema).max(PRESENCE_VISITORS_MAX)),
});
export type PresenceQuery = z.infer<typeof PresenceQuerySchema>;

/** `GET /api/presence`: every active agent's presence, and which of the visitors asked are online. */
export const PresenceResponseSchema = z.object({
  agents: z.array(AgentPresenceSchema),
  onlineVisitorIds: z.array(IdSchema),
});
export type PresenceResponse = z.infer<typeof PresenceResponseSchema>;

/** An agent's own console preferences, kept on the server. */
export const AgentPreferencesSchema = z.object({
  /** The away switch: the agent keeps the console open but takes no new conversations. */
  away: z.boolean(),
  /** Browser notifications for new conversations and visitor messages. */
  notifyDesktop: z.boolean(),
  /** A sound for the same. */
  notifySound: z.boolean(),
});
export type AgentPreferences = z.infer<typeof AgentPreferencesSchema>;

/** `PATCH /api/me/preferences`: only the fields present change. */
export const UpdateAgentPreferencesSchema = AgentPreferencesSchema.partial().strict();
export type UpdateAgentPreferences = z.infer<typeof UpdateAgentPreferencesSchema>;

/** `availability:changed`: whether any agent can answer changed (sent to every chat). */
export const AgentsAvailabilitySchema = z.object({ agentsOnline: z.boolean() });
export type AgentsAvailability = z.infer<typeof AgentsAvailabilitySchema>;

/** What the widget shows about who can answer, in the widget config. */
export const WidgetAvailabilitySchema = z.object({
  /** At least one agent is online (console open, not away). */
  agentsOnline: z.boolean(),
  /** Inside the site's business hours (always, when it has none). */
  withinHours: z.boolean(),
  /** Outside hours: when the site opens next. */
  nextOpenAt: TimestampSchema.nullable(),
  /** The loader draws no launcher (the site hides it while nobody is online). */
  hideLauncher: z.boolean(),
  /** The site's setting behind `hideLauncher`, so a chat can follow `availability:changed`. */
  hideLauncherWhenOffline: z.boolean(),
});
export type WidgetAvailability = z.infer<typeof WidgetAvailabilitySchema>;

/** A site's availability settings, as admins edit them. */
export const SiteAvailabilitySchema = z.object({
  /** Null: always open. */
  businessHours: BusinessHoursSchema.nullable(),
  /** Hide the widget's launcher while no agent is online. */
  hideLauncherWhenOffline: z.boolean(),
});
export type SiteAvailability = z.infer<typeof SiteAvailabilitySchema>;

/** `PUT /api/sites/:id/availability` body (ADMIN only). */
export const UpdateSiteAvailabilitySchema = SiteAvailabilitySchema.strict();
export type UpdateSiteAvailability = z.infer<typeof UpdateSiteAvailabilitySchema>;
