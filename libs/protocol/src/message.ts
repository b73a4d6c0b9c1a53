import { z } from 'zod';
import { AttachmentSchema } from './attachment';
import { ATTACHMENTS_PER_MESSAGE_MAX } from './attachment-types';
import { AuthorKind } from './author-kind';
import { ClientMessageIdSchema, IdSchema, SeqSchema, TimestampSchema } from './common';
import { Limits } from './limits';

export const AuthorKindSchema = z.enum([AuthorKind.Visitor, AuthorKind.Agent, AuthorKind.System]);

/** A committed message as every client sees it. */
export const MessageSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  seq: SeqSchema,
  authorKind: AuthorKindSchema,
  authorId: z.string().nullable(),
  /** Display name of the author at the time of sending (agent name, visitor name or null). */
  authorName: z.string().nullable(),
  /** The agent's picture at the time of sending (an https URL), if it had one. */
  authorAvatarUrl: z.string().nullable().optional(),
  body: z.string(),
  /** An internal note between agents. Visitors never receive one, so theirs are always false. */
  internal: z.boolean(),
  clientMessageId: z.string(),
  createdAt: TimestampSchema,
  /** Files sent with the message (images, PDFs), in the order they were given. */
  attachments: z.array(AttachmentSchema).optional(),
});
export type Message = z.infer<typeof MessageSchema>;

/**
 * Files uploaded beforehand (`POST /api/attachments`) that the message sends; each can be sent
 * once, by the one who uploaded it.
 */
const AttachmentIdsSchema = z
  .array(IdSchema)
  .max(ATTACHMENTS_PER_MESSAGE_MAX, `at most ${ATTACHMENTS_PER_MESSAGE_MAX} files in one message`)
  .refine((ids) => new Set(ids).size === ids.length, 'the same file is named twice')
  .optional();

/** The text of a message; empty ("") only when the message carries files (checked below). */
const OptionalBodySchema = z
  .string()
  .trim()
  .max(Limits.messageBodyMax, `message is longer than ${Limits.messageBodyMax} characters`);

/** A message needs text, files, or both. */
function bodyOrAttachments(
  value: { body: string; attachmentIds?: string[] | undefined },
  ctx: z.RefinementCtx,
): void {
  if (value.body.length === 0 && (value.attachmentIds?.length ?? 0) === 0) {
    ctx.addIssue({ code: 'custom', path: ['body'], message: 'message is empty' });
  }
}

/**
 * `message:send` from a visitor. Without `conversationId` the message goes to the visitor's
 * open conversation, which is created on the first message.
 */
export const VisitorSendMessageSchema = z
  .object({
    conversationId: IdSchema.optional(),
    clientMessageId: ClientMessageIdSchema,
    body: OptionalBodySchema,
    attachmentIds: AttachmentIdsSchema,
  })
  .superRefine(bodyOrAttachments);
export type VisitorSendMessage = z.infer<typeof VisitorSendMessageSchema>;

/** `message:send` from an agent: always to a named conversation; `internal` makes it a note. */
export const AgentSendMessageSchema = z
  .object({
    conversationId: IdSchema,
    clientMessageId: ClientMessageIdSchema,
    body: OptionalBodySchema,
    internal: z.boolean().default(false),
    attachmentIds: AttachmentIdsSchema,
  })
  .superRefine(bodyOrAttachments);
export type AgentSendMessage = z.input<typeof AgentSendMessageSchema>;

/** The ack of `message:send`: the committed message (the original one when the id was resent). */
export const SendMessageResultSchema = z.object({
  id: IdSchema,
  seq: SeqSchema,
  conversationId: IdSchema,
  /** True when this `clientMessageId` had already been committed and nothing new was written. */
  duplicate: z.boolean(),
  message: MessageSchema,
});
export type SendMessageResult = z.infer<typeof SendMessageResultSchema>;

/** `conversation:sync`: every message after `afterSeq`, oldest first. */
export const SyncRequestSchema = z.object({
  conversationId: IdSchema,
  afterSeq: SeqSchema.default(0),
});
export type SyncRequest = z.input<typeof SyncRequestSchema>;

export const SyncResultSchema = z.object({
  conversationId: IdSchema,
  messages: z.array(MessageSchema),
  /** The conversation's highest seq; more pages follow while the last message's seq is below it. */
  lastSeq: SeqSchema,
});
export type SyncResult = z.infer<typeof SyncResultSchema>;
