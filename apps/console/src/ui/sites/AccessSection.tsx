import { useId, useState } from 'react';
import { originsFromText } from '../../lib/origins';
import { useApi } from '../context';
import { FormMessages, useSaving } from '../forms';
import type { SiteSectionProps } from './sections';

/** Where the site's widget may run, and identity verification (secret and enforcement). */
export function AccessSection({ site, onSaved }: SiteSectionProps) {
  const api = useApi();
  const [origins, setOrigins] = useState(site.allowedOrigins.join('\n'));
  const [anyOrigin, setAnyOrigin] = useState(site.allowAnyOrigin);
  const [enforce, setEnforce] = useState(site.identity.enforced);
  const saving = useSaving();
  const [secret, setSecret] = useState<string | null>(null);
  const originsId = useId();
  const headingId = useId();

  const save = saving.submit(async () => {
    const next = await api.updateSite(site.id, {
      allowedOrigins: originsFromText(origins),
      allowAnyOrigin: anyOrigin,
      enforceIdentity: enforce,
    });
    onSaved(next);
    setOrigins(next.allowedOrigins.join('\n'));
    return 'Saved. Widgets follow the new settings from their next connection.';
  });

  const createSecret = () =>
    saving.run(async () => {
      const result = await api.createIdentitySecret(site.id);
      onSaved(result.site);
      setSecret(result.secret);
    });

  return (
    <form className="card" aria-labelledby={headingId} onSubmit={save}>
      <h3 id={headingId}>Access</h3>
      <h4>Where the widget may run</h4>
      <label htmlFor={originsId}>Allowed origins, one per line</label>
      <textarea
        id={originsId}
        rows={3}
        value={origins}
        placeholder="https://shop.example"
        onChange={(event) => {
          setOrigins(event.target.value);
        }}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={anyOrigin}
          onChange={(event) => {
            setAnyOrigin(event.target.checked);
          }}
        />
        Allow any origin (any website may embed this widget)
      </label>
      {!anyOrigin && originsFromText(origins).length === 0 ? (
        <p className="check warning" role="note">
          No origin is allowed: the widget runs on no website until you add one.
        </p>
      ) : null}

      <h4>Identity verification</h4>
      <p className="muted">
        {site.identity.hasSecret
          ? 'This site has an identity secret: your server signs user ids with it (userHash).'
          : 'No identity secret yet: visitors cannot prove who they are.'}
      </p>
      {secret ? (
        <p className="check ok" role="status">
          New secret, shown only now: <code>{secret}</code>
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void createSecret()}>
          {site.identity.hasSecret ? 'Replace identity secret' : 'Create identity secret'}
        </button>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enforce}
          disabled={!site.identity.hasSecret}
          onChange={(event) => {
            setEnforce(event.target.checked);
          }}
        />
        Accept only verified identities (refuse identify() without a valid userHash)
      </label>

      <FormMessages error={saving.error} notice={saving.notice} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending}
          aria-busy={saving.pending}
        >
          Save
        </button>
      </div>
    </form>
  );
}
