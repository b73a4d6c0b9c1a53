import type { Attachment } from '@parley/protocol';
import { formatFileSize } from '@parley/protocol/zod-free';
import { attachmentUrl } from '../attachments';

/**
 * A message's files: images as thumbnails that open full size in a new tab, PDFs as a link with
 * the file's name and size. Names are text, never markup.
 */
export function Attachments({
  attachments,
  attachmentKey,
}: {
  attachments: readonly Attachment[];
  attachmentKey: string | null;
}) {
  if (attachments.length === 0) return null;
  return (
    <ul className="msg__files">
      {attachments.map((file) => {
        const url = attachmentUrl(file.id, attachmentKey);
        return (
          <li key={file.id} className="msg__file">
            {file.contentType.startsWith('image/') ? (
              <a href={url} target="_blank" rel="noopener noreferrer" className="msg__image-link">
                <img className="msg__image" src={url} alt={file.name} loading="lazy" />
              </a>
            ) : (
              <a
                href={url}
                target="_blank"
                rel="noopener noreferrer"
                download={file.name}
                className="msg__pdf"
              >
                <span aria-hidden="true">📄 </span>
                <span dir="auto">{file.name}</span> ({formatFileSize(file.size)})
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
