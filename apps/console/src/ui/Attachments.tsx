import { formatFileSize, type Attachment } from '@parley/protocol';
import { attachmentUrl } from '../lib/attachments';

/** A message's files: image thumbnails that open full size, PDFs as a link with name and size. */
export function Attachments({ attachments }: { attachments: readonly Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="message-files">
      {attachments.map((file) => {
        const url = attachmentUrl(file.id);
        return (
          <li key={file.id}>
            {file.contentType.startsWith('image/') ? (
              <a href={url} target="_blank" rel="noopener noreferrer">
                <img className="message-image" src={url} alt={file.name} loading="lazy" />
              </a>
            ) : (
              <a href={url} target="_blank" rel="noopener noreferrer" download={file.name}>
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
