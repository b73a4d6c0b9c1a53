import { useId, useState } from 'react';
import { useApi } from '../context';
import { FormMessages, useSaving } from '../forms';
import type { SiteSectionProps } from './sections';

/** The site's name, as agents see it beside its conversations. */
export function NameSection({ site, onSaved }: SiteSectionProps) {
  const api = useApi();
  const [name, setName] = useState(site.name);
  const saving = useSaving();
  const headingId = useId();
  const nameId = useId();

  const submit = saving.submit(async () => {
    onSaved(await api.updateSite(site.id, { name: name.trim() }));
  });

  return (
    <form className="card" aria-labelledby={headingId} onSubmit={submit}>
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
        <button
          type="submit"
          className="button"
          disabled={saving.pending || name.trim() === site.name}
        >
          Rename
        </button>
      </div>
      <FormMessages error={saving.error} />
    </form>
  );
}
