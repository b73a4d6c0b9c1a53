import { z } from 'zod';
import { IdSchema, SeqSchema, TimestampSchema } from './common';

export const ConversationStatusSchema = z.enum(['OPEN', 'RESOLVED']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

/** What an agent sees of a visitor. */
export const VisitorSummarySchema = z.object({
  id: IdSchema,
  name: z.string().nullable(),
  email: z.string().nullable(),
  pageUrl: z.string().nullable(),
  userAgent: z.string().nullable(),
  lastSeenAt: TimestampSchema.nullable(),
});
export type VisitorSummary = z.infer<typeof VisitorSummarySchema>;

/** A conversation as the agents' inbox shows it. */
export const ConversationSchema = z.object({
  id: IdSchema,
  siteId: IdSchema,
  status: ConversationStatusSchema,
  assigneeId: IdSchema.nullable(),
  lastSeq: SeqSchema,
  lastMessageAt: TimestampSchema.nullable(),
  lastMessagePreview: z.string().nullable(),
  createdAt: TimestampSchema,
  visitor: VisitorSummarySchema,
});
export type Conversation = z.infer<typeof ConversationSchema>;

/** A conversation as its visitor sees it (no other visitors, no internal fields). */
export const VisitorConversationSchema = z.object({
  id: IdSchema,
  status: ConversationStatusSchema,
  lastSeq: SeqSchema,
  lastMessageAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type VisitorConversation = z.infer<typeof VisitorConversationSchema>;

/** `GET /api/conversations` query. */
export const ListConversationsQuerySchema = z.object({
  status: ConversationStatusSchema.optional(),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuerySchema>;

export const ListConversationsResponseSchema = z.object({
  conversations: z.array(ConversationSchema),
});
export type ListConversationsResponse = z.infer<typeof ListConversationsResponseSchema>;

/** `GET /api/conversations/:id/messages?afterSeq=` query (query strings arrive as text). */
export const ListMessagesQuerySchema = z.object({
  afterSeq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuerySchema>;
