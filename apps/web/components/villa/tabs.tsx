'use client';

import type { ComponentType } from 'react';
import type { Messages } from '../../lib/i18n.ts';
import type { VillaDetail } from '../../lib/villas.ts';
import { ApplicationsTab } from './ApplicationsTab.tsx';
import { BudgetTab } from './BudgetTab.tsx';
import { ContentTab } from './ContentTab.tsx';
import { OverviewTab } from './OverviewTab.tsx';
import { ParticipantsTab } from './ParticipantsTab.tsx';
import { ScheduleTab } from './ScheduleTab.tsx';
import { SponsorsTab } from './SponsorsTab.tsx';

/** What every tab of the villa page receives. */
export interface VillaTabProps {
  villa: VillaDetail;
  /** Call after a write that may have changed the villa (status, counts) so the header follows. */
  onVillaChange: () => void;
}

export interface VillaTabDefinition {
  /** Kept in the URL as ?tab=<id>. */
  id: string;
  label: (m: Messages) => string;
  Component: ComponentType<VillaTabProps>;
}

/**
 * The tabs of the villa page, in order. To add one: write
 * components/villa/<Name>Tab.tsx taking VillaTabProps, add its label under
 * `spark.villa.tabs` in messages/spark.fr.ts and spark.en.ts, and add an entry here.
 */
export const VILLA_TABS: readonly VillaTabDefinition[] = [
  { id: 'overview', label: (m) => m.spark.villa.tabs.overview, Component: OverviewTab },
  { id: 'applications', label: (m) => m.spark.villa.tabs.applications, Component: ApplicationsTab },
  { id: 'participants', label: (m) => m.spark.villa.tabs.participants, Component: ParticipantsTab },
  { id: 'schedule', label: (m) => m.spark.villa.tabs.schedule, Component: ScheduleTab },
  { id: 'budget', label: (m) => m.spark.villa.tabs.budget, Component: BudgetTab },
  { id: 'sponsors', label: (m) => m.spark.villa.tabs.sponsors, Component: SponsorsTab },
  { id: 'content', label: (m) => m.spark.villa.tabs.content, Component: ContentTab },
];
