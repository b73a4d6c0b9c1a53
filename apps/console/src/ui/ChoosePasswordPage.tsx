import { type Agent, Limits, type MeResponse } from '@parley/protocol';
import { useId, useState } from 'react';
import type { ConsoleApi } from '../api/console-api';
import { AuthForm } from './AuthForm';

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
  const currentId = useId();
  const nextId = useId();
  const repeatId = useId();

  return (
    <AuthForm
      title="Choose your password"
      intro={
        <p className="notice">
          Welcome, <span dir="auto">{agent.name}</span>. The password you signed in with worked only
          once: choose your own (at least {Limits.passwordMin} characters).
        </p>
      }
      submitLabel="Set password"
      run={async () => {
        if (next !== repeat) throw new Error('The two new passwords differ.');
        onChosen(await api.changePassword({ currentPassword: current, newPassword: next }));
      }}
      footer={
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
      }
    >
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
    </AuthForm>
  );
}
