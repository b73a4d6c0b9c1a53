import { z } from 'zod';
import { IdSchema, SeqSchema, TimestampSchema } from './common';
import { SatisfactionRatingSchema, SatisfactionSchema } from './satisfaction';

/**
 * OPEN: needs an agent. PENDING: waiting for the visitor. SNOOZED: put aside until `snoozedUntil`,
 * then OPEN again by itself. RESOLVED: done. A visitor writing in a PENDING, SNOOZED or RESOLVED
 * conversation makes it OPEN again.
 */
export const ConversationStatusSchema = z.enum(['OPEN', 'PENDING', 'SNOOZED', 'RESOLVED']);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

/** What a visitor sees of a status: PENDING and SNOOZED are the agents' business, OPEN to them. */
export const VisitorConversationStatusSchema = z.enum(['OPEN', 'RESOLVED']);
export type VisitorConversationStatus = z.infer<typeof VisitorConversationStatusSchema>;

/** The inbox's views: conversations assigned to me, to nobody, or all of them. */
export const InboxViewSchema = z.enum(['mine', 'unassigned', 'all']);
export type InboxView = z.infer<typeof InboxViewSchema>;

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
  /** When a SNOOZED conversation opens again; null in every other status. */
  snoozedUntil: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  visitor: VisitorSummarySchema,
  /** The visitor has seen every message up to this seq ("Seen"). */
  visitorLastReadSeq: SeqSchema,
  /** Agents have seen every message up to this seq. */
  agentLastReadSeq: SeqSchema,
  /** The visitor's rating once the conversation was resolved; null until given. */
  satisfaction: SatisfactionSchema.nullable(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/** A conversation as its visitor sees it (no other visitors, no internal fields). */
export const VisitorConversationSchema = z.object({
  id: IdSchema,
  status: VisitorConversationStatusSchema,
  lastSeq: SeqSchema,
  lastMessageAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  /** The text of the last message the visitor can see (absent when not looked up). */
  lastMessagePreview: z.string().nullable().optional(),
  /** Agents have seen the visitor's messages up to this seq. */
  agentLastReadSeq: SeqSchema.optional(),
  /** The visitor's own rating of this conversation; null until given. */
  satisfactionRating: SatisfactionRatingSchema.nullable().optional(),
});
export type VisitorConversation = z.infer<typeof VisitorConversationSchema>;

/** `GET /api/conversations` query. */
export const ListConversationsQuerySchema = z.object({
  status: ConversationStatusSchema.optional(),
  /** `mine` and `unassigned` narrow the list by assignee; `all` (the default) does not. */
  view: InboxViewSchema.default('all'),
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

/** Longest a conversation can be snoozed for. */
export const SNOOZE_MAX_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * `conversation:update` from an agent: a new status, a new assignee, or both. SNOOZED needs
 * `snoozedUntil` (in the future); other statuses refuse it. `assigneeId: null` unassigns.
 */
export const UpdateConversationSchema = z
  .object({
    conversationId: IdSchema,
    status: ConversationStatusSchema.optional(),
    snoozedUntil: TimestampSchema.optional(),
    assigneeId: IdSchema.nullable().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.status === undefined && value.assigneeId === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give a status, an assigneeId, or both' });
    }
    if (value.status === 'SNOOZED' && value.snoozedUntil === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['snoozedUntil'],
        message: 'a snoozed conversation needs snoozedUntil',
      });
    }
    if (value.status !== 'SNOOZED' && value.snoozedUntil !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['snoozedUntil'],
        message: 'snoozedUntil goes with status SNOOZED only',
      });
    }
  });
export type UpdateConversation = z.infer<typeof UpdateConversationSchema>;
