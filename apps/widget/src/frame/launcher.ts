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

/** What the loader draws, from the site's widget settings (`parley:launcher`). */
export function launcherAppearance(widget: WidgetConfig['widget']): LauncherAppearance {
  const color = isHexColor(widget.color) ? widget.color : '#1f6feb';
  return {
    css: widgetCss(color),
    label: widget.launcherLabel.trim().slice(0, 40) || 'Chat',
    position: widget.position === 'left' ? 'left' : 'right',
  };
}
