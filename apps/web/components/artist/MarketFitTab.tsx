'use client';

import { MARKET_FIT_DIMENSIONS, type MarketFitDimension } from '@mona/shared';
import { fetchMarketFit } from '../../lib/crm.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { ArtistTabProps } from './tabs.tsx';

const DIMENSIONS = Object.keys(MARKET_FIT_DIMENSIONS) as MarketFitDimension[];

export function MarketFitTab({ artist }: ArtistTabProps) {
  const { m, locale } = useI18n();
  const fit = useAsync((signal) => fetchMarketFit(artist.id, signal), [artist.id]);

  if (fit.error && !fit.data) return <LoadError title={m.artist.marketFit.loadError} error={fit.error} onRetry={fit.reload} />;
  if (!fit.data) return <Loading message={m.artist.marketFit.loading} />;
  const { latest, history } = fit.data;

  return (
    <section className="section" aria-labelledby="market-fit-title">
      <h2 id="market-fit-title" className="section-title">
        {m.artist.marketFit.title}
      </h2>
      {!latest ? (
        <EmptyState title={m.artist.marketFit.emptyTitle}>
          <p>{m.artist.marketFit.emptyBody}</p>
        </EmptyState>
      ) : (
        <>
          <div className="card section">
            <div className="score-total">
              <p className="score-total__value">
                <span className="score-total__number">{latest.overall}</span>
                <span className="muted"> / 100</span>
              </p>
              <span className={`fit-badge fit-badge--${latest.category}`}>{m.crm.marketFitCategories[latest.category]}</span>
            </div>
            <p className="meta-line">
              {format(m.artist.marketFit.confidence, { value: latest.confidence })}
              {' · '}
              {format(m.artist.marketFit.assessed, {
                date: formatDateTime(latest.createdAt, locale),
                name: latest.assessedBy?.name ?? m.artist.marketFit.unknownAssessor,
              })}
            </p>
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">{m.artist.marketFit.dimensionsCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{m.artist.marketFit.dimension}</th>
                    <th scope="col" className="num">
                      {m.artist.marketFit.value}
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{m.artist.score.bar}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {DIMENSIONS.map((d) => (
                    <tr key={d}>
                      <th scope="row">{m.crm.marketFitDimensions[d]}</th>
                      <td className="num">{latest.dimensions[d]} / 100</td>
                      <td className="bar-cell">
                        <span className="bar" role="img" aria-label={format(m.artist.score.barLabel, { value: latest.dimensions[d], max: 100 })}>
                          <span className="bar__fill" style={{ width: `${latest.dimensions[d]}%` }} />
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          {history.length > 1 ? (
            <section className="section" aria-labelledby="market-fit-history-title">
              <h3 id="market-fit-history-title" className="section-title">
                {m.artist.marketFit.historyTitle}
              </h3>
              <ul className="plain-list">
                {history.map((h) => (
                  <li key={h.id}>
                    <time dateTime={h.createdAt}>{formatDateTime(h.createdAt, locale)}</time> — {h.overall} / 100 · {m.crm.marketFitCategories[h.category]}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}
