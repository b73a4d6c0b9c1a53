import type { UpdateProfileRequest } from '@parley/protocol';
import { useId, useState } from 'react';
import { FormMessages, useSaving } from './forms';

export interface ProfileFormProps {
  name: string;
  avatarUrl: string | null | undefined;
  /** Accessible name of the form ("Your profile", "Profile of Bea"). */
  label: string;
  onSave: (update: UpdateProfileRequest) => Promise<void>;
}

/** A display name and a picture URL (https), as the agent or an admin edits them. */
export function ProfileForm({ name, avatarUrl, label, onSave }: ProfileFormProps) {
  const [nextName, setNextName] = useState(name);
  const [nextAvatar, setNextAvatar] = useState(avatarUrl ?? '');
  const saving = useSaving();
  const nameId = useId();
  const avatarId = useId();

  const submit = saving.submit(async () => {
    const avatar = nextAvatar.trim();
    await onSave({ name: nextName.trim(), avatarUrl: avatar === '' ? null : avatar });
    return 'Saved. Visitors see the new name and picture on new replies.';
  });

  const preview = nextAvatar.trim().startsWith('https://') ? nextAvatar.trim() : null;
  return (
    <form className="profile-form" aria-label={label} onSubmit={submit}>
      <div className="field-row">
        <div className="field">
          <label htmlFor={nameId}>Display name</label>
          <input
            id={nameId}
            required
            maxLength={100}
            value={nextName}
            onChange={(event) => {
              setNextName(event.target.value);
            }}
          />
        </div>
        <div className="field grow">
          <label htmlFor={avatarId}>Picture URL (https)</label>
          <input
            id={avatarId}
            type="url"
            maxLength={500}
            placeholder="https://example.com/me.png"
            value={nextAvatar}
            onChange={(event) => {
              setNextAvatar(event.target.value);
            }}
          />
        </div>
        {preview ? (
          <img className="avatar avatar-large" src={preview} alt="" width={40} height={40} />
        ) : null}
      </div>
      <FormMessages error={saving.error} notice={saving.notice} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={saving.pending}
          aria-busy={saving.pending}
        >
          Save profile
        </button>
      </div>
    </form>
  );
}
