import type { Site } from '@parley/protocol';
import type { ComponentType } from 'react';
import { PreChatEditor } from '../PreChatEditor';
import { SiteAvailabilityEditor } from '../SiteAvailabilityEditor';
import { AccessSection } from './AccessSection';
import { AppearanceSection } from './AppearanceSection';
import { InstallSection } from './InstallSection';
import { NameSection } from './NameSection';

/** What every section of a site's page receives. */
export interface SiteSectionProps {
  site: Site;
  /** The section saved the site: every section sees the new version. */
  onSaved: (site: Site) => void;
}

/**
 * The sections of a site's settings page, in order. Each is its own card with its own form and
 * Save button; a new setting is a new component added here.
 */
export const SITE_SECTIONS: readonly { id: string; Component: ComponentType<SiteSectionProps> }[] =
  [
    { id: 'name', Component: NameSection },
    { id: 'install', Component: InstallSection },
    { id: 'access', Component: AccessSection },
    { id: 'appearance', Component: AppearanceSection },
    {
      id: 'availability',
      Component: ({ site }) => <SiteAvailabilityEditor siteId={site.id} siteName={site.name} />,
    },
    { id: 'pre-chat', Component: PreChatEditor },
  ];
