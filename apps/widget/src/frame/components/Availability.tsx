import type { WidgetAvailability } from '@parley/protocol';
import { Suspense, useState } from 'react';
import { useStrings } from '../i18n';
import { Away } from '../later';

/**
 * Who can answer: "We typically reply in a few minutes" while agents are online within business
 * hours; otherwise "We're away", when the site opens next and a question for an email to reply to
 * (`Away`, a later part). The conversation itself stays open for the agents either way.
 */
export function Availability({
  availability,
  email,
  askEmail = true,
  onEmail,
}: {
  availability: WidgetAvailability | undefined;
  email: string | null;
  /** False while the pre-chat form asks for the email: one question, not two. */
  askEmail?: boolean;
  onEmail: (email: string) => void;
}) {
  const t = useStrings();
  const [draft, setDraft] = useState('');
  if (!availability) return null;
  if (availability.agentsOnline && availability.withinHours) {
    return <p className="chat__availability chat__availability--online">{t.replySoon}</p>;
  }
  return (
    <Suspense fallback={null}>
      <Away
        availability={availability}
        email={email}
        askEmail={askEmail}
        onEmail={onEmail}
        draft={draft}
        onDraft={setDraft}
      />
    </Suspense>
  );
}
