import { z } from 'zod';

/** How the pre-chat form treats one field: not asked, asked but skippable, or required. */
export const PreChatFieldModeSchema = z.enum(['off', 'optional', 'required']);
export type PreChatFieldMode = z.infer<typeof PreChatFieldModeSchema>;

/**
 * The pre-chat form of a site: the visitor's name and email, asked before the first message.
 * Required fields are also checked by the server when a visitor starts a conversation.
 */
export const PreChatSettingsSchema = z
  .object({ name: PreChatFieldModeSchema, email: PreChatFieldModeSchema })
  .strict();
export type PreChatSettings = z.infer<typeof PreChatSettingsSchema>;

/** `PUT /api/sites/:id/pre-chat` body and response field (ADMIN only). */
export const UpdatePreChatRequestSchema = PreChatSettingsSchema;
export type UpdatePreChatRequest = z.infer<typeof UpdatePreChatRequestSchema>;
