import { type Agent, Limits, type MeResponse } from '@parley/protocol';
import { useState } from 'react';
import type { ConsoleApi } from '../api/console-api';
import { AuthForm } from './AuthForm';
import { TextField } from './forms';

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
      <TextField
        label="One-time password"
        type="password"
        autoComplete="current-password"
        maxLength={Limits.passwordMax}
        required
        value={current}
        onChange={setCurrent}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        minLength={Limits.passwordMin}
        maxLength={Limits.passwordMax}
        required
        value={next}
        onChange={setNext}
      />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        maxLength={Limits.passwordMax}
        required
        value={repeat}
        onChange={setRepeat}
      />
    </AuthForm>
  );
}
