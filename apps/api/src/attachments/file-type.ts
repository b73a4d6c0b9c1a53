import type { AttachmentType } from '@parley/protocol';

function startsWith(data: Buffer, bytes: readonly number[], offset = 0): boolean {
  if (data.length < offset + bytes.length) return false;
  return bytes.every((byte, i) => data[offset + i] === byte);
}

const ascii = (text: string) => Array.from(Buffer.from(text, 'latin1'));

/**
 * The type of a file by its first bytes (its "magic number"), or null when it is none of the
 * accepted types. The declared Content-Type is never enough: a script renamed photo.png stays a
 * script.
 */
export function detectFileType(data: Buffer): AttachmentType | null {
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, ascii('GIF87a')) || startsWith(data, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
  return null;
}

/** Declared types that name the same thing as a detected one. */
const ALIASES: Record<string, AttachmentType> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
};

/** The declared type, lower case, without parameters, with common aliases resolved. */
export function normaliseDeclaredType(contentType: string | undefined): string {
  const bare = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return ALIASES[bare] ?? bare;
}
