'use client';

import './commerce.css';
import { ApiError } from '@mona/sdk';
import { PLATFORMS, SCORE_BONUSES, SCORE_CATEGORIES, type Platform, type Tier } from '@mona/shared';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  fetchOwnArtist,
  fetchScore,
  fetchScoreHistory,
  formatCents,
  listBlocks,
  listMyOrders,
  listOffers,
  updateOwnArtist,
  type ArtistRecord,
  type MonaScore,
  type ServiceBlock,
} from '../../lib/commerce.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, CheckboxField, FormBanner, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { SparkTab } from '../portal/SparkTab.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { Tabs } from '../Tabs.tsx';
import { BlocksTable, MissionsSection, RequestBlockForm } from './MarketplaceView.tsx';
import { OfferCards } from './OffersView.tsx';
import { DateText, OrderStatusPill } from './shared.tsx';

type TabId = 'profile' | 'score' | 'orders' | 'marketplace' | 'spark';

/** /portal: the signed-in artist's own space. Everything here is read through /api/me/* or the artist's own id. */
export function PortalView() {
  return (
    <RequireRole roles={['artist']}>
      <Portal />
    </RequireRole>
  );
}

function Portal() {
  const { m } = useI18n();
  const p = m.commerce.portal;
  const artist = useAsync((signal) => fetchOwnArtist(signal), []);
  const [tab, setTab] = useState<TabId>('profile');

  if (artist.error && !artist.data) {
    if (artist.error instanceof ApiError && artist.error.status === 404) {
      return (
        <div className="page">
          <h1 className="page-title">{p.title}</h1>
          <EmptyState title={p.notLinkedTitle}>
            <p>{p.notLinked}</p>
          </EmptyState>
        </div>
      );
    }
    return (
      <div className="page">
        <h1 className="page-title">{p.title}</h1>
        <LoadError title={p.loadError} error={artist.error} onRetry={artist.reload} />
      </div>
    );
  }
  if (!artist.data) return <Loading message={p.loading} />;
  const record = artist.data;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{record.stageName}</h1>
          <p className="lead">{p.intro}</p>
          <p className="artist-summary">
            <TierBadge tier={record.tier} />
            <span className="score-chip">{format(p.scoreChip, { score: record.scoreTotal, max: 120 })}</span>
          </p>
        </div>
      </div>
      <Tabs
        label={p.tabsLabel}
        selected={tab}
        onSelect={(id) => setTab(id as TabId)}
        tabs={[
          { id: 'profile', label: p.tabs.profile },
          { id: 'score', label: p.tabs.score },
          { id: 'orders', label: p.tabs.orders },
          { id: 'marketplace', label: p.tabs.marketplace },
          { id: 'spark', label: m.sponsor.spark.tab },
        ]}
      >
        {tab === 'profile' ? <ProfilePanel artist={record} onSaved={artist.setData} /> : null}
        {tab === 'score' ? <ScorePanel artistId={record.id} /> : null}
        {tab === 'orders' ? <OrdersPanel /> : null}
        {tab === 'marketplace' ? <MarketplacePanel /> : null}
        {tab === 'spark' ? <SparkTab genres={record.genres} /> : null}
      </Tabs>
    </div>
  );
}

function TierBadge({ tier }: { tier: Tier }) {
  const { m } = useI18n();
  return (
    <span className={`tier-badge tier-badge--${tier}`}>
      <span className="visually-hidden">{m.commerce.portal.tierLabel} </span>
      {m.commerce.tiers[tier]}
    </span>
  );
}

// Profile --------------------------------------------------------------------------

type LinkKey = `links.${Platform}.${'handle' | 'url'}`;
type ProfileField = LinkKey | 'consentMarketing' | 'consentAnalytics';
const LINK_FIELDS = PLATFORMS.flatMap((pl) => [`links.${pl}.handle`, `links.${pl}.url`] as LinkKey[]);
const PROFILE_FIELDS: readonly ProfileField[] = [...LINK_FIELDS, 'consentMarketing', 'consentAnalytics'];

