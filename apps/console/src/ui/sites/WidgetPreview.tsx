import type { WidgetSettings } from '@parley/protocol';
import type { CSSProperties } from 'react';

/** Dark or white text on the launcher's colour: the widget's own rule (shared/color.ts). */
function textOn(color: string): string {
  const value = parseInt(color.slice(1), 16);
  if (Number.isNaN(value)) return '#fff';
  const brightness =
    ((value >> 16) * 299 + ((value >> 8) & 255) * 587 + (value & 255) * 114) / 1000;
  return brightness > 160 ? '#111' : '#fff';
}

/**
 * A drawing of the widget as visitors will see it with these settings: the open chat with the
 * greeting and an agent's reply, and the launcher on its side. `dark` decides the scheme of an
 * `auto` theme (the admin's own preference, as a visitor's would).
 */
export function WidgetPreview({
  widget,
  agentName,
  agentAvatarUrl,
  prefersDark,
}: {
  widget: WidgetSettings;
  agentName: string;
  agentAvatarUrl: string | null | undefined;
  prefersDark: boolean;
}) {
  const dark = widget.theme === 'dark' || (widget.theme === 'auto' && prefersDark);
  const valid = /^#[0-9a-fA-F]{6}$/.test(widget.color);
  const color = valid ? widget.color : '#1f6feb';
  const style = { '--preview-color': color, '--preview-on-color': textOn(color) } as CSSProperties;
  return (
    <figure
      className={`widget-preview ${dark ? 'preview-dark' : 'preview-light'} preview-${widget.position}`}
      style={style}
      aria-label="Widget preview"
      data-theme={dark ? 'dark' : 'light'}
      data-position={widget.position}
    >
      <div className="preview-panel">
        <div className="preview-header">{widget.title}</div>
        <div className="preview-log">
          {widget.greeting ? <p className="preview-msg preview-agent">{widget.greeting}</p> : null}
          <p className="preview-msg preview-visitor">Hello, I have a question.</p>
          <div className="preview-author">
            {agentAvatarUrl ? (
              <img className="avatar" src={agentAvatarUrl} alt="" width={18} height={18} />
            ) : null}
            <span dir="auto">{agentName}</span>
          </div>
          <p className="preview-msg preview-agent">Sure, how can I help?</p>
        </div>
        <div className="preview-composer">Write a message…</div>
      </div>
      <span className="preview-launcher">{widget.launcherLabel}</span>
    </figure>
  );
}
