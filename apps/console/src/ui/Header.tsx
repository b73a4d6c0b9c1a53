import { useState } from 'react';
import { ApiRequestError } from '../api/http';
import { type Route, routeHref } from '../lib/route';
import type { ConnectionState } from '../state/store';
import { PresenceControls } from './PresenceControls';
import { useApi, useConsole } from './context';

function transportName(transport: string | null): string | null {
  if (transport === 'websocket') return 'WebSocket';
  if (transport === 'polling') return 'long-polling';
  return transport;
}

export function connectionLabel(connection: ConnectionState): string {
  switch (connection.status) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
  }
}

function ConnectionIndicator() {
  const connection = useConsole((s) => s.connection);
  const transport = transportName(connection.transport);
  return (
    <div
      className={`connection connection-${connection.status}`}
      role="status"
      title={
        connection.detail ??
        (connection.status === 'connected' && transport ? `Connected via ${transport}` : undefined)
      }
    >
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{connectionLabel(connection)}</span>
      {connection.status === 'connected' && transport ? (
        <span className="connection-transport" data-testid="transport-name">
          via {transport}
        </span>
      ) : null}
    </div>
  );
}

export function Header({
  route,
  onSignedOut,
  onShowShortcuts,
}: {
  route: Route;
  onSignedOut: (notice: string | null) => void;
  /** Opens the list of keyboard shortcuts (also `?`). */
  onShowShortcuts: () => void;
}) {
  const api = useApi();
  const agent = useConsole((s) => s.agent);
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    try {
      await api.logout();
      onSignedOut(null);
    } catch (error) {
      if (error instanceof ApiRequestError && error.isUnauthorized) onSignedOut(null);
      else {
        onSignedOut(
          'The server could not be reached to end the session. It ends by itself when it expires.',
        );
      }
    }
  }

  const inboxActive = route.page === 'inbox' || route.page === 'conversation';
  return (
    <header className="topbar">
      <a className="brand" href={routeHref({ page: 'inbox' })}>
        <span className="brand-mark" aria-hidden="true" />
        Parley
      </a>
      <nav className="nav" aria-label="Main">
        <a href={routeHref({ page: 'inbox' })} aria-current={inboxActive ? 'page' : undefined}>
          Inbox
        </a>
        <a
          href={routeHref({ page: 'reports' })}
          aria-current={route.page === 'reports' ? 'page' : undefined}
        >
          Reports
        </a>
        {agent.role === 'ADMIN' ? (
          <a
            href={routeHref({ page: 'transport' })}
            aria-current={route.page === 'transport' ? 'page' : undefined}
          >
            Transport
          </a>
        ) : null}
        {agent.role === 'ADMIN' ? (
          <a
            href={routeHref({ page: 'sites' })}
            aria-current={route.page === 'sites' ? 'page' : undefined}
          >
            Sites
          </a>
        ) : null}
        {agent.role === 'ADMIN' ? (
          <a
            href={routeHref({ page: 'agents' })}
            aria-current={route.page === 'agents' ? 'page' : undefined}
          >
            Agents
          </a>
        ) : null}
        {agent.role === 'ADMIN' ? (
          <a
            href={routeHref({ page: 'canned' })}
            aria-current={route.page === 'canned' ? 'page' : undefined}
          >
            Canned responses
          </a>
        ) : null}
      </nav>
      <div className="topbar-end">
        <ConnectionIndicator />
        <PresenceControls />
        <button
          type="button"
          className="button subtle shortcuts-button"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={onShowShortcuts}
        >
          <span aria-hidden="true">?</span>
        </button>
        <a
          className="agent"
          title={`${agent.email}: your profile`}
          href={routeHref({ page: 'profile' })}
          aria-current={route.page === 'profile' ? 'page' : undefined}
        >
          {agent.avatarUrl ? (
            <img className="avatar" src={agent.avatarUrl} alt="" width={22} height={22} />
          ) : null}
          {agent.name}
          {agent.role === 'ADMIN' ? <span className="role-badge">Admin</span> : null}
        </a>
        <button
          type="button"
          className="button subtle"
          disabled={signingOut}
          onClick={() => void signOut()}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
