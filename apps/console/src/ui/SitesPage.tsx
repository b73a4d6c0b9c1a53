import type { Site } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { errorMessage } from '../api/http';
import { useApi } from './context';
import { FormMessages, useSaving } from './forms';
import { SITE_SECTIONS } from './sites/sections';

function NewSiteForm({ onCreated }: { onCreated: (site: Site) => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const saving = useSaving();
  const headingId = useId();
  const nameId = useId();

  const submit = saving.submit(async () => {
    onCreated(await api.createSite({ name: name.trim() }));
    setName('');
  });

  return (
    <form className="card" aria-labelledby={headingId} onSubmit={submit}>
      <h2 id={headingId}>Add a site</h2>
      <div className="field-row">
        <div className="field grow">
          <label htmlFor={nameId}>New site name</label>
          <input
            id={nameId}
            required
            maxLength={120}
            placeholder="Shop"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </div>
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending}
          aria-busy={saving.pending}
        >
          Create site
        </button>
      </div>
      <FormMessages error={saving.error} />
    </form>
  );
}

/** One site: its sections (name, install, access, appearance…), each a card of its own. */
function SiteSettings({ site, onSaved }: { site: Site; onSaved: (site: Site) => void }) {
  const headingId = useId();
  return (
    <section className="site-settings" aria-labelledby={headingId}>
      <h2 id={headingId} dir="auto">
        {site.name}
      </h2>
      {SITE_SECTIONS.map(({ id, Component }) => (
        <Component key={`${site.id}:${id}`} site={site} onSaved={onSaved} />
      ))}
    </section>
  );
}

export function SitesPage({ isAdmin }: { isAdmin: boolean }) {
  const api = useApi();
  const [sites, setSites] = useState<Site[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pickerId = useId();

  useEffect(() => {
    if (!isAdmin) return;
    let cancelled = false;
    api.sites().then(
      (next) => {
        if (!cancelled) setSites(next);
      },
      (caught: unknown) => {
        if (!cancelled) setError(errorMessage(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, isAdmin]);

  const replace = (site: Site) => {
    setSites((current) => current?.map((s) => (s.id === site.id ? site : s)) ?? null);
  };
  const selected = sites?.find((s) => s.id === selectedId) ?? sites?.[0] ?? null;

  return (
    <div className="settings-page">
      <h1>Sites</h1>
      <p className="lead">
        Each website that embeds the chat: how to install it, where it may run, how visitors prove
        who they are, and how it looks.
      </p>
      {!isAdmin ? (
        <p className="form-error" role="alert">
          Only admins can see and change the sites.
        </p>
      ) : error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : !sites ? (
        <p className="muted">Loading sites…</p>
      ) : (
        <>
          <NewSiteForm
            onCreated={(site) => {
              setSites((current) => [...(current ?? []), site]);
              setSelectedId(site.id);
            }}
          />
          {sites.length > 1 ? (
            <div className="field site-picker">
              <label htmlFor={pickerId}>Site</label>
              <select
                id={pickerId}
                value={selected?.id ?? ''}
                onChange={(event) => {
                  setSelectedId(event.target.value);
                }}
              >
                {sites.map((site) => (
                  <option key={site.id} value={site.id}>
                    {site.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {selected ? <SiteSettings key={selected.id} site={selected} onSaved={replace} /> : null}
        </>
      )}
    </div>
  );
}
