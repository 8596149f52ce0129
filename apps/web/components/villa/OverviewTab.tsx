'use client';

import { APPLICATION_STATUSES } from '@mona/shared';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useI18n } from '../I18nProvider.tsx';
import { ApplicationStatusPill, Gauge, VillaStatusPill } from './shared.tsx';
import type { VillaTabProps } from './tabs.tsx';

/** Counts, the capacity gauge and the status history. */
export function OverviewTab({ villa }: VillaTabProps) {
  const { m, locale } = useI18n();
  const o = m.spark.overview;
  return (
    <div className="section">
      <section className="section" aria-labelledby="villa-capacity-title">
        <h2 id="villa-capacity-title" className="section-title">
          {o.capacityTitle}
        </h2>
        <Gauge
          label={o.capacityGauge}
          value={villa.participantsCount}
          max={villa.capacity}
          text={format(o.capacityValue, { count: villa.participantsCount, capacity: villa.capacity })}
        />
      </section>
      <section className="section" aria-labelledby="villa-figures-title">
        <h2 id="villa-figures-title" className="section-title">
          {o.figures}
        </h2>
        <dl className="figures">
          <div>
            <dt>{o.participants}</dt>
            <dd>{format(o.capacityValue, { count: villa.participantsCount, capacity: villa.capacity })}</dd>
          </div>
          <div>
            <dt>{o.sponsors}</dt>
            <dd>{villa.sponsorsCount}</dd>
          </div>
          <div>
            <dt>{o.maxPerGenre}</dt>
            <dd>{villa.maxPerGenre}</dd>
          </div>
          <div>
            <dt>{o.timeZone}</dt>
            <dd>{villa.timeZone}</dd>
          </div>
        </dl>
      </section>
      <section className="section" aria-labelledby="villa-apps-title">
        <h2 id="villa-apps-title" className="section-title">
          {o.applicationsTitle}
        </h2>
        <dl className="figures">
          {APPLICATION_STATUSES.map((s) => (
            <div key={s}>
              <dt>
                <ApplicationStatusPill status={s} />
              </dt>
              <dd>{villa.applicationsByStatus[s] ?? 0}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="section" aria-labelledby="villa-history-title">
        <h2 id="villa-history-title" className="section-title">
          {o.historyTitle}
        </h2>
        <ol className="plain-list">
          {villa.history.map((h) => (
            <li key={h.id}>
              <time dateTime={h.changedAt}>{formatDateTime(h.changedAt, locale)}</time> · {h.fromStatus === null ? `${o.created} · ` : null}
              <VillaStatusPill status={h.toStatus} />
              {h.changedBy ? ` ${format(o.by, { name: h.changedBy.name })}` : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
