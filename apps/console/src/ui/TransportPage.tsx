import type {
  ConnectionsResponse,
  TransportMode,
  TransportSettings,
  TransportTunables,
} from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { errorMessage } from '../api/http';
import { formatDateTime, relativeTime } from '../lib/relative-time';
import {
  MODES,
  checkHeartbeat,
  formatBytes,
  formatDuration,
  modeLabel,
  transportLabel,
} from '../lib/transport-modes';
import { useApi, useConsole } from './context';
import { FormMessages, useSaving } from './forms';
import { useNow } from './hooks';

/** How often the Connections section refreshes while the page is open. */
export const CONNECTIONS_REFRESH_MS = 5_000;

function ModeForm({
  settings,
  onSaved,
}: {
  settings: TransportSettings;
  onSaved: (settings: TransportSettings) => void;
}) {
  const api = useApi();
  // null follows the current mode, also when another admin changes it.
  const [choice, setChoice] = useState<TransportMode | null>(null);
  const selected = choice ?? settings.mode;
  const saving = useSaving();
  const groupLabelId = useId();

  const save = saving.submit(async () => {
    const next = await api.updateTransport(selected);
    onSaved(next);
    setChoice(null);
    return `Saved. Transport mode is now ${modeLabel(next.mode)}; connected widgets and consoles are switching over.`;
  });

  return (
    <form className="card" onSubmit={save}>
      <h2 id={groupLabelId}>Transport mode</h2>
      <p className="muted">
        Current mode: <strong data-testid="current-mode">{modeLabel(settings.mode)}</strong>
      </p>
      <div className="mode-options" role="radiogroup" aria-labelledby={groupLabelId}>
        {MODES.map((mode) => {
          const inputId = `transport-mode-${mode.mode}`;
          const descriptionId = `${inputId}-description`;
          return (
            <div
              key={mode.mode}
              className={`mode-option${selected === mode.mode ? ' selected' : ''}`}
            >
              <input
                type="radio"
                id={inputId}
                name="transport-mode"
                value={mode.mode}
                checked={selected === mode.mode}
                aria-describedby={descriptionId}
                onChange={() => {
                  setChoice(mode.mode);
                  saving.reset();
                }}
              />
              <div>
                <label htmlFor={inputId}>{mode.label}</label>
                {settings.mode === mode.mode ? <span className="current-tag">current</span> : null}
                <div id={descriptionId} className="mode-description">
                  <p>{mode.summary}</p>
                  <p className="muted">{mode.whenToUse}</p>
                </div>
              </div>
            </div>
          );
        })}
      </div>
      <FormMessages error={saving.error} notice={saving.notice} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending}
          aria-busy={saving.pending}
        >
          Save
        </button>
      </div>
    </form>
  );
}

function Tunables({ tunables }: { tunables: TransportTunables }) {
  const heartbeat = checkHeartbeat(tunables);
  return (
    <section className="card" aria-labelledby="tunables-heading">
      <h2 id="tunables-heading">Heartbeat and limits</h2>
      <p className="muted">
        The server pings every connection every <em>ping interval</em> and drops it when no answer
        comes within the <em>ping timeout</em>. A load balancer closes connections that stay silent
        longer than its idle timeout (60 s by default on AWS and Alibaba Cloud), so the ping
        interval plus the ping timeout must stay below that idle timeout.
      </p>
      <dl className="facts">
        <div>
          <dt>Ping interval</dt>
          <dd>{formatDuration(tunables.pingIntervalMs)}</dd>
        </div>
        <div>
          <dt>Ping timeout</dt>
          <dd>{formatDuration(tunables.pingTimeoutMs)}</dd>
        </div>
        <div>
          <dt>Load balancer idle timeout</dt>
          <dd>{formatDuration(tunables.loadBalancerIdleTimeoutMs)}</dd>
        </div>
        <div>
          <dt>Largest message</dt>
          <dd>{formatBytes(tunables.maxHttpBufferSize)}</dd>
        </div>
        <div>
          <dt>Reconnection delay</dt>
          <dd>
            {formatDuration(tunables.reconnectionDelayMs)} to{' '}
            {formatDuration(tunables.reconnectionDelayMaxMs)}
          </dd>
        </div>
      </dl>
      <p className={heartbeat.ok ? 'check ok' : 'check warning'} role="note">
        {heartbeat.ok
          ? `Heartbeat ${formatDuration(heartbeat.heartbeatMs)} stays below the ${formatDuration(heartbeat.idleTimeoutMs)} idle timeout (${formatDuration(heartbeat.marginMs)} to spare).`
          : `Heartbeat ${formatDuration(heartbeat.heartbeatMs)} is not below the ${formatDuration(heartbeat.idleTimeoutMs)} idle timeout: the load balancer may cut idle connections. Lower the ping interval or timeout, or raise the idle timeout.`}
      </p>
      <p className="muted small">These values are set in the server configuration.</p>
    </section>
  );
}

