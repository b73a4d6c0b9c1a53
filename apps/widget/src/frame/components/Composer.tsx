import { ATTACHMENT_TYPES, Limits } from '@parley/protocol/zod-free';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStrings } from '../i18n';

export interface ComposerProps {
  disabled: boolean;
  /** Focus the textbox when this becomes true (the panel opened). */
  focused: boolean;
  /** Returns true when the message was accepted (the textbox is then cleared). */
  onSend: (text: string) => boolean;
  /** Every keystroke (typing notices). */
  onInput?: () => void;
  /** A file the visitor picked to send. */
  onFile?: (file: File) => void;
  /** Files can be sent now (the session is ready and no file is going out). */
  canAttach?: boolean;
}

/** Enter sends, Shift+Enter starts a new line. */
export function Composer({
  disabled,
  focused,
  onSend,
  onInput,
  onFile,
  canAttach = false,
}: ComposerProps) {
  const [text, setText] = useState('');
  const t = useStrings();
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (focused) ref.current?.focus();
  }, [focused]);

  const submit = () => {
    if (onSend(text)) setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const nearLimit = text.length > Limits.messageBodyMax * 0.9;

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={ref}
        className="composer__input"
        aria-label={t.message}
        placeholder={t.placeholder}
        rows={2}
        maxLength={Limits.messageBodyMax}
        value={text}
        disabled={disabled}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value.trim()) onInput?.();
        }}
        onKeyDown={onKeyDown}
      />
      {onFile && (
        <label className="composer__attach" data-disabled={disabled || !canAttach}>
          {/* Drawn, not an emoji: pages on systems without an emoji font would show a blank box. */}
          <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            width="20"
            height="20"
            className="composer__clip"
          >
            <path d="M16.5 6.5 8.9 14.1a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.7-5.7l-8 8a6 6 0 0 0 8.5 8.5l6.4-6.4" />
          </svg>
          <span className="visually-hidden">{t.attach}</span>
          <input
            type="file"
            className="visually-hidden"
            aria-label={t.attach}
            accept={ATTACHMENT_TYPES.join(',')}
            disabled={disabled || !canAttach}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) onFile(file);
            }}
          />
        </label>
      )}
      <button type="submit" className="composer__send" disabled={disabled || !text.trim()}>
        {t.send}
      </button>
      {nearLimit && (
        <p className="composer__count">
          {text.length} / {Limits.messageBodyMax}
        </p>
      )}
    </form>
  );
}
