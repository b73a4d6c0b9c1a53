import { z } from 'zod';
import { IdSchema, MessageBodySchema, TimestampSchema } from './common';

/** A canned response's shortcut, typed after `/` in the composer: `refund`, `hours-eu`. */
export const CannedShortcutSchema = z
  .string()
  .trim()
  .min(1, 'shortcut is empty')
  .max(32, 'shortcut is longer than 32 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "-" and "_"');

/** Text an agent inserts by typing `/shortcut` in the composer. */
export const CannedResponseSchema = z.object({
  id: IdSchema,
  shortcut: CannedShortcutSchema,
  body: z.string(),
  updatedAt: TimestampSchema,
});
export type CannedResponse = z.infer<typeof CannedResponseSchema>;

/** `POST /api/canned-responses` (admins). */
export const CreateCannedResponseSchema = z
  .object({ shortcut: CannedShortcutSchema, body: MessageBodySchema })
  .strict();
export type CreateCannedResponse = z.infer<typeof CreateCannedResponseSchema>;

/** `PATCH /api/canned-responses/:id` (admins): either field or both. */
export const UpdateCannedResponseSchema = z
  .object({ shortcut: CannedShortcutSchema.optional(), body: MessageBodySchema.optional() })
  .strict()
  .refine((v) => v.shortcut !== undefined || v.body !== undefined, {
    message: 'give a shortcut, a body, or both',
  });
export type UpdateCannedResponse = z.infer<typeof UpdateCannedResponseSchema>;

export const CannedResponseListSchema = z.object({
  cannedResponses: z.array(CannedResponseSchema),
});
export type CannedResponseList = z.infer<typeof CannedResponseListSchema>;

export const CannedResponseResultSchema = z.object({ cannedResponse: CannedResponseSchema });
export type CannedResponseResult = z.infer<typeof CannedResponseResultSchema>;
