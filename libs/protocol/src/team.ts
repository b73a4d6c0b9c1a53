import { z } from 'zod';
import { AgentSchema, AvatarUrlSchema, ManagedAgentSchema } from './auth';

/** `GET /api/teammates`: the active agents, for assigning conversations (any agent). */
export const TeammatesResponseSchema = z.object({ agents: z.array(AgentSchema) });
export type TeammatesResponse = z.infer<typeof TeammatesResponseSchema>;

/**
 * `POST /api/agents` (admins): a new agent, who signs in with the one-time password returned and
 * must then choose its own.
 */
export const CreateAgentRequestSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(100),
    role: z.enum(['ADMIN', 'AGENT']).default('AGENT'),
    avatarUrl: AvatarUrlSchema.optional(),
  })
  .strict();
export type CreateAgentRequest = z.infer<typeof CreateAgentRequestSchema>;

export const CreateAgentResponseSchema = z.object({
  agent: ManagedAgentSchema,
  /** Shown this once; it is stored hashed. The agent must choose its own at first sign-in. */
  password: z.string(),
});
export type CreateAgentResponse = z.infer<typeof CreateAgentResponseSchema>;

/**
 * `GET` and `PUT /api/settings/assignment` (admins): new conversations go, round-robin, to the
 * agents who have the console open (on any node).
 */
export const AssignmentSettingsSchema = z.object({ autoAssign: z.boolean() }).strict();
export type AssignmentSettings = z.infer<typeof AssignmentSettingsSchema>;
