import {
  ConsoleConfigSchema,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  ErrorResponseSchema,
  UploadAttachmentResponseSchema,
  formatFileSize,
  isAcceptedAttachmentType,
  type Attachment,
} from '@parley/protocol';

export const FILE_TYPE_MESSAGE = 'Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent.';

/** Why a file cannot be sent, checked before uploading (the server checks again), or null. */
export function checkFile(file: Pick<File, 'type' | 'size'>, maxBytes: number): string | null {
  if (!isAcceptedAttachmentType(file.type === 'image/jpg' ? 'image/jpeg' : file.type)) {
    return FILE_TYPE_MESSAGE;
  }
  if (file.size > maxBytes) {
    return `This file is too large: files up to ${formatFileSize(maxBytes)} can be sent.`;
  }
  return null;
}

let maxBytes: Promise<number> | null = null;

/** The server's limit (`ATTACHMENT_MAX_BYTES`), read once from `/api/config`. */
function serverMaxBytes(): Promise<number> {
  maxBytes ??= fetch('/api/config', { credentials: 'same-origin' })
    .then(async (res) => ConsoleConfigSchema.parse(await res.json()).attachmentMaxBytes)
    .then((value) => value ?? DEFAULT_ATTACHMENT_MAX_BYTES)
    .catch(() => {
      maxBytes = null;
      return DEFAULT_ATTACHMENT_MAX_BYTES;
    });
  return maxBytes;
}

export type UploadResult = { ok: true; attachment: Attachment } | { ok: false; message: string };

/** Checks a file, then uploads it with the agent's session cookie. */
export async function uploadAttachment(file: File): Promise<UploadResult> {
  const refusal = checkFile(file, await serverMaxBytes());
  if (refusal) return { ok: false, message: refusal };
  try {
    const res = await fetch(`/api/attachments?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': file.type },
      body: file,
    });
    const json: unknown = await res.json();
    if (res.ok) {
      const parsed = UploadAttachmentResponseSchema.safeParse(json);
      if (parsed.success) return { ok: true, attachment: parsed.data.attachment };
    }
    const error = ErrorResponseSchema.safeParse(json);
    return {
      ok: false,
      message: error.success ? error.data.error.message : 'The file could not be sent. Try again.',
    };
  } catch {
    return { ok: false, message: 'Cannot reach the server. Check your connection and try again.' };
  }
}

/** Where the console reads a file (the session cookie proves the agent). */
export function attachmentUrl(id: string): string {
  return `/api/attachments/${encodeURIComponent(id)}`;
}
