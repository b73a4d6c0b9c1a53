import type { PreChatSettings } from './pre-chat';

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