type LinkState = Record<Platform, { handle: string; url: string }>;

function linksOf(artist: ArtistRecord): LinkState {
  const links = artist.links as Partial<Record<Platform, { handle?: string; url?: string }>>;
  return Object.fromEntries(PLATFORMS.map((pl) => [pl, { handle: links[pl]?.handle ?? '', url: links[pl]?.url ?? '' }])) as LinkState;
}

function ProfilePanel({ artist, onSaved }: { artist: ArtistRecord; onSaved: (next: ArtistRecord) => void }) {
  const { m, locale } = useI18n();
  const p = m.commerce.portal;
  const [links, setLinks] = useState<LinkState>(() => linksOf(artist));
  const [consentMarketing, setConsentMarketing] = useState(artist.consentMarketing);
  const [consentAnalytics, setConsentAnalytics] = useState(artist.consentAnalytics);
  const [saved, setSaved] = useState(false);
  const form = useForm(PROFILE_FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<ProfileField, string>> = {};
    for (const pl of PLATFORMS) {
      const url = links[pl].url.trim();
      if (url && !/^https?:\/\/\S+$/i.test(url)) found[`links.${pl}.url`] = m.validation.urlInvalid;
    }
    setSaved(false);
    await form.submit(found, async () => {
      const body: Record<string, { handle?: string; url?: string }> = {};
      for (const pl of PLATFORMS) {
        const handle = links[pl].handle.trim();
        const url = links[pl].url.trim();
        if (handle || url) body[pl] = { ...(handle ? { handle } : {}), ...(url ? { url } : {}) };
      }
      const next = await updateOwnArtist({ links: body, consentMarketing, consentAnalytics });
      onSaved(next);
      setLinks(linksOf(next));
      setSaved(true);
    });
  }

  return (
    <div className="commerce-grid">
      <section className="card section" aria-labelledby="portal-profile-title">
        <h2 id="portal-profile-title" className="section-title">
          {p.profileTitle}
        </h2>
        <p className="muted">{p.profileIntro}</p>
        {saved ? <Alert tone="success">{p.profileSaved}</Alert> : null}
        <FormBanner form={form} />
        <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
          <div className="links-grid">
            {PLATFORMS.map((pl) => (
              <fieldset key={pl} className="fieldset fieldset--inner">
                <legend>{m.commerce.platforms[pl]}</legend>
                <TextField
                  name={`${pl}-handle`}
                  label={format(p.handleLabel, { platform: m.commerce.platforms[pl] })}
                  value={links[pl].handle}
                  onChange={(v) => setLinks((l) => ({ ...l, [pl]: { ...l[pl], handle: v } }))}
                  spellCheck={false}
                  error={errors[`links.${pl}.handle`]}
                  inputRef={form.field(`links.${pl}.handle`)}
                />
                <TextField
                  name={`${pl}-url`}
                  type="url"
                  label={format(p.urlLabel, { platform: m.commerce.platforms[pl] })}
                  value={links[pl].url}
                  onChange={(v) => setLinks((l) => ({ ...l, [pl]: { ...l[pl], url: v } }))}
                  spellCheck={false}
                  error={errors[`links.${pl}.url`]}
                  inputRef={form.field(`links.${pl}.url`)}
                />
              </fieldset>
            ))}
          </div>
          <fieldset className="fieldset">
            <legend>{p.consentLegend}</legend>
            <CheckboxField
              name="consentMarketing"
              label={p.consentMarketing}
              hint={p.consentMarketingHint}
              checked={consentMarketing}
              onChange={setConsentMarketing}
              error={errors.consentMarketing}
              inputRef={form.field('consentMarketing')}
            />
            <CheckboxField
              name="consentAnalytics"
              label={p.consentAnalytics}
              hint={p.consentAnalyticsHint}
              checked={consentAnalytics}
              onChange={setConsentAnalytics}
              error={errors.consentAnalytics}
              inputRef={form.field('consentAnalytics')}
            />
            {artist.consentUpdatedAt ? <p className="muted">{format(p.consentUpdated, { date: formatDateTime(artist.consentUpdatedAt, locale) })}</p> : null}
          </fieldset>
          <SubmitButton pending={pending} label={p.saveProfile} pendingLabel={m.commerce.common.saving} />
        </form>
      </section>
      <section className="card section" aria-labelledby="portal-record-title">
        <h2 id="portal-record-title" className="section-title">
          {p.recordTitle}
        </h2>
        <dl className="details">
          <div className="details__row">
            <dt>{p.stageName}</dt>
            <dd>{artist.stageName}</dd>
          </div>
          <div className="details__row">
            <dt>{p.genres}</dt>
            <dd>{artist.genres.length ? artist.genres.join(', ') : m.commerce.common.none}</dd>
          </div>
          <div className="details__row">
            <dt>{p.city}</dt>
            <dd>{artist.city ?? m.commerce.common.none}</dd>
          </div>
          <div className="details__row">
            <dt>{p.email}</dt>
            <dd>{artist.email ?? m.commerce.common.none}</dd>
          </div>
        </dl>
        <p className="muted">{p.recordNote}</p>
      </section>
    </div>
  );
}

