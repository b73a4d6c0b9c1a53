import { SATISFACTION_COMMENT_MAX } from '@parley/protocol/zod-free';
import { useState } from 'react';
import { useStrings } from '../i18n';

export interface SurveyProps {
  conversationId: string;
  /** Resolves with a reason when the rating was not taken. */
  onRate: (conversationId: string, rating: number, comment: string) => Promise<string | null>;
  onDismiss: (conversationId: string) => void;
}

/** Asked once under a resolved conversation: 1 to 5 and an optional comment. */
export function Survey({ conversationId, onRate, onDismiss }: SurveyProps) {
  const t = useStrings();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  return (
    <form
      className="survey"
      aria-label={t.surveyQuestion}
      onSubmit={(event) => {
        event.preventDefault();
        if (rating === null || busy) return;
        setBusy(true);
        void onRate(conversationId, rating, comment).then((problem) => {
          setBusy(false);
          setError(problem);
        });
      }}
    >
      <fieldset className="survey__scale">
        <legend className="survey__question">{t.surveyQuestion}</legend>
        {[1, 2, 3, 4, 5].map((value) => (
          <label key={value} className="survey__option">
            <input
              type="radio"
              name={`rating-${conversationId}`}
              value={value}
              checked={rating === value}
              onChange={() => {
                setRating(value);
              }}
              aria-label={t.ratingLabel.replace('{n}', String(value))}
            />
            <span aria-hidden="true">{value}</span>
          </label>
        ))}
      </fieldset>
      <label className="survey__comment">
        <span>{t.comment}</span>
        <textarea
          rows={2}
          maxLength={SATISFACTION_COMMENT_MAX}
          value={comment}
          onChange={(event) => {
            setComment(event.target.value);
          }}
        />
      </label>
      {error && (
        <p className="survey__error" role="alert">
          {error}
        </p>
      )}
      <div className="survey__actions">
        <button type="submit" className="survey__send" disabled={rating === null || busy}>
          {t.sendRating}
        </button>
        <button
          type="button"
          className="survey__dismiss"
          onClick={() => {
            onDismiss(conversationId);
          }}
        >
          {t.notNow}
        </button>
      </div>
    </form>
  );
}
