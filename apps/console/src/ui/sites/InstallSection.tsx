import { useId } from 'react';
import { CopyButton } from '../CopyButton';
import type { SiteSectionProps } from './sections';

/** The `<script>` tag a website owner pastes into every page. */
export function installSnippet(origin: string, publicKey: string): string {
  return `<script async src="${origin}/widget.js" data-site-key="${publicKey}"></script>`;
}

/** The site's public key and the snippet that installs its widget, with a copy button. */
export function InstallSection({ site }: SiteSectionProps) {
  const headingId = useId();
  const snippet = installSnippet(window.location.origin, site.publicKey);
  return (
    <section className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>Install</h3>
      <p className="muted">
        Public key: <code data-testid="site-key">{site.publicKey}</code>. Paste this tag into every
        page of the website, before <code>&lt;/body&gt;</code>:
      </p>
      <pre className="snippet" aria-label="Install snippet">
        <code>{snippet}</code>
      </pre>
      <div className="form-actions">
        <CopyButton text={snippet} label="Copy snippet" />
      </div>
    </section>
  );
}
