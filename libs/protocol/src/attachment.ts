import { z } from 'zod';
import { ATTACHMENT_TYPES } from './attachment-types';
import { IdSchema } from './common';

export const AttachmentTypeSchema = z.enum(ATTACHMENT_TYPES);

/** A file sent in a message, as every client sees it. Its bytes: `GET /api/attachments/:id`. */
export const AttachmentSchema = z.object({
  id: IdSchema,
  /** The uploader's file name. */
  name: z.string(),
  /** Found in the file's first bytes, not taken from the uploader. */
  contentType: AttachmentTypeSchema,
  /** In bytes. */
  size: z.number().int().nonnegative(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * `POST /api/attachments` response: the stored file, to name in `attachmentIds` of a
 * `message:send`. Visitors send `Authorization: Bearer <attachmentKey or visitor token>`; agents
 * their session cookie. The body is the file itself (its type in `Content-Type`, its name in
 * `?name=`) or `multipart/form-data` with one file field. Too large: 413 `PAYLOAD_TOO_LARGE`;
 * not a PNG, JPEG, GIF, WebP or PDF (by its first bytes): 415 `UNSUPPORTED_MEDIA_TYPE`.
 */
export const UploadAttachmentResponseSchema = z.object({ attachment: AttachmentSchema });
export type UploadAttachmentResponse = z.infer<typeof UploadAttachmentResponseSchema>;

/** `?name=` of a raw upload. */
export const UploadAttachmentQuerySchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
});
