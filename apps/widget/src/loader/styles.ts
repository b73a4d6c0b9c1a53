/**
 * The loader's own rules, until the frame sends the launcher's stylesheet (`parley:launcher`):
 * nothing of the widget shows, so a frame that never loads leaves no layer over the page.
 */
export const BASE_CSS = ':host{all:initial!important}.b,.p{display:none}';

/** Installs `css` in a shadow root: a constructed stylesheet, or a `<style>` where unsupported. */
export function adoptCss(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = root.ownerDocument.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}
