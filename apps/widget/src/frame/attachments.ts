import type { Attachment } from '@parley/protocol';
import { formatFileSize, isAcceptedAttachmentType } from '@parley/protocol/zod-free';
import type { Strings } from './i18n';
import { isErrorResponse, isUploadAttachmentResponse } from './wire';

/** Why a file cannot be sent, checked before uploading (the server checks again), or null. */
export function checkFile(
  file: Pick<File, 'type' | 'size'>,
  maxBytes: number,
  strings: Strings,
): string | null {
  if (!isAcceptedAttachmentType(file.type === 'image/jpg' ? 'image/jpeg' : file.type)) {
    return strings.fileType;
  }
  if (file.size > maxBytes) return strings.fileTooLarge.replace('{max}', formatFileSize(maxBytes));
  return null;
}

export type UploadResult = { ok: true; attachment: Attachment } | { ok: false; message: string };

/**
 * Uploads a file to Parley (the frame is served from Parley's own origin). A refusal (413, 415,
 * an expired key) comes back as the server's sentence.
 */
export async function uploadAttachment(
  file: File,
  key: string,
  strings: Strings,
  fetchImpl: typeof fetch = fetch,
): Promise<UploadResult> {
  try {
    const res = await fetchImpl(`/api/attachments?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': file.type },
      body: file,
    });
    const json: unknown = await res.json();
    if (res.ok && isUploadAttachmentResponse(json))
      return { ok: true, attachment: json.attachment };
    return {
      ok: false,
      message: isErrorResponse(json) ? json.error.message : strings.uploadFailed,
    };
  } catch {
    return { ok: false, message: strings.uploadFailed };
  }
}

/** Where the frame reads a file of the conversation: Parley's URL with the visitor's key. */
export function attachmentUrl(id: string, key: string | null): string {
  const base = `/api/attachments/${encodeURIComponent(id)}`;
  return key === null ? base : `${base}?key=${encodeURIComponent(key)}`;
}
