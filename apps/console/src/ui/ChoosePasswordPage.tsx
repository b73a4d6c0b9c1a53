import { type Agent, Limits, type MeResponse } from '@parley/protocol';
import { type SubmitEvent, useId, useState } from 'react';
import type { ConsoleApi } from '../api/console-api';
import { type FormError, toFormError } from './LoginPage';

export interface ChoosePasswordPageProps {
  api: Pick<ConsoleApi, 'changePassword' | 'logout'>;
  agent: Agent;
  onChosen: (session: MeResponse) => void;
  onSignedOut: (notice: string | null) => void;
}

/**
 * After signing in with the one-time password an admin gave: the agent chooses its own before
 * the console opens (the API refuses everything else until then).
 */
export function ChoosePasswordPage({ api, agent, onChosen, onSignedOut }: ChoosePasswordPageProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const currentId = useId();
  const nextId = useId();
  const repeatId = useId();
  const errorId = useId();

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (next !== repeat) {
      setError({ message: 'The two new passwords differ.', details: [] });
      return;
    }
    setPending(true);
    setError(null);
    try {
      onChosen(await api.changePassword({ currentPassword: current, newPassword: next }));
    } catch (caught) {
      setError(toFormError(caught));
      setPending(false);
    }
  }

  return (
    <main className="login">
      <form
        className="login-card"
        onSubmit={(event) => void submit(event)}
        aria-describedby={error ? errorId : undefined}
        noValidate
      >
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Parley</span>
        </div>
        <h1>Choose your password</h1>
        <p className="notice">
          Welcome, <span dir="auto">{agent.name}</span>. The password you signed in with worked only
          once: choose your own (at least {Limits.passwordMin} characters).
        </p>
        {error ? (
          <div className="form-error" role="alert" id={errorId}>
            <p>{error.message}</p>
            {error.details.length > 0 ? (
              <ul>
                {error.details.map((detail) => (
                  <li key={detail}>{detail}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <input type="hidden" name="email" autoComplete="username" value={agent.email} readOnly />
        <div className="field">
          <label htmlFor={currentId}>One-time password</label>
          <input
            id={currentId}
            type="password"
            autoComplete="current-password"
            maxLength={Limits.passwordMax}
            required
            value={current}
            onChange={(event) => {
              setCurrent(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={nextId}>New password</label>
          <input
            id={nextId}
            type="password"
            autoComplete="new-password"
            minLength={Limits.passwordMin}
            maxLength={Limits.passwordMax}
            required
            value={next}
            onChange={(event) => {
              setNext(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={repeatId}>Repeat the new password</label>
          <input
            id={repeatId}
            type="password"
            autoComplete="new-password"
            maxLength={Limits.passwordMax}
            required
            value={repeat}
            onChange={(event) => {
              setRepeat(event.target.value);
            }}
          />
        </div>
        <button
          type="submit"
          className="button primary wide"
          disabled={pending}
          aria-busy={pending}
        >
          Set password
        </button>
        <button
          type="button"
          className="button subtle wide"
          onClick={() => {
            void api.logout().finally(() => {
              onSignedOut(null);
            });
          }}
        >
          Sign out
        </button>
      </form>
    </main>
  );
}
