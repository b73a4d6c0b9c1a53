import { z } from 'zod';
import { IdSchema } from './common';

/** The file types a message can carry, recognised by their first bytes. */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
] as const;
export const AttachmentTypeSchema = z.enum(ATTACHMENT_TYPES);
export type AttachmentType = z.infer<typeof AttachmentTypeSchema>;

/** The largest file accepted when the server does not say (`ATTACHMENT_MAX_BYTES`). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Files one message can carry. */
export const ATTACHMENTS_PER_MESSAGE_MAX = 10;

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

/** The file type a name suggests, for the clients' checks before they upload. */
export function isAcceptedAttachmentType(type: string): type is AttachmentType {
  return (ATTACHMENT_TYPES as readonly string[]).includes(type);
}

/** "1.2 MB", "340 KB", "12 bytes": a file size as people read it. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}
