import type { Agent, MeResponse } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { ConsoleApi } from '../api/console-api';
import { errorMessage } from '../api/http';
import { ChoosePasswordPage } from './ChoosePasswordPage';
import { LoginPage } from './LoginPage';
import { SignedInApp } from './SignedInApp';
import { ApiContext } from './context';

type AuthState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'signedOut'; readonly notice: string | null }
  | { readonly kind: 'choosePassword'; readonly agent: Agent }
  | { readonly kind: 'signedIn'; readonly agent: Agent };

function stateOf(session: MeResponse): AuthState {
  return session.mustChangePassword
    ? { kind: 'choosePassword', agent: session.agent }
    : { kind: 'signedIn', agent: session.agent };
}

export const SESSION_ENDED_NOTICE = 'Your session has ended. Sign in again to continue.';

export function App({ api }: { api: ConsoleApi }) {
  const [auth, setAuth] = useState<AuthState>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (session) => {
        if (cancelled) return;
        setAuth(session ? stateOf(session) : { kind: 'signedOut', notice: null });
      },
      (error: unknown) => {
        if (!cancelled) setAuth({ kind: 'unreachable', message: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  const signedIn = useCallback((session: MeResponse) => {
    setAuth(stateOf(session));
  }, []);
  const sessionEnded = useCallback(() => {
    setAuth({ kind: 'signedOut', notice: SESSION_ENDED_NOTICE });
  }, []);
  const signedOut = useCallback((notice: string | null) => {
    setAuth({ kind: 'signedOut', notice });
  }, []);

  let page;
  switch (auth.kind) {
    case 'checking':
      page = (
        <main className="splash" aria-busy="true">
          <p>Loading…</p>
        </main>
      );
      break;
    case 'unreachable':
      page = (
        <main className="splash">
          <div className="splash-card" role="alert">
            <h1>The console cannot start</h1>
            <p>{auth.message}</p>
            <button
              type="button"
              className="button primary"
              onClick={() => {
                setAuth({ kind: 'checking' });
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </button>
          </div>
        </main>
      );
      break;
    case 'signedOut':
      page = <LoginPage api={api} onSignedIn={signedIn} notice={auth.notice} />;
      break;
    case 'choosePassword':
      page = (
        <ChoosePasswordPage
          api={api}
          agent={auth.agent}
          onChosen={signedIn}
          onSignedOut={signedOut}
        />
      );
      break;
    case 'signedIn':
      page = (
        <SignedInApp
          key={auth.agent.id}
          agent={auth.agent}
          onSessionEnded={sessionEnded}
          onSignedOut={signedOut}
        />
      );
      break;
  }

  return <ApiContext value={api}>{page}</ApiContext>;
}
