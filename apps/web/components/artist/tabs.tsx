'use client';

import type { ComponentType } from 'react';
import type { Artist } from '../../lib/crm.ts';
import type { Messages } from '../../lib/i18n.ts';
import { MarketFitTab } from './MarketFitTab.tsx';
import { MetricsTab } from './MetricsTab.tsx';
import { PipelineTab } from './PipelineTab.tsx';
import { ProfileTab } from './ProfileTab.tsx';
import { ScoreTab } from './ScoreTab.tsx';
import { InteractionsTab } from '../artist-work/InteractionsTab.tsx';
import { OpportunitiesTab } from '../artist-work/OpportunitiesTab.tsx';
import { TasksTab } from '../artist-work/TasksTab.tsx';
import { ArtistMessagesTab } from '../notifications/ArtistMessagesTab.tsx';

const teamOnly = ({ isTeam }: { isTeam: boolean }) => isTeam;
// The work tabs only need the artist's id.
const Interactions = ({ artist }: ArtistTabProps) => <InteractionsTab artistId={artist.id} />;
const Opportunities = ({ artist }: ArtistTabProps) => <OpportunitiesTab artistId={artist.id} />;
const Tasks = ({ artist }: ArtistTabProps) => <TasksTab artistId={artist.id} />;

/** What every tab of the artist page receives. */
export interface ArtistTabProps {
  artist: Artist;
  /** admin or staff: may edit, rate, move, read the stage history. */
  isTeam: boolean;
  /** Call after a write that changed the artist (stage, tier, profile) so the header follows. */
  onArtistChange: (artist: Artist) => void;
}

export interface ArtistTabDefinition {
  /** Kept in the URL as ?tab=<id>. */
  id: string;
  label: (m: Messages) => string;
  /** Who sees the tab; every tab is visible when left out. */
  visible?: (props: { isTeam: boolean }) => boolean;
  Component: ComponentType<ArtistTabProps>;
}

/**
 * The tabs of the artist page, in order. To add one (interactions timeline,
 * opportunities, tasks, ...): write components/artist/<Name>Tab.tsx taking
 * ArtistTabProps, add its label under `artist.tabs` in messages/fr.ts and en.ts,
 * and add an entry here. Nothing else in the page needs to change.
 */
export const ARTIST_TABS: readonly ArtistTabDefinition[] = [
  { id: 'profile', label: (m) => m.artist.tabs.profile, Component: ProfileTab },
  { id: 'score', label: (m) => m.artist.tabs.score, Component: ScoreTab },
  { id: 'metrics', label: (m) => m.artist.tabs.metrics, Component: MetricsTab },
  { id: 'pipeline', label: (m) => m.artist.tabs.pipeline, visible: teamOnly, Component: PipelineTab },
  { id: 'market-fit', label: (m) => m.artist.tabs.marketFit, Component: MarketFitTab },
  // Internal team data: artists never see these tabs (and the API answers them 403).
  { id: 'interactions', label: (m) => m.artist.tabs.interactions, visible: teamOnly, Component: Interactions },
  { id: 'opportunities', label: (m) => m.artist.tabs.opportunities, visible: teamOnly, Component: Opportunities },
  { id: 'tasks', label: (m) => m.artist.tabs.tasks, visible: teamOnly, Component: Tasks },
  { id: 'messages', label: (m) => m.notifications.artistTab.label, visible: teamOnly, Component: ArtistMessagesTab },
];
