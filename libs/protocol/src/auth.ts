import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { Limits } from './limits';

export const AgentRoleSchema = z.enum(['ADMIN', 'AGENT']);
export type AgentRole = z.infer<typeof AgentRoleSchema>;

/** `POST /api/auth/login` body. */
export const LoginRequestSchema = z.object({
  email: z.email().max(Limits.emailMax),
  password: z.string().min(1, 'password is required').max(Limits.passwordMax),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/**
 * A picture shown beside an agent's messages (console and widget): an `https:` URL of up to 500
 * characters, without credentials. Served by the image's own host: no file is uploaded.
 */
export const AvatarUrlSchema = z
  .string()
  .trim()
  .max(500, 'the avatar URL is longer than 500 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an https:// URL of an image, such as https://example.com/ada.png');

/** An agent's display name, shown to colleagues and (on its messages) to visitors. */
export const AgentNameSchema = z.string().trim().min(1, 'the name is empty').max(100);

/** An agent as the console sees itself and its colleagues. */
export const AgentSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string(),
  role: AgentRoleSchema,
  /** The agent's picture (`AvatarUrlSchema`), or null for none. */
  avatarUrl: z.string().nullable().optional(),
});
export type Agent = z.infer<typeof AgentSchema>;

/**
 * `POST /api/auth/login` and `GET /api/me` response. `mustChangePassword`: the agent signed in
 * with a one-time password; every other call answers PASSWORD_CHANGE_REQUIRED until it sets its
 * own (`POST /api/me/password`).
 */
export const MeResponseSchema = z.object({
  agent: AgentSchema,
  mustChangePassword: z.boolean().default(false),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** `POST /api/auth/logout` response. */
export const LogoutResponseSchema = z.object({ ok: z.literal(true) });
export type LogoutResponse = z.infer<typeof LogoutResponseSchema>;

/** Name of the httpOnly cookie that carries an agent's session. */
export const SESSION_COOKIE = 'parley_session';

/** An agent as admins manage it: whether it may sign in, and whether it still has a one-time password. */
export const ManagedAgentSchema = AgentSchema.extend({
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: TimestampSchema.nullable(),
});
export type ManagedAgent = z.infer<typeof ManagedAgentSchema>;

/** `GET /api/agents` response (ADMIN only). */
export const AgentListResponseSchema = z.object({ agents: z.array(ManagedAgentSchema) });
export type AgentListResponse = z.infer<typeof AgentListResponseSchema>;

/** An agent's own profile: display name and picture (`null` removes it). */
const ProfileFields = {
  name: AgentNameSchema.optional(),
  avatarUrl: AvatarUrlSchema.nullable().optional(),
};

/**
 * `PATCH /api/agents/:id` body (ADMIN only): only the fields present change. Deactivating an
 * agent ends its sessions and closes its live connections at once, on every node. No change may
 * leave the team without an active admin (LAST_ADMIN).
 */
export const UpdateAgentRequestSchema = z
  .object({ ...ProfileFields, active: z.boolean().optional(), role: AgentRoleSchema.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, {
    message: 'give at least one of name, avatarUrl, role, active',
  });
export type UpdateAgentRequest = z.infer<typeof UpdateAgentRequestSchema>;

/** `PATCH /api/agents/:id` response. */
export const AgentResponseSchema = z.object({ agent: ManagedAgentSchema });
export type AgentResponse = z.infer<typeof AgentResponseSchema>;

/** `PATCH /api/me` (any agent): its own display name and picture. */
export const UpdateProfileRequestSchema = z
  .object(ProfileFields)
  .strict()
  .refine((v) => v.name !== undefined || v.avatarUrl !== undefined, {
    message: 'give a name, an avatarUrl, or both',
  });
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequestSchema>;

/**
 * `POST /api/me/password` (any agent, also one that must change its one-time password): the
 * current password and a new one, which must differ. Other sessions of the agent end.
 */
export const ChangePasswordRequestSchema = z
  .object({
    currentPassword: z.string().min(1, 'the current password is required').max(Limits.passwordMax),
    newPassword: z
      .string()
      .min(Limits.passwordMin, `at least ${Limits.passwordMin} characters`)
      .max(Limits.passwordMax),
  })
  .strict()
  .refine((v) => v.currentPassword !== v.newPassword, {
    message: 'the new password must differ from the current one',
    path: ['newPassword'],
  });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;
