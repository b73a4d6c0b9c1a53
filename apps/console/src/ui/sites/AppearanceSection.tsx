import { type WidgetSettings, WidgetSettingsSchema, type WidgetTheme } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { useApi, useConsole } from '../context';
import { FormMessages, useSaving } from '../forms';
import type { SiteSectionProps } from './sections';
import { WidgetPreview } from './WidgetPreview';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** The admin's own colour scheme (what an `auto` widget would use); light where unknown. */
function usePrefersDark(): boolean {
  // Missing in some embedded browsers and test DOMs, whatever the DOM types say.
  const supported = typeof (window.matchMedia as unknown) === 'function';
  const [dark, setDark] = useState(() => supported && window.matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    if (!supported) return;
    const list = window.matchMedia(DARK_QUERY);
    const onChange = () => {
      setDark(list.matches);
    };
    list.addEventListener('change', onChange);
    return () => {
      list.removeEventListener('change', onChange);
    };
  }, [supported]);
  return dark;
}

const THEMES: { value: WidgetTheme; label: string }[] = [
  { value: 'auto', label: "Automatic (the visitor's light or dark setting)" },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/**
 * The widget's colour, side, texts and theme, with a live preview. Saved, it reaches every open
 * widget of the site at once.
 */
export function AppearanceSection({ site, onSaved }: SiteSectionProps) {
  const api = useApi();
  const agent = useConsole((s) => s.agent);
  const prefersDark = usePrefersDark();
  const [draft, setDraft] = useState<WidgetSettings>(site.widget);
  const saving = useSaving();
  const ids = {
    heading: useId(),
    title: useId(),
    greeting: useId(),
    color: useId(),
    colorText: useId(),
    label: useId(),
    theme: useId(),
  };

  const change = (patch: Partial<WidgetSettings>) => {
    setDraft((current) => ({ ...current, ...patch }));
    saving.reset();
  };
  const checked = WidgetSettingsSchema.safeParse(draft);
  const problems = checked.success
    ? []
    : checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

  const submit = saving.submit(async () => {
    const next = await api.updateSite(site.id, { widget: draft });
    onSaved(next);
    setDraft(next.widget);
    return 'Saved. Open widgets of this site change at once.';
  });

  return (
    <form className="card" aria-labelledby={ids.heading} onSubmit={submit}>
      <h3 id={ids.heading}>Appearance</h3>
      <div className="appearance">
        <div className="appearance-fields">
          <div className="field">
            <label htmlFor={ids.title}>Title</label>
            <input
              id={ids.title}
              maxLength={80}
              value={draft.title}
              onChange={(event) => {
                change({ title: event.target.value });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.greeting}>Greeting</label>
            <textarea
              id={ids.greeting}
              rows={2}
              maxLength={500}
              value={draft.greeting}
              onChange={(event) => {
                change({ greeting: event.target.value });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.label}>Launcher label</label>
            <input
              id={ids.label}
              maxLength={40}
              value={draft.launcherLabel}
              onChange={(event) => {
                change({ launcherLabel: event.target.value });
              }}
            />
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={ids.color}>Colour</label>
              <input
                id={ids.color}
                type="color"
                value={
                  /^#[0-9a-fA-F]{6}$/.test(draft.color) ? draft.color.toLowerCase() : '#1f6feb'
                }
                onChange={(event) => {
                  change({ color: event.target.value });
                }}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.colorText}>Colour code</label>
              <input
                id={ids.colorText}
                maxLength={7}
                value={draft.color}
                onChange={(event) => {
                  change({ color: event.target.value.trim() });
                }}
              />
            </div>
          </div>
          <fieldset className="field">
            <legend>Position</legend>
            {(['right', 'left'] as const).map((position) => (
              <label key={position} className="checkbox">
                <input
                  type="radio"
                  name={`${ids.heading}-position`}
                  value={position}
                  checked={draft.position === position}
                  onChange={() => {
                    change({ position });
                  }}
                />
                {position === 'right' ? 'Bottom right' : 'Bottom left'}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={ids.theme}>Theme</label>
            <select
              id={ids.theme}
              value={draft.theme}
              onChange={(event) => {
                const theme = THEMES.find((t) => t.value === event.target.value)?.value;
                if (theme) change({ theme });
              }}
            >
              {THEMES.map((theme) => (
                <option key={theme.value} value={theme.value}>
                  {theme.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <WidgetPreview
          widget={draft}
          agentName={agent.name}
          agentAvatarUrl={agent.avatarUrl}
          prefersDark={prefersDark}
        />
      </div>
      {problems.length > 0 ? (
        <ul className="check warning" role="note">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <FormMessages error={saving.error} notice={saving.notice} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending || problems.length > 0}
          aria-busy={saving.pending}
        >
          Save appearance
        </button>
      </div>
    </form>
  );
}
