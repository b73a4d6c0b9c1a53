import type { AgentRole, ManagedAgent } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { errorMessage } from '../api/http';
import { CopyButton } from './CopyButton';
import { FormMessages, useSaving, TextField } from './forms';
import { ProfileForm } from './ProfileForm';
import { useApi, useConsole } from './context';

/** A new agent's one-time password, shown once right after it was created. */
interface Created {
  agent: ManagedAgent;
  password: string;
}

function NewAgentForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<AgentRole>('AGENT');
  const saving = useSaving();
  const headingId = useId();
  const roleId = useId();

  const submit = saving.submit(async () => {
    const created = await api.createAgent({ email: email.trim(), name: name.trim(), role });
    onCreated(created);
    setEmail('');
    setName('');
    setRole('AGENT');
  });

  return (
    <form className="card" aria-labelledby={headingId} onSubmit={submit}>
      <h2 id={headingId}>Add an agent</h2>
      <p className="muted">
        The new agent signs in with a one-time password, shown here once, and then chooses their
        own.
      </p>
      <div className="field-row">
        <TextField label="Name" required maxLength={100} value={name} onChange={setName} />
        <TextField
          label="Email"
          type="email"
          required
          maxLength={254}
          value={email}
          onChange={setEmail}
        />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select
            id={roleId}
            value={role}
            onChange={(event) => {
              setRole(event.target.value === 'ADMIN' ? 'ADMIN' : 'AGENT');
            }}
          >
            <option value="AGENT">Agent</option>
            <option value="ADMIN">Admin</option>
          </select>
        </div>
      </div>
      <FormMessages error={saving.error} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending}
          aria-busy={saving.pending}
        >
          Add agent
        </button>
      </div>
    </form>
  );
}

function AgentRow({
  agent,
  self,
  onChanged,
}: {
  agent: ManagedAgent;
  self: boolean;
  onChanged: (agent: ManagedAgent) => void;
}) {
  const api = useApi();
  const { pending, error, run } = useSaving();

  const change = (update: { role?: AgentRole; active?: boolean }) =>
    run(async () => {
      onChanged(await api.updateAgent(agent.id, update));
    });

  return (
    <tr aria-label={agent.name} data-active={agent.active}>
      <td>
        <span className="agent-cell">
          {agent.avatarUrl ? (
            <img className="avatar" src={agent.avatarUrl} alt="" width={28} height={28} />
          ) : (
            <span className="avatar avatar-initial" aria-hidden="true">
              {agent.name.slice(0, 1).toUpperCase()}
            </span>
          )}
          <span>
            <span dir="auto">{agent.name}</span>
            {self ? <span className="muted"> (you)</span> : null}
            <br />
            <span className="muted">{agent.email}</span>
          </span>
        </span>
      </td>
      <td>
        <select
          aria-label={`Role of ${agent.name}`}
          value={agent.role}
          disabled={pending}
          onChange={(event) => {
            void change({ role: event.target.value === 'ADMIN' ? 'ADMIN' : 'AGENT' });
          }}
        >
          <option value="AGENT">Agent</option>
          <option value="ADMIN">Admin</option>
        </select>
      </td>
      <td>
        {!agent.active
          ? 'Deactivated'
          : agent.mustChangePassword
            ? 'Invited (one-time password)'
            : 'Active'}
        <FormMessages error={error} />
      </td>
      <td>
        <details className="row-details">
          <summary>Edit {agent.name}</summary>
          <ProfileForm
            label={`Profile of ${agent.name}`}
            name={agent.name}
            avatarUrl={agent.avatarUrl}
            onSave={async (update) => {
              onChanged(await api.updateAgent(agent.id, update));
            }}
          />
        </details>
        {self ? null : agent.active ? (
          <button
            type="button"
            className="button subtle"
            disabled={pending}
            onClick={() => void change({ active: false })}
          >
            Deactivate {agent.name}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={pending}
            onClick={() => void change({ active: true })}
          >
            Reactivate {agent.name}
          </button>
        )}
      </td>
    </tr>
  );
}

/** Admins: the team, new agents with one-time passwords, roles, deactivation. */
export function AgentsPage({ isAdmin }: { isAdmin: boolean }) {
  const api = useApi();
  const me = useConsole((s) => s.agent);
  const [agents, setAgents] = useState<ManagedAgent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);

  useEffect(() => {
    if (!isAdmin) return;
    let cancelled = false;
    api.agents().then(
      (next) => {
        if (!cancelled) setAgents(next);
      },
      (caught: unknown) => {
        if (!cancelled) setError(errorMessage(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, isAdmin]);

  const replace = (agent: ManagedAgent) => {
    setAgents((current) => current?.map((a) => (a.id === agent.id ? agent : a)) ?? null);
  };

  return (
    <div className="settings-page">
      <h1>Agents</h1>
      <p className="lead">Who answers the chats, and who may change the settings.</p>
      {!isAdmin ? (
        <p className="form-error" role="alert">
          Only admins can see and change the agents.
        </p>
      ) : (
        <>
          <NewAgentForm
            onCreated={(next) => {
              setCreated(next);
              setAgents((current) => [...(current ?? []), next.agent]);
            }}
          />
          {created ? (
            <div className="card" role="status" aria-label="One-time password">
              <p>
                <strong dir="auto">{created.agent.name}</strong> can sign in as{' '}
                <code>{created.agent.email}</code> with this one-time password, shown only now:
              </p>
              <p className="secret">
                <code data-testid="one-time-password">{created.password}</code>{' '}
                <CopyButton text={created.password} label="Copy password" />
              </p>
            </div>
          ) : null}
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : !agents ? (
            <p className="muted">Loading agents…</p>
          ) : (
            <div className="card table-scroll">
              <table className="table" aria-label="Agents">
                <thead>
                  <tr>
                    <th scope="col">Agent</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {agents.map((agent) => (
                    <AgentRow
                      key={agent.id}
                      agent={agent}
                      self={agent.id === me.id}
                      onChanged={replace}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
