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

export const DEFAULT_PRE_CHAT: PreChatSettings = { name: 'off', email: 'off' };

export type PreChatField = keyof PreChatSettings;

/** The required fields this visitor has not given yet (empty: the visitor may start a conversation). */
export function missingPreChatFields(
  settings: PreChatSettings,
  visitor: { name: string | null; email: string | null },
): PreChatField[] {
  const missing: PreChatField[] = [];
  if (settings.name === 'required' && !visitor.name?.trim()) missing.push('name');
  if (settings.email === 'required' && !visitor.email?.trim()) missing.push('email');
  return missing;
}

/**
 * Whether the form stands before this visitor's first message: a required field is missing, or
 * the visitor has given nothing yet and the form asks something (optional fields are asked once,
 * not again in every conversation).
 */
export function preChatAsks(
  settings: PreChatSettings,
  visitor: { name: string | null; email: string | null },
): boolean {
  if (missingPreChatFields(settings, visitor).length > 0) return true;
  const asksSomething = settings.name !== 'off' || settings.email !== 'off';
  return asksSomething && !visitor.name?.trim() && !visitor.email?.trim();
}

/** `PUT /api/sites/:id/pre-chat` body and response field (ADMIN only). */
export const UpdatePreChatRequestSchema = PreChatSettingsSchema;
export type UpdatePreChatRequest = z.infer<typeof UpdatePreChatRequestSchema>;
