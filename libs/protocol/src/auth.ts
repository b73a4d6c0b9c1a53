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
