'use client';

import { formatDate } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { listParticipants } from '../../lib/villas.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { TierBadge } from '../crm/CrmBadges.tsx';
import { useI18n } from '../I18nProvider.tsx';
import Link from 'next/link';
import type { VillaTabProps } from './tabs.tsx';

/** The accepted artists, first accepted first. */
export function ParticipantsTab({ villa }: VillaTabProps) {
  const { m, locale } = useI18n();
  const p = m.spark.participants;
  const list = useAsync((signal) => listParticipants(villa.id, signal), [villa.id, villa.participantsCount]);
  return (
    <section className="section" aria-labelledby="participants-title">
      <h2 id="participants-title" className="section-title">
        {p.title}
      </h2>
      <p className="muted">{format(p.places, { count: Math.max(0, villa.capacity - villa.participantsCount), capacity: villa.capacity })}</p>
      {list.error ? <LoadError title={p.loadError} error={list.error} onRetry={list.reload} retrying={list.loading} /> : null}
      {list.loading && !list.data ? <Loading message={p.loading} /> : null}
      {list.data && list.data.items.length === 0 ? <EmptyState title={p.empty} /> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="participants-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{p.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{p.columns.artist}</th>
                <th scope="col">{p.columns.genre}</th>
                <th scope="col">{p.columns.tier}</th>
                <th scope="col">{p.columns.acceptedAt}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((row) => (
                <tr key={row.applicationId}>
                  <th scope="row">
                    <Link href={`/artists/${row.artistId}`}>{row.stageName}</Link>
                  </th>
                  <td>{row.genre}</td>
                  <td>{row.tier ? <TierBadge tier={row.tier} /> : m.commerce.common.none}</td>
                  <td>{row.acceptedAt ? formatDate(row.acceptedAt, locale) : m.commerce.common.none}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