// Score ------------------------------------------------------------------------------

function ScorePanel({ artistId }: { artistId: string }) {
  const { m } = useI18n();
  const p = m.commerce.portal;
  const score = useAsync((signal) => fetchScore(artistId, signal), [artistId]);
  if (score.error && !score.data) return <LoadError title={p.scoreLoadError} error={score.error} onRetry={score.reload} />;
  if (!score.data) return <Loading message={p.scoreLoading} />;
  return (
    <div className="section">
      <div className="score-layout">
        <ScoreBreakdown score={score.data} />
        <ScoreHistory artistId={artistId} />
      </div>
    </div>
  );
}

function ScoreBreakdown({ score }: { score: MonaScore }) {
  const { m, locale } = useI18n();
  const p = m.commerce.portal;
  const thresholds = score.tierThresholds;
  const next = (['starter', 'coprod', 'premium', 'spark_ready'] as const).find((t) => score.total < thresholds[t]);
  return (
    <section className="card section" aria-labelledby="portal-score-title">
      <h2 id="portal-score-title" className="section-title">
        {p.scoreTitle}
      </h2>
      <div className="score-total">
        <span className="score-total__number">{format(p.scoreOf, { score: score.total, max: 120 })}</span>
        <TierBadge tier={score.tier} />
      </div>
      <p className="muted">
        {next ? format(p.nextTier, { points: thresholds[next] - score.total, tier: m.commerce.tiers[next] }) : p.topTier}{' '}
        {format(p.computedAt, { date: formatDateTime(score.computedAt, locale) })}
      </p>
      <div className="table-scroll" role="region" aria-labelledby="portal-score-title" tabIndex={0}>
        <table className="table score-table">
          <caption className="visually-hidden">{p.breakdownCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{p.category}</th>
              <th scope="col" className="amount">
                {p.points}
              </th>
              <th scope="col" className="bar-cell">
                <span className="visually-hidden">{p.share}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {SCORE_CATEGORIES.map((c) => {
              const value = score.categories[c];
              const max = score.maxima[c];
              return (
                <tr key={c}>
                  <th scope="row">{m.commerce.categories[c]}</th>
                  <td className="amount">{format(p.outOf, { value: Math.round(value * 10) / 10, max })}</td>
                  <td className="bar-cell">
                    <span className="bar" aria-hidden="true">
                      <span className="bar__fill" style={{ width: `${max > 0 ? Math.min(100, (value / max) * 100) : 0}%` }} />
                    </span>
                  </td>
                </tr>
              );
            })}
            {SCORE_BONUSES.map((b) => (
              <tr key={b}>
                <th scope="row">{format(p.bonus, { name: m.commerce.bonuses[b] })}</th>
                <td className="amount">{format(p.outOf, { value: score.bonuses[b], max: score.bonusPoints })}</td>
                <td className="bar-cell">
                  <span className="bar" aria-hidden="true">
                    <span className="bar__fill" style={{ width: `${score.bonusPoints > 0 ? (score.bonuses[b] / score.bonusPoints) * 100 : 0}%` }} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{p.total}</th>
              <td className="amount">{format(p.outOf, { value: score.total, max: 120 })}</td>
              <td className="bar-cell">
                <span className="bar" aria-hidden="true">
                  <span className="bar__fill" style={{ width: `${Math.min(100, (score.total / 120) * 100)}%` }} />
                </span>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

function ScoreHistory({ artistId }: { artistId: string }) {
  const { m, locale } = useI18n();
  const p = m.commerce.portal;
  const history = useAsync((signal) => fetchScoreHistory(artistId, signal), [artistId]);
  const events = history.data ? [...history.data].reverse() : [];
  const rows = events.map((e) => ({ t: Date.parse(e.createdAt), total: e.newTotal }));
  return (
    <figure className="card chart-card" aria-labelledby="portal-history-title">
      <figcaption id="portal-history-title" className="section-title">
        {p.historyTitle}
      </figcaption>
      {history.error && !history.data ? <LoadError title={p.historyLoadError} error={history.error} onRetry={history.reload} /> : null}
      {!history.data && !history.error ? <Loading message={p.historyLoading} /> : null}
      {history.data && history.data.length === 0 ? <EmptyState title={p.historyEmpty} /> : null}
      {history.data && history.data.length > 0 ? (
        <>
          <p className="muted">{p.chartSummary}</p>
          <div className="chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={240}>
              <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                <XAxis
                  dataKey="t"
                  type="number"
                  scale="time"
                  domain={['dataMin', 'dataMax']}
                  tickFormatter={(t: number) => formatDate(new Date(t).toISOString(), locale)}
                  stroke="var(--text-muted)"
                  fontSize={12}
                />
                <YAxis domain={[0, 120]} stroke="var(--text-muted)" fontSize={12} width={40} />
                <Tooltip labelFormatter={(t) => formatDateTime(new Date(Number(t)).toISOString(), locale)} formatter={(value) => [String(value), p.total]} />
                <Line type="monotone" dataKey="total" stroke="var(--accent)" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <details className="chart-data">
            <summary>{p.historyTable}</summary>
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">{p.historyTitle}</caption>
                <thead>
                  <tr>
                    <th scope="col">{p.when}</th>
                    <th scope="col" className="amount">
                      {p.total}
                    </th>
                    <th scope="col">{p.tierColumn}</th>
                    <th scope="col">{p.reason}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...events].reverse().map((e) => (
                    <tr key={e.id}>
                      <th scope="row">
                        <DateText iso={e.createdAt} />
                      </th>
                      <td className="amount">
                        {e.oldTotal} → {e.newTotal}
                      </td>
                      <td>{e.oldTier === e.newTier ? m.commerce.tiers[e.newTier] : `${m.commerce.tiers[e.oldTier]} → ${m.commerce.tiers[e.newTier]}`}</td>
                      <td>{e.reason || m.commerce.common.none}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      ) : null}
    </figure>
  );
}

// Offers and orders ----------------------------------------------------------------------

function OrdersPanel() {
  const { m, locale } = useI18n();
  const p = m.commerce.portal;
  const orders = useAsync((signal) => listMyOrders(signal), []);
  const offers = useAsync((signal) => listOffers(false, signal), []);
  return (
    <div className="section">
      <section className="card section" aria-labelledby="portal-orders-title">
        <h2 id="portal-orders-title" className="section-title">
          {p.ordersTitle}
          {orders.data ? <span className="section-title__count"> · {plural(locale, m.commerce.orders.count, orders.data.length)}</span> : null}
        </h2>
        {orders.error && !orders.data ? <LoadError title={p.ordersLoadError} error={orders.error} onRetry={orders.reload} /> : null}
        {!orders.data && !orders.error ? <Loading message={p.ordersLoading} /> : null}
        {orders.data && orders.data.length === 0 ? <EmptyState title={p.ordersEmpty} /> : null}
        {orders.data && orders.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="portal-orders-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{p.ordersTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.commerce.orders.columns.offer}</th>
                  <th scope="col" className="amount">
                    {m.commerce.orders.columns.price}
                  </th>
                  <th scope="col">{m.commerce.orders.columns.status}</th>
                  <th scope="col">{m.commerce.orders.columns.createdAt}</th>
                </tr>
              </thead>
              <tbody>
                {orders.data.map((order) => (
                  <tr key={order.id}>
                    <th scope="row">
                      <Link href={`/orders/${order.id}`}>{order.offerName}</Link>
                    </th>
                    <td className="amount">{formatCents(order.priceCents, locale)}</td>
                    <td>
                      <OrderStatusPill status={order.status} />
                    </td>
                    <td>
                      <DateText iso={order.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <section className="section" aria-labelledby="portal-offers-title">
        <h2 id="portal-offers-title" className="section-title">
          {p.offersTitle}
        </h2>
        <p className="muted">{p.offersIntro}</p>
        {offers.error && !offers.data ? <LoadError title={m.commerce.offers.loadError} error={offers.error} onRetry={offers.reload} /> : null}
        {!offers.data && !offers.error ? <Loading message={m.commerce.offers.loading} /> : null}
        {offers.data && offers.data.length === 0 ? <EmptyState title={m.commerce.offers.empty} /> : null}
        {offers.data && offers.data.length > 0 ? <OfferCards offers={offers.data} /> : null}
      </section>
    </div>
  );
}

// Marketplace ---------------------------------------------------------------------------

function MarketplacePanel() {
  const { m } = useI18n();
  const p = m.commerce.portal;
  const k = m.commerce.marketplace;
  const blocks = useAsync((signal) => listBlocks(false, signal), []);
  const [requesting, setRequesting] = useState<ServiceBlock | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <div className="section">
      {created ? <Alert tone="success">{created}</Alert> : null}
      <MissionsSection titleId="portal-missions-title" title={p.missionsTitle} emptyText={p.missionsEmpty} reloadKey={reloadKey} />
      <section className="card section" aria-labelledby="portal-blocks-title">
        <h2 id="portal-blocks-title" className="section-title">
          {p.blocksTitle}
        </h2>
        <p className="muted">{p.blocksIntro}</p>
        {blocks.error && !blocks.data ? <LoadError title={k.blocksLoadError} error={blocks.error} onRetry={blocks.reload} /> : null}
        {!blocks.data && !blocks.error ? <Loading message={k.blocksLoading} /> : null}
        {blocks.data && blocks.data.length === 0 ? <EmptyState title={k.blocksEmpty} /> : null}
        {blocks.data && blocks.data.length > 0 ? (
          <BlocksTable
            blocks={blocks.data}
            titleId="portal-blocks-title"
            renderActions={(block) => (
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  setCreated(null);
                  setRequesting(block);
                }}
              >
                {k.request}
                <span className="visually-hidden"> {block.name}</span>
              </button>
            )}
          />
        ) : null}
      </section>
      <Dialog open={requesting !== null} onClose={() => setRequesting(null)} title={requesting ? format(k.requestTitle, { name: requesting.name }) : ''} wide>
        {requesting ? (
          <RequestBlockForm
            blocks={[requesting]}
            forArtist={false}
            onCreated={(mission) => {
              setRequesting(null);
              setCreated(format(p.requested, { name: mission.blockName }));
              setReloadKey((n) => n + 1);
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}
