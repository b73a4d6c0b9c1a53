import { isAcceptedAttachmentType, type Attachment as AttachmentDto } from '@parley/protocol';
import type { Attachment } from '../generated/prisma/client';

/** Only accepted types are ever stored; the fallback keeps the wire type exact. */
export function toAttachmentDto(row: Attachment): AttachmentDto {
  return {
    id: row.id,
    name: row.name,
    contentType: isAcceptedAttachmentType(row.contentType) ? row.contentType : 'application/pdf',
    size: row.size,
  };
}
