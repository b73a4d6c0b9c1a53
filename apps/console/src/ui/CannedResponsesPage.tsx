import { type CannedResponse, Limits } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { errorMessage } from '../api/http';
import { useApi, useStore } from './context';
import { FormMessages, useSaving } from './forms';

interface Draft {
  shortcut: string;
  body: string;
}

/** The shortcut and text of a canned response, for a new one or an edit. */
function CannedForm({
  initial,
  label,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: Draft;
  label: string;
  submitLabel: string;
  onSubmit: (draft: Draft) => Promise<void>;
  onCancel?: () => void;
}) {
  const [shortcut, setShortcut] = useState(initial.shortcut);
  const [body, setBody] = useState(initial.body);
  const saving = useSaving();
  const shortcutId = useId();
  const bodyId = useId();

  const submit = saving.submit(async () => {
    await onSubmit({ shortcut: shortcut.trim(), body });
    if (!onCancel) {
      setShortcut('');
      setBody('');
    }
  });

  return (
    <form aria-label={label} className="canned-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={shortcutId}>Shortcut</label>
        <span className="shortcut-input">
          <span aria-hidden="true">/</span>
          <input
            id={shortcutId}
            required
            maxLength={32}
            pattern="[a-z0-9][a-z0-9_\-]*"
            placeholder="refund"
            value={shortcut}
            onChange={(event) => {
              setShortcut(event.target.value);
            }}
          />
        </span>
      </div>
      <div className="field">
        <label htmlFor={bodyId}>Text</label>
        <textarea
          id={bodyId}
          required
          rows={3}
          maxLength={Limits.messageBodyMax}
          value={body}
          onChange={(event) => {
            setBody(event.target.value);
          }}
        />
      </div>
      <FormMessages error={saving.error} />
      <div className="form-actions">
        {onCancel ? (
          <button type="button" className="button subtle" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending}
          aria-busy={saving.pending}
        >
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function CannedItem({
  item,
  onSaved,
  onDeleted,
}: {
  item: CannedResponse;
  onSaved: (item: CannedResponse) => void;
  onDeleted: (id: string) => void;
}) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (editing) {
    return (
      <li className="canned-item">
        <CannedForm
          initial={item}
          label={`Edit /${item.shortcut}`}
          submitLabel="Save"
          onCancel={() => {
            setEditing(false);
          }}
          onSubmit={async (draft) => {
            onSaved(await api.updateCannedResponse(item.id, draft));
            setEditing(false);
          }}
        />
      </li>
    );
  }
  return (
    <li className="canned-item" aria-label={`/${item.shortcut}`}>
      <div className="canned-text">
        <code>/{item.shortcut}</code>
        <p dir="auto">{item.body}</p>
      </div>
      <div className="canned-actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            setEditing(true);
          }}
        >
          Edit /{item.shortcut}
        </button>
        <button
          type="button"
          className="button subtle"
          onClick={() => {
            if (!window.confirm(`Delete the canned response /${item.shortcut}?`)) return;
            setError(null);
            api.deleteCannedResponse(item.id).then(
              () => {
                onDeleted(item.id);
              },
              (caught: unknown) => {
                setError(errorMessage(caught));
              },
            );
          }}
        >
          Delete /{item.shortcut}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** Admins: the canned responses agents insert by typing `/shortcut` in the composer. */
export function CannedResponsesPage({ isAdmin }: { isAdmin: boolean }) {
  const api = useApi();
  const store = useStore();
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();

  useEffect(() => {
    let cancelled = false;
    api.cannedResponses().then(
      (next) => {
        if (!cancelled) setItems(next);
      },
      (caught: unknown) => {
        if (!cancelled) setError(errorMessage(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const update = (next: CannedResponse[]) => {
    const sorted = [...next].sort((a, b) => a.shortcut.localeCompare(b.shortcut));
    setItems(sorted);
    store.setCannedResponses(sorted);
  };

  return (
    <div className="settings-page">
      <h1>Canned responses</h1>
      <p className="lead">
        Ready-made replies: agents type <code>/</code> and the shortcut in the reply box.
      </p>
      {!isAdmin ? (
        <p className="form-error" role="alert">
          Only admins can change the canned responses.
        </p>
      ) : (
        <section className="card" aria-labelledby={headingId}>
          <h2 id={headingId}>New canned response</h2>
          <CannedForm
            initial={{ shortcut: '', body: '' }}
            label="New canned response"
            submitLabel="Add"
            onSubmit={async (draft) => {
              const created = await api.createCannedResponse(draft);
              update([...(items ?? []), created]);
            }}
          />
        </section>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : !items ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">No canned responses yet.</p>
      ) : (
        <ul className="card canned-list" aria-label="Canned responses">
          {items.map((item) =>
            isAdmin ? (
              <CannedItem
                key={item.id}
                item={item}
                onSaved={(saved) => {
                  update(items.map((i) => (i.id === saved.id ? saved : i)));
                }}
                onDeleted={(id) => {
                  update(items.filter((i) => i.id !== id));
                }}
              />
            ) : (
              <li key={item.id} className="canned-item">
                <div className="canned-text">
                  <code>/{item.shortcut}</code>
                  <p dir="auto">{item.body}</p>
                </div>
              </li>
            ),
          )}
        </ul>
      )}
    </div>
  );
}
