import { type InputHTMLAttributes, type SubmitEvent, useId, useState } from 'react';
import { errorMessage } from '../api/http';

/** A form's work; a text it resolves to is the success notice to show. */
type Work = () => Promise<unknown>;

/** A form's save: whether it is running, its last error and its last success notice. */
export interface Saving {
  pending: boolean;
  error: string | null;
  notice: string | null;
  /** Runs `work`, busy meanwhile: an error it throws is shown, a text it returns is the notice. */
  run: (work: Work) => Promise<void>;
  /** An `onSubmit` handler: keeps the browser from loading a page, then runs `work`. */
  submit: (work: Work) => (event: SubmitEvent<HTMLFormElement>) => void;
  /** Forgets the error and the notice (the form was edited since). */
  reset: () => void;
}

export function useSaving(): Saving {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = async (work: Work) => {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const done = await work();
      if (typeof done === 'string') setNotice(done);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };
  return {
    pending,
    error,
    notice,
    run,
    submit: (work) => (event) => {
      event.preventDefault();
      void run(work);
    },
    reset: () => {
      setError(null);
      setNotice(null);
    },
  };
}

/** A form's error (an alert) and success notice (a status), where the form shows them. */
export function FormMessages({
  error,
  notice,
}: Pick<Saving, 'error'> & { notice?: string | null }) {
  return (
    <>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className="form-success" role="status">
          {notice}
        </p>
      ) : null}
    </>
  );
}

/** A labelled text input in the console's field layout, with an id of its own. */
export function TextField({
  label,
  value,
  onChange,
  ...input
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...input}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </div>
  );
}
