'use client';

import type { PipelineStage, Tier } from '@mona/shared';
import { useI18n } from '../I18nProvider.tsx';

/** The MONA tier as text in a coloured pill (the text carries the meaning, not the colour). */
/** `withLabel` adds "Tier:" for screen readers; `visibleLabel` shows it to everyone. */
export function TierBadge({ tier, withLabel = false, visibleLabel = false }: { tier: Tier; withLabel?: boolean; visibleLabel?: boolean }) {
  const { m } = useI18n();
  return (
    <span className={`tier-badge tier-badge--${tier}`} data-tier={tier}>
      {visibleLabel ? <span className="badge-label">{m.crm.tierLabel} </span> : withLabel ? <span className="visually-hidden">{m.crm.tierLabel} </span> : null}
      {m.crm.tiers[tier]}
    </span>
  );
}

export function StageBadge({ stage, withLabel = false, visibleLabel = false }: { stage: PipelineStage; withLabel?: boolean; visibleLabel?: boolean }) {
  const { m } = useI18n();
  return (
    <span className="stage-badge" data-stage={stage}>
      {visibleLabel ? (
        <span className="badge-label">{m.crm.stageLabel} </span>
      ) : withLabel ? (
        <span className="visually-hidden">{m.crm.stageLabel} </span>
      ) : null}
      {m.crm.stages[stage]}
    </span>
  );
}

export function ArchivedBadge() {
  const { m } = useI18n();
  return <span className="role-tag">{m.crm.archived}</span>;
}
