'use client';

import Link from 'next/link';
import type { PipelineBoard } from '../../lib/crm.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { StageBadge, TierBadge } from '../crm/CrmBadges.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { MoveMenu } from './MoveMenu.tsx';
import type { MoveRequest } from './PipelineView.tsx';

export function PipelineList({
  board,
  pendingIds,
  onMove,
}: {
  board: PipelineBoard;
  pendingIds: ReadonlySet<string>;
  onMove: (request: MoveRequest) => Promise<boolean>;
}) {
  const { m, locale } = useI18n();
  const rows = board.columns.flatMap((column) => column.artists.map((card) => ({ card, stage: column.stage })));
  return (
    <section className="section" aria-labelledby="pipeline-list-title">
      <h2 id="pipeline-list-title" className="section-title">
        {m.pipeline.listTitle}
      </h2>
      <div className="table-scroll" role="region" aria-labelledby="pipeline-list-title" tabIndex={0}>
        <table className="table">
          <caption className="visually-hidden">{m.pipeline.listCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{m.artists.columns.name}</th>
              <th scope="col">{m.artists.columns.stage}</th>
              <th scope="col">{m.artists.columns.tier}</th>
              <th scope="col" className="num">
                {m.artists.columns.score}
              </th>
              <th scope="col">{m.pipeline.inStageSince}</th>
              <th scope="col">
                <span className="visually-hidden">{m.artists.columns.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ card, stage }) => (
              <tr key={card.id} aria-busy={pendingIds.has(card.id)}>
                <th scope="row">
                  <Link href={`/artists/${card.id}?tab=pipeline`}>{card.stageName}</Link>
                </th>
                <td>
                  <StageBadge stage={stage} />
                </td>
                <td>
                  <TierBadge tier={card.tier} />
                </td>
                <td className="num">{card.scoreTotal}</td>
                <td>
                  <time dateTime={card.stageChangedAt} title={formatDateTime(card.stageChangedAt, locale)}>
                    {formatDate(card.stageChangedAt, locale)}
                  </time>
                </td>
                <td>
                  <MoveMenu card={card} stage={stage} disabled={pendingIds.has(card.id)} onMove={onMove} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
