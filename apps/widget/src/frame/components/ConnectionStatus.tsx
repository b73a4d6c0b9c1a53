import type { ConnectionState } from '../../shared/messages';

const LABELS: Record<ConnectionState, string> = {
  idle: '',
  connecting: 'Connecting…',
  connected: 'Online',
  reconnecting: 'Reconnecting…',
  unavailable: 'Offline',
};

/** A quiet line under the title: a dot when connected, a short word otherwise. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <p className="status" role="status" data-state={state}>
      {state === 'connected' ? (
        <>
          <span className="status__dot" aria-hidden="true" />
          <span className="visually-hidden">{LABELS[state]}</span>
        </>
      ) : (
        LABELS[state]
      )}
    </p>
  );
}
