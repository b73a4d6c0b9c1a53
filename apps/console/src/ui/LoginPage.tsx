import { Limits, type MeResponse } from '@parley/protocol';
import { useState } from 'react';
import type { ConsoleApi } from '../api/console-api';
import { AuthForm } from './AuthForm';
import { TextField } from './forms';

export interface LoginPageProps {
  api: Pick<ConsoleApi, 'login'>;
  /** Signed in; `mustChangePassword` when the password was a one-time one. */
  onSignedIn: (session: MeResponse) => void;
  /** Why the agent is seeing this page again (for example, an expired session). */
  notice?: string | null;
}

export function LoginPage({ api, onSignedIn, notice = null }: LoginPageProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  return (
    <AuthForm
      title="Sign in to the console"
      notice={notice}
      submitLabel="Sign in"
      run={async () => {
        onSignedIn(await api.login({ email: email.trim(), password }));
      }}
    >
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        maxLength={Limits.emailMax}
        required
        value={email}
        onChange={setEmail}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        maxLength={Limits.passwordMax}
        required
        value={password}
        onChange={setPassword}
      />
    </AuthForm>
  );
}
