import {
  VisitorDetailsResponseSchema,
  type VisitorDetails,
  type VisitorDetailsResponse,
} from '@parley/protocol';
import { useEffect, useState } from 'react';
import { errorMessage, requestJson } from '../api/http';
import { routeHref } from '../lib/route';
import { parseUserAgent } from '../lib/user-agent';
import { useStore } from './context';

/** The visitor's local time now, in its own time zone ("14:05"), or null when unknown. */
function localTime(timeZone: string | null, now: Date): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(now);
  } catch {
    return null;
  }
}

function Field({ label, value }: { label: string; value: string | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd dir="auto" aria-label={label}>
        {value ?? '—'}
      </dd>
    </>
  );
}

/**
 * Who the visitor is, beside the conversation: name, email, verified badge, the page it is on
 * (live), where it came from, browser and system, language, local time, custom attributes and
 * its other conversations.
 */
export function VisitorPanel({
  visitorId,
  conversationId,
}: {
  visitorId: string;
  conversationId: string;
}) {
  const store = useStore();
  const [data, setData] = useState<VisitorDetailsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    let cancelled = false;
    requestJson(`/api/visitors/${encodeURIComponent(visitorId)}`, VisitorDetailsResponseSchema)
      .then((response) => {
        if (!cancelled) setData(response);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(errorMessage(e));
      });
    const off = store.onVisitorUpdated((visitor: VisitorDetails) => {
      if (visitor.id === visitorId) setData((d) => (d ? { ...d, visitor } : d));
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [store, visitorId, conversationId]);

  useEffect(() => {
    const timer = setInterval(() => {
      setNow(new Date());
    }, 30_000);
    return () => {
      clearInterval(timer);
    };
  }, []);

  if (error) {
    return (
      <aside className="visitor-panel" aria-label="Visitor">
        <p role="alert">{error}</p>
      </aside>
    );
  }
  if (!data) {
    return (
      <aside className="visitor-panel" aria-label="Visitor" aria-busy="true">
        <p>Loading the visitor…</p>
      </aside>
    );
  }
  const { visitor, conversations } = data;
  const { browser, os } = parseUserAgent(visitor.userAgent);
  const time = localTime(visitor.timeZone, now);
  const attributes = Object.entries(visitor.attributes);
  const others = conversations.filter((c) => c.id !== conversationId);
  return (
    <aside className="visitor-panel" aria-label="Visitor">
      <h2 dir="auto">
        {visitor.name ?? 'Anonymous visitor'}{' '}
        {visitor.verifiedUserId !== null ? (
          <span className="verified-badge" title={`Verified user ${visitor.verifiedUserId}`}>
            Verified
          </span>
        ) : null}
      </h2>
      <dl className="visitor-fields">
        <Field label="Email" value={visitor.email} />
        <dt>Current page</dt>
        <dd aria-label="Current page" className="visitor-url">
          {visitor.pageUrl ?? '—'}
        </dd>
        <Field label="Referrer" value={visitor.referrer} />
        <Field label="Browser" value={browser} />
        <Field label="Operating system" value={os} />
        <Field label="Language" value={visitor.language} />
        <Field
          label="Local time"
          value={time === null ? null : `${time} (${visitor.timeZone ?? ''})`}
        />
      </dl>
      <h3>Attributes</h3>
      {attributes.length === 0 ? (
        <p className="muted">None set.</p>
      ) : (
        <dl className="visitor-fields" aria-label="Attributes">
          {attributes.map(([name, value]) => (
            <Field key={name} label={name} value={String(value)} />
          ))}
        </dl>
      )}
      <h3>Past conversations</h3>
      {others.length === 0 ? (
        <p className="muted">No other conversation.</p>
      ) : (
        <ul className="visitor-conversations" aria-label="Past conversations">
          {others.map((c) => (
            <li key={c.id}>
              <a href={routeHref({ page: 'conversation', conversationId: c.id })}>
                <span dir="auto">{c.lastMessagePreview ?? 'No messages'}</span>{' '}
                <span className="muted">
                  {c.status.toLowerCase()} · {new Date(c.createdAt).toLocaleDateString()}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
