import {
  DEFAULT_PRE_CHAT,
  type PreChatFieldMode,
  type PreChatSettings,
  type Site,
} from '@parley/protocol';
import { type SubmitEvent, useId, useState } from 'react';
import { errorMessage } from '../api/http';
import { useApi } from './context';

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
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const headingId = useId();

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!api.updatePreChat) return;
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const updated = await api.updatePreChat(site.id, settings);
      onSaved(updated);
      setSaved('Pre-chat form saved.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="card site-card prechat-editor"
      aria-labelledby={headingId}
      onSubmit={(event) => void save(event)}
    >
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
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {saved ? (
        <p className="form-success" role="status">
          {saved}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving} aria-busy={saving}>
          Save pre-chat form
        </button>
      </div>
    </form>
  );
}
