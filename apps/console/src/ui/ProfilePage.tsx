import { ProfileForm } from './ProfileForm';
import { useApi, useConsole, useStore } from './context';

/** Any agent: its own display name and picture. */
export function ProfilePage() {
  const api = useApi();
  const store = useStore();
  const agent = useConsole((s) => s.agent);
  return (
    <div className="settings-page">
      <h1>Your profile</h1>
      <p className="lead">
        Your name and picture appear beside your replies, in the console and in the chat widget.
      </p>
      <div className="card">
        <p className="muted">
          Signed in as <code>{agent.email}</code>
        </p>
        <ProfileForm
          label="Your profile"
          name={agent.name}
          avatarUrl={agent.avatarUrl}
          onSave={async (update) => {
            store.setAgent((await api.updateProfile(update)).agent);
          }}
        />
      </div>
    </div>
  );
}
