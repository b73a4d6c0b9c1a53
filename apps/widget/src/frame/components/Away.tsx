import type { WidgetAvailability } from '@parley/protocol';
import { type FormEvent, useId } from 'react';
import { useStrings } from '../i18n';

/** The next opening in the visitor's own time zone and language: "Monday 09:00". */
export function formatOpening(iso: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

/** "We're away": when the site opens next (in the visitor's time) and a question for an email. */
export function Away({
  availability,
  email,
  askEmail,
  onEmail,
  draft,
  onDraft,
}: {
  availability: WidgetAvailability;
  email: string | null;
  askEmail: boolean;
  onEmail: (email: string) => void;
  /** The email being typed, kept by the caller so it survives agents coming and going. */
  draft: string;
  onDraft: (draft: string) => void;
}) {
  const t = useStrings();
  const inputId = useId();
  const locale = document.documentElement.lang || 'en';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = draft.trim();
    if (value) onEmail(value);
  };
  return (
    <section className="chat__availability chat__availability--away" aria-label={t.away}>
      <p className="chat__away-title">{t.away}</p>
      <p>
        {availability.nextOpenAt
          ? t.backAt.replace('{time}', formatOpening(availability.nextOpenAt, locale))
          : t.replyLater}
      </p>
      {email ? (
        <p className="chat__email-saved">{t.emailSaved.replace('{email}', email)}</p>
      ) : askEmail ? (
        <form className="chat__email" onSubmit={submit}>
          <label htmlFor={inputId}>{t.emailAsk}</label>
          <div className="chat__email-row">
            <input
              id={inputId}
              type="email"
              required
              autoComplete="email"
              placeholder={t.emailLabel}
              aria-label={t.emailLabel}
              value={draft}
              onChange={(event) => {
                onDraft(event.target.value);
              }}
            />
            <button type="submit">{t.emailSave}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