function AuditTrail({ settings }: { settings: TransportSettings }) {
  const now = useNow();
  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Changes</h2>
      {settings.changes.length === 0 ? (
        <p className="muted">The mode has not been changed yet.</p>
      ) : (
        <table className="table" aria-labelledby="audit-heading">
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {settings.changes.map((change) => (
              <tr key={change.id}>
                <td>{modeLabel(change.from)}</td>
                <td>{modeLabel(change.to)}</td>
                <td>
                  {change.changedBy ? (
                    <span title={change.changedBy.email}>{change.changedBy.name}</span>
                  ) : (
                    'System'
                  )}
                </td>
                <td>
                  <time dateTime={change.changedAt} title={relativeTime(change.changedAt, now)}>
                    {formatDateTime(change.changedAt)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Connections() {
  const api = useApi();
  const now = useNow(CONNECTIONS_REFRESH_MS);
  const [data, setData] = useState<ConnectionsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    let inFlight = false;
    const load = () => {
      if (inFlight) return;
      inFlight = true;
      api.connections().then(
        (next) => {
          inFlight = false;
          if (cancelled) return;
          setData(next);
          setError(null);
          setUpdatedAt(Date.now());
        },
        (caught: unknown) => {
          inFlight = false;
          if (!cancelled) setError(errorMessage(caught));
        },
      );
    };
    load();
    const timer = setInterval(load, CONNECTIONS_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api]);

  return (
    <section className="card" aria-labelledby="connections-heading">
      <div className="card-heading">
        <h2 id="connections-heading">Connections</h2>
        {updatedAt ? (
          <span className="muted small">
            Updated {relativeTime(new Date(updatedAt).toISOString(), now)} · refreshes every{' '}
            {formatDuration(CONNECTIONS_REFRESH_MS)}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {!data ? (
        error ? null : (
          <p className="muted">Loading connections…</p>
        )
      ) : (
        <>
          <div className="stats">
            <div className="stat">
              <span className="stat-value" data-testid="count-polling">
                {data.countsByTransport.polling}
              </span>
              <span className="stat-label">Long-polling</span>
            </div>
            <div className="stat">
              <span className="stat-value" data-testid="count-websocket">
                {data.countsByTransport.websocket}
              </span>
              <span className="stat-label">WebSocket</span>
            </div>
          </div>

          <h3 id="live-connections-heading">Live connections</h3>
          {data.connections.length === 0 ? (
            <p className="muted">No live connections.</p>
          ) : (
            <div className="table-scroll">
              <table className="table" aria-labelledby="live-connections-heading">
                <thead>
                  <tr>
                    <th scope="col">Namespace</th>
                    <th scope="col">Who</th>
                    <th scope="col">Transport</th>
                    <th scope="col">Since</th>
                    <th scope="col">Node</th>
                    <th scope="col">Last activity</th>
                  </tr>
                </thead>
                <tbody>
                  {data.connections.map((connection) => (
                    <tr key={connection.id}>
                      <td>
                        <code>{connection.namespace}</code>
                      </td>
                      <td title={connection.principalId}>{connection.principalLabel}</td>
                      <td>{transportLabel(connection.transport)}</td>
                      <td>
                        <time
                          dateTime={connection.connectedAt}
                          title={formatDateTime(connection.connectedAt)}
                        >
                          {relativeTime(connection.connectedAt, now)}
                        </time>
                      </td>
                      <td>
                        <code>{connection.node}</code>
                      </td>
                      <td>
                        <time
                          dateTime={connection.lastActivityAt}
                          title={formatDateTime(connection.lastActivityAt)}
                        >
                          {relativeTime(connection.lastActivityAt, now)}
                        </time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h3 id="failures-heading">Recent failures by reason</h3>
          {data.failureCounts.length === 0 ? (
            <p className="muted">No failed handshakes or upgrades reported recently.</p>
          ) : (
            <table className="table" aria-labelledby="failures-heading">
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Transport</th>
                  <th scope="col">Count</th>
                </tr>
              </thead>
              <tbody>
                {data.failureCounts.map((failure) => (
                  <tr key={`${failure.reason}|${failure.transport}`}>
                    <td>{failure.reason}</td>
                    <td>{transportLabel(failure.transport)}</td>
                    <td>{failure.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.failures.length > 0 ? (
            <details className="recent-failures">
              <summary>Latest reports ({Math.min(data.failures.length, 20)})</summary>
              <ul>
                {data.failures.slice(0, 20).map((failure, index) => (
                  <li key={`${failure.at}-${String(index)}`}>
                    <time dateTime={failure.at} title={formatDateTime(failure.at)}>
                      {relativeTime(failure.at, now)}
                    </time>{' '}
                    — {failure.client}, {failure.phase} over {transportLabel(failure.transport)}:{' '}
                    {failure.reason}
                    {failure.statusCode ? ` (HTTP ${String(failure.statusCode)})` : ''} on{' '}
                    <code>{failure.node}</code>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}

export function TransportPage({ isAdmin }: { isAdmin: boolean }) {
  const api = useApi();
  const revision = useConsole((s) => s.transportRevision);
  const [settings, setSettings] = useState<TransportSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!isAdmin) return;
    let cancelled = false;
    api.transportSettings().then(
      (next) => {
        if (cancelled) return;
        setSettings(next);
        setError(null);
      },
      (caught: unknown) => {
        if (!cancelled) setError(errorMessage(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, isAdmin, revision]);

  return (
    <div className="settings-page">
      <h1>Real-time transport</h1>
      <p className="lead">
        How widgets and consoles keep their live connection to Parley. Changes apply at once:
        connected clients reconnect with the new mode and lose no messages.
      </p>
      {!isAdmin ? (
        <p className="form-error" role="alert">
          Only admins can see and change the transport settings.
        </p>
      ) : error && !settings ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : !settings ? (
        <p className="muted">Loading settings…</p>
      ) : (
        <>
          <ModeForm settings={settings} onSaved={setSettings} />
          <Tunables tunables={settings.tunables} />
          <AuditTrail settings={settings} />
          <Connections />
        </>
      )}
    </div>
  );
}
