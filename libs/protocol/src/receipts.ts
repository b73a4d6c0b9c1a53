import { z } from 'zod';
import { IdSchema, SeqSchema } from './common';

/** `read:mark`: the sender has seen the conversation up to `seq` (read positions only grow). */
export const MarkReadSchema = z.object({ conversationId: IdSchema, seq: SeqSchema }).strict();
export type MarkRead = z.infer<typeof MarkReadSchema>;

/**
 * `read:updated`, and the ack of `read:mark`: one side's read position in a conversation. The
 * visitor's is shown to agents ("Seen"); the agents' (any agent's) is shown to the visitor.
 */
export const ReadUpdateSchema = z.object({
  conversationId: IdSchema,
  reader: z.enum(['VISITOR', 'AGENT']),
  seq: SeqSchema,
});
export type ReadUpdate = z.infer<typeof ReadUpdateSchema>;
