import { z } from 'zod';
import { IdSchema } from './common';

/** Typing is ephemeral: published through the adapter to whoever is connected, never stored. */

/** `typing:set`: the sender started (`true`) or stopped (`false`) typing in a conversation. */
export const TypingSetSchema = z.object({ conversationId: IdSchema, typing: z.boolean() }).strict();
export type TypingSet = z.infer<typeof TypingSetSchema>;

/** `typing:updated`: someone in the conversation is (or no longer is) typing. */
export const TypingUpdateSchema = z.object({
  conversationId: IdSchema,
  author: z.enum(['VISITOR', 'AGENT']),
  /** The visitor's or agent's id. */
  authorId: IdSchema,
  /** What to call them (an agent's name; the visitor's name when known). */
  name: z.string().nullable(),
  typing: z.boolean(),
});
export type TypingUpdate = z.infer<typeof TypingUpdateSchema>;
