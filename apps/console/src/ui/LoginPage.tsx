import { Limits, type MeResponse } from '@parley/protocol';
import { type SubmitEvent, useId, useState } from 'react';
import type { ConsoleApi } from '../api/console-api';
import { ApiRequestError, errorMessage } from '../api/http';

export interface LoginPageProps {
  api: Pick<ConsoleApi, 'login'>;
  /** Signed in; `mustChangePassword` when the password was a one-time one. */
  onSignedIn: (session: MeResponse) => void;
  /** Why the agent is seeing this page again (for example, an expired session). */
  notice?: string | null;
}

export interface FormError {
  message: string;
  details: string[];
}

export function toFormError(error: unknown): FormError {
  if (error instanceof ApiRequestError) {
    return { message: error.message, details: Object.values(error.details ?? {}) };
  }
  return { message: errorMessage(error), details: [] };
}

export function LoginPage({ api, onSignedIn, notice = null }: LoginPageProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const emailId = useId();
  const passwordId = useId();
  const errorId = useId();

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      onSignedIn(await api.login({ email: email.trim(), password }));
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
        <h1>Sign in to the console</h1>
        {notice && !error ? <p className="notice">{notice}</p> : null}
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
        <div className="field">
          <label htmlFor={emailId}>Email</label>
          <input
            id={emailId}
            type="email"
            name="email"
            autoComplete="username"
            maxLength={Limits.emailMax}
            required
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>Password</label>
          <input
            id={passwordId}
            type="password"
            name="password"
            autoComplete="current-password"
            maxLength={Limits.passwordMax}
            required
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </div>
        <button
          type="submit"
          className="button primary wide"
          disabled={pending}
          aria-busy={pending}
        >
          Sign in
        </button>
      </form>
    </main>
  );
}
