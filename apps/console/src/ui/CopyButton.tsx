import { useEffect, useState } from 'react';

/**
 * Copies text to the clipboard: `navigator.clipboard` where the page may use it (a secure
 * context), otherwise a selected off-screen text box and `document.execCommand('copy')`.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    // Missing outside secure contexts, whatever the DOM types say.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard) {
      await clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (permissions, not a secure context): try the fallback.
  }
  const box = document.createElement('textarea');
  box.value = text;
  box.setAttribute('readonly', '');
  box.className = 'copy-fallback';
  document.body.append(box);
  box.select();
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the fallback where the Clipboard API is missing
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    box.remove();
  }
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);

  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => {
      setOutcome(null);
    }, 3_000);
    return () => {
      clearTimeout(timer);
    };
  }, [outcome]);

  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => {
          void copyText(text).then((ok) => {
            setOutcome(ok ? 'copied' : 'failed');
          });
        }}
      >
        {label}
      </button>
      <span className="copy-outcome" role="status">
        {outcome === 'copied'
          ? 'Copied.'
          : outcome === 'failed'
            ? 'Could not copy: select the text and copy it by hand.'
            : ''}
      </span>
    </>
  );
}
