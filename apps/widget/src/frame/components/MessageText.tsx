import { splitLinks } from '@parley/protocol/zod-free';

/**
 * A message's text as text (never HTML); http and https URLs become links that open in a new
 * tab without access to this page. Nothing else is ever a link.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitLinks(text).map((part, index) =>
        part.kind === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
