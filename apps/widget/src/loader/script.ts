/** The snippet's own `<script>` element and what it tells us. */
export interface SnippetInfo {
  siteKey: string;
  /** The origin `widget.js` was served from: the API (and the frame) live there. */
  apiOrigin: string;
  /** `data-launcher="none"`: no launcher button; the page opens the chat with `Parley.open()`. */
  hideLauncher: boolean;
  /** `data-position="left"` or `"right"`: overrides the site's setting. */
  position: 'left' | 'right' | undefined;
}

const FALLBACK_SELECTOR = 'script[src$="/widget.js"][data-site-key]';

export function findSnippet(doc: Document): SnippetInfo | null {
  const current = doc.currentScript;
  const script =
    current instanceof HTMLScriptElement && current.dataset.siteKey !== undefined
      ? current
      : doc.querySelector<HTMLScriptElement>(FALLBACK_SELECTOR);
  const siteKey = script?.dataset.siteKey?.trim();
  if (!script || !siteKey) return null;
  try {
    const origin = new URL(script.src, doc.baseURI).origin;
    const { launcher, position } = script.dataset;
    return origin === 'null'
      ? null
      : {
          siteKey,
          apiOrigin: origin,
          hideLauncher: launcher === 'none',
          position: position === 'left' || position === 'right' ? position : undefined,
        };
  } catch {
    return null;
  }
}
