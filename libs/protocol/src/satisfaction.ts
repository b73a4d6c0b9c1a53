import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { SATISFACTION_COMMENT_MAX } from './limits';

export const SatisfactionRatingSchema = z
  .number()
  .int('the rating is a whole number')
  .min(1, 'the rating is 1 to 5')
  .max(5, 'the rating is 1 to 5');

/** A visitor's rating of a resolved conversation, as agents see it. */
export const SatisfactionSchema = z.object({
  rating: SatisfactionRatingSchema,
  comment: z.string().nullable(),
  ratedAt: TimestampSchema,
});
export type Satisfaction = z.infer<typeof SatisfactionSchema>;

/**
 * `conversation:rate` from a visitor: 1 to 5 and an optional comment, for a resolved conversation
 * of its own, once (a second rating is refused with CONFLICT).
 */
export const RateConversationSchema = z
  .object({
    conversationId: IdSchema,
    rating: SatisfactionRatingSchema,
    comment: z
      .string()
      .trim()
      .max(SATISFACTION_COMMENT_MAX, `at most ${SATISFACTION_COMMENT_MAX} characters`)
      .optional(),
  })
  .strict();
export type RateConversation = z.infer<typeof RateConversationSchema>;
