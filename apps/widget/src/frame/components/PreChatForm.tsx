import type { PreChatSettings } from '@parley/protocol';
import { Limits } from '@parley/protocol/zod-free';
import { useState } from 'react';
import { useStrings } from '../i18n';

export interface PreChatFormProps {
  settings: PreChatSettings;
  /** What the visitor already gave (prefilled). */
  visitor: { name: string | null; email: string | null };
  onSubmit: (fields: {
    name: string;
    email: string;
  }) => Promise<{ field: 'name' | 'email' | null; message: string } | null>;
}

/** Name and email before the first message, as the site's settings ask for them. */
export function PreChatForm({ settings, visitor, onSubmit }: PreChatFormProps) {
  const t = useStrings();
  const [name, setName] = useState(visitor.name ?? '');
  const [email, setEmail] = useState(visitor.email ?? '');
  const [problem, setProblem] = useState<{
    field: 'name' | 'email' | null;
    message: string;
  } | null>(null);
  const [busy, setBusy] = useState(false);

  const field = (
    key: 'name' | 'email',
    value: string,
    set: (value: string) => void,
    mode: PreChatSettings['name'],
  ) =>
    mode === 'off' ? null : (
      <label className="prechat__field">
        <span>
          {key === 'name' ? t.name : t.email}
          {mode === 'optional' && ` ${t.optional}`}
        </span>
        <input
          type={key === 'email' ? 'email' : 'text'}
          autoComplete={key === 'email' ? 'email' : 'name'}
          maxLength={key === 'email' ? Limits.emailMax : Limits.nameMax}
          required={mode === 'required'}
          aria-invalid={problem?.field === key}
          value={value}
          onChange={(event) => {
            set(event.target.value);
          }}
        />
      </label>
    );

  return (
    <form
      className="prechat"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (busy) return;
        setBusy(true);
        void onSubmit({ name, email }).then((refused) => {
          setBusy(false);
          setProblem(refused);
        });
      }}
    >
      <p className="prechat__intro">{t.preChatIntro}</p>
      {field('name', name, setName, settings.name)}
      {field('email', email, setEmail, settings.email)}
      {problem && (
        <p className="prechat__error" role="alert">
          {problem.message}
        </p>
      )}
      <button type="submit" className="prechat__start" disabled={busy}>
        {t.startChat}
      </button>
    </form>
  );
}
