import { ATTACHMENT_TYPES, Limits, TypingNotifier } from '@parley/protocol';
import { type SubmitEvent, type KeyboardEvent, useEffect, useId, useMemo, useState } from 'react';
import { uploadAttachment } from '../lib/attachments';
import { insertCanned, matchingCanned, shortcutQuery } from '../lib/canned';
import { useConsole, useStore } from './context';

/** Most canned responses suggested at once. */
const SUGGESTIONS_MAX = 6;

export function Composer({ conversationId }: { conversationId: string }) {
  const store = useStore();
  const connected = useConsole((s) => s.connection.status === 'connected');
  const canned = useConsole((s) => s.cannedResponses);
  const [text, setText] = useState(() => store.getDraft(conversationId));
  const [note, setNote] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const inputId = useId();
  const hintId = useId();
  // The visitor sees "typing…" while the agent writes a reply (never while writing a note).
  const typing = useMemo(
    () =>
      new TypingNotifier({
        send: (on) => {
          store.agentTyping(conversationId, on);
        },
      }),
    [store, conversationId],
  );
  useEffect(
    () => () => {
      typing.stop();
    },
    [typing],
  );
  useEffect(() => {
    if (note) typing.stop();
  }, [note, typing]);

  const query = shortcutQuery(text);
  const suggestions = useMemo(
    () => (query === null ? [] : matchingCanned(canned, query).slice(0, SUGGESTIONS_MAX)),
    [canned, query],
  );
  const suggesting = suggestions.length > 0 && !dismissed;

  const length = text.trim().length;
  const tooLong = length > Limits.messageBodyMax;
  const canSend = length > 0 && !tooLong;

  function update(value: string) {
    if (!note && value.trim()) typing.input();
    else typing.stop();
    setText(value);
    setDismissed(false);
    store.setDraft(conversationId, value);
  }

  function send() {
    if (!canSend) return;
    typing.stop();
    if (store.sendReply(conversationId, text, { internal: note })) update('');
  }

  async function sendFile(file: File) {
    setFileError(null);
    setUploading(file.name);
    const result = await uploadAttachment(file);
    setUploading(null);
    if (!result.ok) {
      setFileError(result.message);
      return;
    }
    store.sendReply(conversationId, '', { internal: note, attachment: result.attachment });
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    const first = suggestions[0];
    if (suggesting && first && (event.key === 'Tab' || event.key === 'Enter') && !event.shiftKey) {
      // The first suggestion goes in; the next Enter sends.
      event.preventDefault();
      update(insertCanned(text, first));
      return;
    }
    if (suggesting && event.key === 'Escape') {
      event.preventDefault();
      setDismissed(true);
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    send();
  }

  const label = note ? 'Internal note' : 'Reply';
  return (
    <form className={`composer${note ? ' composer-note' : ''}`} onSubmit={onSubmit}>
      <div className="composer-modes" role="group" aria-label="Message kind">
        <button
          type="button"
          aria-pressed={!note}
          onClick={() => {
            setNote(false);
          }}
        >
          Reply
        </button>
        <button
          type="button"
          aria-pressed={note}
          onClick={() => {
            setNote(true);
          }}
        >
          Internal note
        </button>
      </div>
      {suggesting ? (
        <ul className="canned-suggestions" aria-label="Canned responses">
          {suggestions.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                onClick={() => {
                  update(insertCanned(text, c));
                }}
              >
                <span className="canned-shortcut">/{c.shortcut}</span>{' '}
                <span className="canned-body" dir="auto">
                  {c.body}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={inputId}
        name="reply"
        data-composer=""
        rows={3}
        placeholder={
          note ? 'Write a note for your team (the visitor never sees it)…' : 'Write a reply…'
        }
        aria-describedby={hintId}
        aria-invalid={tooLong}
        value={text}
        onChange={(event) => {
          update(event.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      {uploading !== null ? (
        <p className="composer-hint" role="status">
          Uploading {uploading}…
        </p>
      ) : null}
      {fileError !== null ? (
        <p className="composer-hint error" role="alert">
          {fileError}
        </p>
      ) : null}
      <div className="composer-footer">
        <p className={`composer-hint${tooLong ? ' error' : ''}`} id={hintId}>
          {tooLong
            ? `This ${note ? 'note' : 'reply'} is ${String(length)} characters long; the limit is ${String(Limits.messageBodyMax)}.`
            : suggesting
              ? 'Tab or Enter inserts the first canned response, Esc hides them.'
              : !connected
                ? 'You are offline. Replies are kept and sent in order when the connection is back.'
                : note
                  ? 'Only agents see internal notes. Enter to add, Shift+Enter for a new line.'
                  : 'Enter to send, Shift+Enter for a new line. Type / for canned responses.'}
        </p>
        <label className="button composer-attach">
          Attach file
          <input
            type="file"
            className="visually-hidden"
            accept={ATTACHMENT_TYPES.join(',')}
            disabled={uploading !== null}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void sendFile(file);
            }}
          />
        </label>
        <button type="submit" className="button primary" disabled={!canSend}>
          {note ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
