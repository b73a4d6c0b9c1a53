import type { WidgetConfig } from '@parley/protocol';
import type { LauncherAppearance } from '../shared/messages';
import { isHexColor, textColorOn } from '../shared/color';

/**
 * The launcher's and panel's CSS. The colour arrives through this rule text as custom
 * properties, never through a `style` attribute: a strict CSP (`style-src` without
 * 'unsafe-inline') blocks inline style attributes but accepts constructed stylesheets.
 * `color` must already be validated as `#rrggbb`.
 * The frame builds it and sends it to the loader, which installs it in its Shadow DOM. One rule per line; the bundler joins them.
 */
export function widgetCss(color: string): string {
  return (
    ':host{all:initial!important}' +
    `.w{--c:${color};--t:${textColorOn(color)};font:15px/1.4 system-ui,sans-serif}` +
    '.b,.p{position:fixed;z-index:2147483000;bottom:calc(20px + env(safe-area-inset-bottom,0px))}' +
    '.r .b,.r .p{right:20px}' +
    '.l .b,.l .p{left:20px}' +
    '.b{display:flex;align-items:center;gap:8px;border:0;border-radius:99px;padding:12px 20px;' +
    'background:var(--c);color:var(--t);font:600 15px/1 system-ui,sans-serif;cursor:pointer;' +
    'box-shadow:0 4px 16px #0004}' +
    '.b:focus-visible{outline:3px solid #111;outline-offset:3px}' +
    '.n{padding:3px 6px;border-radius:9px;background:#c5221f;color:#fff;font-size:12px}' +
    // The preview bubble: the last new message while the chat is closed (text only).
    '.v{position:absolute;bottom:calc(100% + 10px);width:max-content;max-width:260px;' +
    'padding:10px 12px;border-radius:12px;background:#fff;color:#1f2328;font:400 14px/1.35 ' +
    'system-ui,sans-serif;text-align:left;white-space:pre-wrap;overflow-wrap:anywhere;' +
    'display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden;' +
    'box-shadow:0 4px 16px #0003}' +
    '.r .v{right:0}' +
    '.l .v{left:0}' +
    '.v:empty,.o .v{display:none}' +
    '.p{display:none;bottom:84px;width:370px;height:560px;max-height:calc(100vh - 104px);' +
    'border-radius:14px;overflow:hidden;background:#fff;box-shadow:0 8px 40px #0004}' +
    '.o .p{display:block}' +
    '.p iframe{display:block;width:100%;height:100%;border:0}' +
    // Narrow viewports: the open panel covers the screen, inside the safe areas (notches, home bar).
    '@media (max-width:480px){.w .p{inset:env(safe-area-inset-top,0) env(safe-area-inset-right,0) ' +
    'env(safe-area-inset-bottom,0) env(safe-area-inset-left,0);width:auto;height:auto;max-height:none;' +
    'border-radius:0}}'
  );
}

/**
 * What the loader draws, from the site's widget settings (`parley:launcher`). `hidden`: the site
 * hides the launcher while no agent is online; the rule rides on the CSS the loader installs, so
 * the loader itself needs no code for it (the page can still open the chat with `Parley.open()`).
 */
export function launcherAppearance(
  widget: WidgetConfig['widget'],
  hidden = false,
): LauncherAppearance {
  const color = isHexColor(widget.color) ? widget.color : '#1f6feb';
  return {
    css: widgetCss(color) + (hidden ? '.b{display:none!important}' : ''),
    label: widget.launcherLabel.trim().slice(0, 40) || 'Chat',
    position: widget.position === 'left' ? 'left' : 'right',
  };
}
