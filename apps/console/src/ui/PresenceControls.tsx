import type { PresenceStatus } from '@parley/protocol';
import { useMemo, useState } from 'react';
import { ConsoleNotifier } from '../lib/notifier';
import { useConsole, useStore } from './context';
import '../styles/presence.css';

export const PRESENCE_LABELS: Record<PresenceStatus, string> = {
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
};

/** A coloured dot with its status in words for screen readers. */
export function PresenceDot({ status, label }: { status: PresenceStatus; label?: string }) {
  return (
    <span className={`presence-dot presence-${status}`} title={label ?? PRESENCE_LABELS[status]}>
      <span className="visually-hidden">{label ?? PRESENCE_LABELS[status]}</span>
    </span>
  );
}

/** The away switch and the notification settings, in the console header. */
export function PresenceControls() {
  const store = useStore();
  const preferences = useConsole((s) => s.preferences);
  const [error, setError] = useState<string | null>(null);
  const [permission, setPermission] = useState(() => ConsoleNotifier.permission());

  if (!preferences) return null;

  async function change(update: Parameters<typeof store.updatePreferences>[0]) {
    setError(await store.updatePreferences(update));
  }

  return (
    <div className="presence-controls">
      <button
        type="button"
        className={`button subtle presence-switch presence-${preferences.away ? 'away' : 'online'}`}
        aria-pressed={preferences.away}
        title={
          preferences.away
            ? 'You are away: no conversations are assigned to you automatically.'
            : 'You are online. Switch to away to take no new conversations.'
        }
        onClick={() => void change({ away: !preferences.away })}
      >
        <PresenceDot status={preferences.away ? 'away' : 'online'} />
        Away
      </button>
      <details className="notification-settings">
        <summary>Notifications</summary>
        <div className="notification-panel">
          <label>
            <input
              type="checkbox"
              checked={preferences.notifyDesktop}
              onChange={(event) => void change({ notifyDesktop: event.target.checked })}
            />
            Browser notifications
          </label>
          <label>
            <input
              type="checkbox"
              checked={preferences.notifySound}
              onChange={(event) => void change({ notifySound: event.target.checked })}
            />
            Sound
          </label>
          {permission === 'default' ? (
            <button
              type="button"
              className="button small"
              onClick={() => {
                void ConsoleNotifier.requestPermission().then(setPermission);
              }}
            >
              Allow browser notifications
            </button>
          ) : permission === 'denied' ? (
            <p className="hint">This browser blocks Parley’s notifications (site settings).</p>
          ) : permission === 'unsupported' ? (
            <p className="hint">This browser cannot show notifications.</p>
          ) : null}
        </div>
      </details>
      {error ? (
        <span className="controls-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

const STATUS_ORDER: Record<PresenceStatus, number> = { online: 0, away: 1, offline: 2 };

/**
 * The team's presence, live: who is online, away or offline, the available first. The list keeps
 * to a bounded height under the inbox however large the team, and folds away to one line.
 */
export function TeamPresence() {
  const teammates = useConsole((s) => s.teammates);
  const presence = useConsole((s) => s.agentPresence);
  const me = useConsole((s) => s.agent);
  const [open, setOpen] = useState(true);
  const others = useMemo(
    () =>
      teammates
        .filter((a) => a.id !== me.id)
        .map((a) => ({ ...a, status: presence[a.id] ?? ('offline' as const) }))
        .sort(
          (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name),
        ),
    [teammates, presence, me.id],
  );
  if (others.length === 0) return null;
  const online = others.filter((a) => a.status === 'online').length;
  return (
    <section className="team-presence" aria-label="Team">
      <h2>
        <button
          type="button"
          className="team-toggle"
          aria-expanded={open}
          aria-controls="team-presence-list"
          onClick={() => {
            setOpen(!open);
          }}
        >
          Team <span className="team-count">{online} online</span>
        </button>
      </h2>
      {open ? (
        <ul id="team-presence-list">
          {others.map((a) => (
            <li key={a.id} data-status={a.status}>
              <PresenceDot status={a.status} />
              <span className="team-name">{a.name}</span>
              <span className="team-status">{PRESENCE_LABELS[a.status]}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
