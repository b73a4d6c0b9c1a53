import { type ReactNode, type SubmitEvent, useId, useState } from 'react';
import { ApiRequestError, errorMessage } from '../api/http';

export interface FormError {
  message: string;
  details: string[];
}

export function toFormError(error: unknown): FormError {
  if (error instanceof ApiRequestError) {
    return { message: error.message, details: Object.values(error.details ?? {}) };
  }
  return { message: errorMessage(error), details: [] };
}

export interface AuthFormProps {
  title: string;
  /** What the agent reads above the fields; `notice` only while there is no error to read. */
  intro?: ReactNode;
  notice?: string | null;
  submitLabel: string;
  /**
   * The request. Once it succeeds the page goes away, so the form stays busy; what it throws is
   * shown, with the server's details per field.
   */
  run: () => Promise<void>;
  /** The fields, between the error and the submit button. */
  children: ReactNode;
  /** Below the submit button (a second, plain button). */
  footer?: ReactNode;
}

/** The card of the pages before the console opens: signing in and choosing a password. */
export function AuthForm({
  title,
  intro,
  notice = null,
  submitLabel,
  run,
  children,
  footer,
}: AuthFormProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const errorId = useId();

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await run();
    } catch (caught) {
      setError(toFormError(caught));
      setPending(false);
    }
  }

  return (
    <main className="login">
      <form
        className="login-card"
        onSubmit={(event) => void submit(event)}
        aria-describedby={error ? errorId : undefined}
        noValidate
      >
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Parley</span>
        </div>
        <h1>{title}</h1>
        {intro}
        {notice && !error ? <p className="notice">{notice}</p> : null}
        {error ? (
          <div className="form-error" role="alert" id={errorId}>
            <p>{error.message}</p>
            {error.details.length > 0 ? (
              <ul>
                {error.details.map((detail) => (
                  <li key={detail}>{detail}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {children}
        <button
          type="submit"
          className="button primary wide"
          disabled={pending}
          aria-busy={pending}
        >
          {submitLabel}
        </button>
        {footer}
      </form>
    </main>
  );
}
