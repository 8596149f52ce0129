'use client';

import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import type { BoardCard } from '../../lib/crm.ts';
import { format } from '../../lib/i18n.ts';
import { useI18n } from '../I18nProvider.tsx';
import { MenuButton } from '../MenuButton.tsx';
import type { MoveRequest } from './PipelineView.tsx';

/** "Move to…" menu: the keyboard and screen-reader way to move a card (the API decides what is allowed). */
export function MoveMenu({
  card,
  stage,
  disabled,
  onMove,
}: {
  card: BoardCard;
  stage: PipelineStage;
  disabled: boolean;
  onMove: (request: MoveRequest) => Promise<boolean>;
}) {
  const { m } = useI18n();
  return (
    <MenuButton
      label={m.pipeline.moveTo}
      accessibleLabel={format(m.pipeline.moveToNamed, { name: card.stageName })}
      disabled={disabled}
      items={PIPELINE_STAGES.filter((s) => s !== stage).map((s) => ({ id: s, label: m.crm.stages[s] }))}
      onSelect={(to) => void onMove({ card, from: stage, to: to as PipelineStage })}
    />
  );
}
