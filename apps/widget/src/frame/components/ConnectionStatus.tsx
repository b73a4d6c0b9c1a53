import type { ConnectionState } from '../../shared/messages';
import { useStrings, type Strings } from '../i18n';

const LABELS: Record<ConnectionState, keyof Strings | null> = {
  idle: null,
  connecting: 'connecting',
  connected: 'online',
  reconnecting: 'reconnecting',
  unavailable: 'offline',
};

/** A quiet line under the title: a dot when connected, a short word otherwise. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const t = useStrings();
  const key = LABELS[state];
  const label = key ? t[key] : '';
  return (
    <p className="status" role="status" data-state={state}>
      {state === 'connected' ? (
        <>
          <span className="status__dot" aria-hidden="true" />
          <span className="visually-hidden">{label}</span>
        </>
      ) : (
        label
      )}
    </p>
  );
}
