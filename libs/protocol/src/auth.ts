import { z } from 'zod';
import { IdSchema } from './common';
import { Limits } from './limits';

export const AgentRoleSchema = z.enum(['ADMIN', 'AGENT']);
export type AgentRole = z.infer<typeof AgentRoleSchema>;

/** `POST /api/auth/login` body. */
export const LoginRequestSchema = z.object({
  email: z.email().max(Limits.emailMax),
  password: z.string().min(1, 'password is required').max(Limits.passwordMax),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** An agent as the console sees itself and its colleagues. */
export const AgentSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string(),
  role: AgentRoleSchema,
});
export type Agent = z.infer<typeof AgentSchema>;

/** `POST /api/auth/login` and `GET /api/me` response. */
export const MeResponseSchema = z.object({ agent: AgentSchema });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** `POST /api/auth/logout` response. */
export const LogoutResponseSchema = z.object({ ok: z.literal(true) });
export type LogoutResponse = z.infer<typeof LogoutResponseSchema>;

/** Name of the httpOnly cookie that carries an agent's session. */
export const SESSION_COOKIE = 'parley_session';

/** `GET /api/agents` response (ADMIN only). */
export const AgentListResponseSchema = z.object({
  agents: z.array(AgentSchema.extend({ active: z.boolean() })),
});
export type AgentListResponse = z.infer<typeof AgentListResponseSchema>;

/**
 * `PATCH /api/agents/:id` body (ADMIN only). Deactivating an agent ends its sessions and closes
 * its live connections at once.
 */
export const UpdateAgentRequestSchema = z.object({ active: z.boolean() }).strict();
export type UpdateAgentRequest = z.infer<typeof UpdateAgentRequestSchema>;

/** `PATCH /api/agents/:id` response. */
export const AgentResponseSchema = z.object({
  agent: AgentSchema.extend({ active: z.boolean() }),
});
export type AgentResponse = z.infer<typeof AgentResponseSchema>;
