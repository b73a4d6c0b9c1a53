import { type SubmitEvent, useId, useState } from 'react';
import { errorMessage } from '../../api/http';
import { useApi } from '../context';
import type { SiteSectionProps } from './sections';

/** The site's name, as agents see it beside its conversations. */
export function NameSection({ site, onSaved }: SiteSectionProps) {
  const api = useApi();
  const [name, setName] = useState(site.name);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const nameId = useId();

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      onSaved(await api.updateSite(site.id, { name: name.trim() }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="card" aria-labelledby={headingId} onSubmit={(event) => void submit(event)}>
      <h3 id={headingId}>Name</h3>
      <div className="field-row">
        <div className="field grow">
          <label htmlFor={nameId}>Site name</label>
          <input
            id={nameId}
            required
            maxLength={120}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </div>
        <button type="submit" className="button" disabled={pending || name.trim() === site.name}>
          Rename
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
