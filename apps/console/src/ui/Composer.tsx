import { Limits } from '@parley/protocol';
import { type SubmitEvent, type KeyboardEvent, useId, useState } from 'react';
import { useConsole, useStore } from './context';

export function Composer({ conversationId }: { conversationId: string }) {
  const store = useStore();
  const connected = useConsole((s) => s.connection.status === 'connected');
  const [text, setText] = useState(() => store.getDraft(conversationId));
  const inputId = useId();
  const hintId = useId();

  const length = text.trim().length;
  const tooLong = length > Limits.messageBodyMax;
  const canSend = length > 0 && !tooLong;

  function update(value: string) {
    setText(value);
    store.setDraft(conversationId, value);
  }

  function send() {
    if (!canSend) return;
    if (store.sendReply(conversationId, text)) update('');
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="visually-hidden">
        Reply
      </label>
      <textarea
        id={inputId}
        name="reply"
        rows={3}
        placeholder="Write a reply…"
        aria-describedby={hintId}
        aria-invalid={tooLong}
        value={text}
        onChange={(event) => {
          update(event.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-footer">
        <p className={`composer-hint${tooLong ? ' error' : ''}`} id={hintId}>
          {tooLong
            ? `This reply is ${String(length)} characters long; the limit is ${String(Limits.messageBodyMax)}.`
            : connected
              ? 'Enter to send, Shift+Enter for a new line.'
              : 'You are offline. Replies are kept and sent in order when the connection is back.'}
        </p>
        <button type="submit" className="button primary" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
