import { Limits } from '@parley/protocol';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStrings } from '../i18n';

export interface ComposerProps {
  disabled: boolean;
  /** Focus the textbox when this becomes true (the panel opened). */
  focused: boolean;
  /** Returns true when the message was accepted (the textbox is then cleared). */
  onSend: (text: string) => boolean;
}

/** Enter sends, Shift+Enter starts a new line. */
export function Composer({ disabled, focused, onSend }: ComposerProps) {
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
        }}
        onKeyDown={onKeyDown}
      />
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
