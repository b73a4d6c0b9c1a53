import {
  DEFAULT_PRE_CHAT,
  type PreChatFieldMode,
  type PreChatSettings,
  type Site,
} from '@parley/protocol';
import { useId, useState } from 'react';
import { useApi } from './context';
import { FormMessages, useSaving } from './forms';

const MODES: { value: PreChatFieldMode; label: string }[] = [
  { value: 'off', label: 'Not asked' },
  { value: 'optional', label: 'Optional' },
  { value: 'required', label: 'Required' },
];

const FIELDS: { key: keyof PreChatSettings; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
];

/**
 * The site's pre-chat form: whether the widget asks the visitor's name and email before the
 * first message, and whether each must be given (the server checks required ones too).
 */
export function PreChatEditor({ site, onSaved }: { site: Site; onSaved: (site: Site) => void }) {
  const api = useApi();
  const [settings, setSettings] = useState<PreChatSettings>(site.preChat ?? DEFAULT_PRE_CHAT);
  const saving = useSaving();
  const headingId = useId();

  const save = saving.submit(async () => {
    if (!api.updatePreChat) return;
    onSaved(await api.updatePreChat(site.id, settings));
    return 'Pre-chat form saved.';
  });

  return (
    <form className="card site-card prechat-editor" aria-labelledby={headingId} onSubmit={save}>
      <h3 id={headingId}>Pre-chat form · {site.name}</h3>
      <p className="muted">Asked in the chat before the visitor&apos;s first message.</p>
      {FIELDS.map((field) => (
        <fieldset key={field.key} className="prechat-field">
          <legend>{field.label}</legend>
          {MODES.map((mode) => (
            <label key={mode.value} className="radio">
              <input
                type="radio"
                name={`${site.id}-prechat-${field.key}`}
                value={mode.value}
                checked={settings[field.key] === mode.value}
                onChange={() => {
                  setSettings({ ...settings, [field.key]: mode.value });
                }}
              />
              {mode.label}
            </label>
          ))}
        </fieldset>
      ))}
      <FormMessages error={saving.error} notice={saving.notice} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending}
          aria-busy={saving.pending}
        >
          Save pre-chat form
        </button>
      </div>
    </form>
  );
}
