'use client';

import {
  COMPUTED_CATEGORIES,
  RATED_CATEGORIES,
  SCORE_BONUSES,
  SCORE_CATEGORIES,
  SCORE_MAX,
  tierFor,
  type RatedCategory,
  type ScoreBonus,
  type ScoreCategory,
} from '@mona/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { fetchScore, fetchScoreHistory, rateArtist, type MonaScore, type ScoringEvent } from '../../lib/crm.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { TierBadge } from '../crm/CrmBadges.tsx';
import { CheckboxField, FormBanner, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { ArtistTabProps } from './tabs.tsx';

const isComputed = (c: ScoreCategory) => (COMPUTED_CATEGORIES as readonly string[]).includes(c);

export function ScoreTab({ artist, isTeam, onArtistChange }: ArtistTabProps) {
  const { m } = useI18n();
  const score = useAsync((signal) => fetchScore(artist.id, signal), [artist.id]);
  const [historyKey, setHistoryKey] = useState(0);

  if (score.error && !score.data) return <LoadError title={m.artist.score.loadError} error={score.error} onRetry={score.reload} />;
  if (!score.data) return <Loading message={m.artist.score.loading} />;

  return (
    <div className="section">
      <div className="score-layout">
        <ScoreBreakdown score={score.data} />
        {isTeam ? (
          <RatingForm
            score={score.data}
            onRated={(next) => {
              score.setData(next);
              onArtistChange({ ...artist, scoreTotal: next.total, tier: next.tier });
              setHistoryKey((n) => n + 1);
            }}
          />
        ) : null}
      </div>
      <ScoreHistory artistId={artist.id} reloadKey={historyKey} />
    </div>
  );
}

function Bar({ value, max, label }: { value: number; max: number; label: string }) {
  const ratio = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <span className="bar" role="img" aria-label={label}>
      <span className="bar__fill" style={{ width: `${ratio * 100}%` }} />
    </span>
  );
}

function ScoreBreakdown({ score }: { score: MonaScore }) {
  const { m, locale } = useI18n();
  const points = (v: number) => formatNumber(v, locale, 1);
  return (
    <section className="card section" aria-labelledby="score-breakdown-title">
      <h2 id="score-breakdown-title" className="section-title">
        {m.artist.score.breakdownTitle}
      </h2>
      <div className="score-total">
        <p className="score-total__value">
          <span className="score-total__number">{score.total}</span>
          <span className="muted"> / {SCORE_MAX}</span>
          <span className="visually-hidden"> {m.artist.score.points}</span>
        </p>
        <TierBadge tier={score.tier} withLabel />
      </div>
      <div className="table-scroll">
        <table className="table score-table">
          <caption className="visually-hidden">{m.artist.score.breakdownCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{m.artist.score.category}</th>
              <th scope="col" className="num">
                {m.artist.score.pointsColumn}
              </th>
              <th scope="col">
                <span className="visually-hidden">{m.artist.score.bar}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {SCORE_CATEGORIES.map((c) => {
              const value = score.categories[c];
              const max = score.maxima[c];
              return (
                <tr key={c}>
                  <th scope="row">
                    {m.crm.categories[c]}
                    <span className="tech-name">{isComputed(c) ? m.artist.score.computed : m.artist.score.rated}</span>
                  </th>
                  <td className="num">
                    {points(value)} / {max}
                  </td>
                  <td className="bar-cell">
                    <Bar value={value} max={max} label={format(m.artist.score.barLabel, { value: points(value), max })} />
                  </td>
                </tr>
              );
            })}
            {SCORE_BONUSES.map((b) => (
              <tr key={b}>
                <th scope="row">
                  {m.crm.bonuses[b]}
                  <span className="tech-name">{m.artist.score.bonus}</span>
                </th>
                <td className="num">
                  +{score.bonuses[b]} / {score.bonusPoints}
                </td>
                <td className="bar-cell">
                  <Bar
                    value={score.bonuses[b]}
                    max={score.bonusPoints}
                    label={format(m.artist.score.barLabel, { value: score.bonuses[b], max: score.bonusPoints })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{m.artist.score.total}</th>
              <td className="num">
                <strong>
                  {score.total} / {SCORE_MAX}
                </strong>
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="meta-line">
        {format(m.artist.score.thresholds, {
          starter: score.tierThresholds.starter,
          coprod: score.tierThresholds.coprod,
          premium: score.tierThresholds.premium,
          spark: score.tierThresholds.spark_ready,
        })}
      </p>
      <p className="meta-line">{m.artist.score.computedNote}</p>
    </section>
  );
}

type RatingField = RatedCategory | ScoreBonus | 'reason';
const RATING_FIELDS: readonly RatingField[] = [...RATED_CATEGORIES, ...SCORE_BONUSES, 'reason'];

function RatingForm({ score, onRated }: { score: MonaScore; onRated: (score: MonaScore) => void }) {
  const { m } = useI18n();
  const initial = () =>
    Object.fromEntries(RATED_CATEGORIES.map((c) => [c, String(score.ratings?.[c] ?? score.categories[c])])) as Record<RatedCategory, string>;
  const [values, setValues] = useState<Record<RatedCategory, string>>(initial);
  const [bonuses, setBonuses] = useState<Record<ScoreBonus, boolean>>(
    () => Object.fromEntries(SCORE_BONUSES.map((b) => [b, score.ratings?.[b] ?? score.bonuses[b] > 0])) as Record<ScoreBonus, boolean>,
  );
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<{ text: string } | null>(null);
  const form = useForm(RATING_FIELDS, m);
  const { errors, pending } = form;
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const parsed = Object.fromEntries(RATED_CATEGORIES.map((c) => [c, values[c].trim() === '' ? NaN : Number(values[c])])) as Record<RatedCategory, number>;
  const valid = RATED_CATEGORIES.every((c) => Number.isInteger(parsed[c]) && parsed[c] >= 0 && parsed[c] <= score.maxima[c]);
  // Preview with the same rules as the server: computed parts as they are now, ratings, bonuses, cap, tier.
  const previewTotal = valid
    ? Math.min(
        SCORE_MAX,
        Math.round(
          COMPUTED_CATEGORIES.reduce((s, c) => s + score.categories[c], 0) +
            RATED_CATEGORIES.reduce((s, c) => s + parsed[c], 0) +
            SCORE_BONUSES.filter((b) => bonuses[b]).length * score.bonusPoints,
        ),
      )
    : null;
  const previewTier =
    previewTotal === null ? null : tierFor(previewTotal, { maxima: score.maxima, bonusPoints: score.bonusPoints, tierThresholds: score.tierThresholds });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<RatingField, string>> = {};
    for (const c of RATED_CATEGORIES) {
      const v = parsed[c];
      if (!Number.isInteger(v) || v < 0 || v > score.maxima[c]) found[c] = format(m.artist.score.ratingRange, { max: score.maxima[c] });
    }
    setResult(null);
    await form.submit(found, async () => {
      const before = score;
      const response = await rateArtist(score.artistId, {
        ...parsed,
        ...bonuses,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      const next = response.score;
      const text =
        next.tier !== before.tier
          ? format(m.artist.score.savedTierChanged, { total: next.total, from: m.crm.tiers[before.tier], to: m.crm.tiers[next.tier] })
          : response.changed
            ? format(m.artist.score.savedChanged, { total: next.total, tier: m.crm.tiers[next.tier] })
            : m.artist.score.savedUnchanged;
      setReason('');
      onRated(next);
      setResult({ text });
    });
  }

  return (
    <section className="card section" aria-labelledby="rating-title">
      <h2 id="rating-title" className="section-title">
        {m.artist.score.rateTitle}
      </h2>
      <p className="muted">{m.artist.score.rateIntro}</p>
      {result ? (
        <div ref={resultRef} tabIndex={-1} role="status" className="alert alert--success">
          <span className="alert__icon" aria-hidden="true">
            ✓
          </span>
          <div className="alert__body">{result.text}</div>
        </div>
      ) : null}
      <FormBanner form={form} />
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <fieldset className="fieldset">
          <legend>{m.artist.score.ratedCategories}</legend>
          <div className="form-grid">
            {RATED_CATEGORIES.map((c) => (
              <TextField
                key={c}
                name={c}
                type="number"
                inputMode="numeric"
                min={0}
                max={score.maxima[c]}
                step={1}
                label={format(m.artist.score.ratingLabel, { category: m.crm.categories[c], max: score.maxima[c] })}
                value={values[c]}
                onChange={(value) => setValues((current) => ({ ...current, [c]: value }))}
                error={errors[c]}
                inputRef={form.field(c)}
              />
            ))}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>{format(m.artist.score.bonusesLegend, { points: score.bonusPoints })}</legend>
          {SCORE_BONUSES.map((b) => (
            <CheckboxField
              key={b}
              name={b}
              label={m.crm.bonuses[b]}
              checked={bonuses[b]}
              onChange={(checked) => setBonuses((current) => ({ ...current, [b]: checked }))}
              error={errors[b]}
              inputRef={form.field(b)}
            />
          ))}
        </fieldset>
        <TextAreaField
          name="reason"
          label={m.artist.score.reason}
          hint={m.artist.score.reasonHint}
          value={reason}
          onChange={setReason}
          rows={2}
          maxLength={500}
          error={errors.reason}
        />
        <p className="preview" aria-live="polite">
          {previewTotal !== null && previewTier ? (
            <>
              {format(m.artist.score.preview, { total: previewTotal })} <TierBadge tier={previewTier} />
            </>
          ) : (
            m.artist.score.previewInvalid
          )}
        </p>
        <SubmitButton pending={pending} label={m.artist.score.save} pendingLabel={m.artist.score.saving} />
      </form>
    </section>
  );
}

function ScoreHistory({ artistId, reloadKey }: { artistId: string; reloadKey: number }) {
  const { m, locale } = useI18n();
  const first = useAsync((signal) => fetchScoreHistory(artistId, null, signal), [artistId, reloadKey]);
  const [more, setMore] = useState<ScoringEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    setMore([]);
    setNextBefore(first.data?.nextBefore ?? null);
  }, [first.data]);

  async function loadMore() {
    if (!nextBefore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchScoreHistory(artistId, nextBefore);
      setMore((list) => [...list, ...page.events]);
      setNextBefore(page.nextBefore);
    } catch (caught) {
      setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }

  const events = first.data ? [...first.data.events, ...more] : null;
  return (
    <section className="section" aria-labelledby="score-history-title">
      <h2 id="score-history-title" className="section-title">
        {m.artist.score.historyTitle}
      </h2>
      {first.error ? <LoadError title={m.artist.score.historyError} error={first.error} onRetry={first.reload} /> : null}
      {!events && !first.error ? <Loading message={m.artist.score.historyLoading} /> : null}
      {events && events.length === 0 ? (
        <EmptyState title={m.artist.score.historyEmpty}>
          <p>{m.artist.score.historyEmptyBody}</p>
        </EmptyState>
      ) : null}
      {events && events.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="score-history-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{m.artist.score.historyTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{m.artist.history.when}</th>
                <th scope="col">{m.artist.history.who}</th>
                <th scope="col">{m.artist.score.change}</th>
                <th scope="col">{m.artist.score.tierChange}</th>
                <th scope="col">{m.artist.history.reason}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.createdAt}>{formatDateTime(event.createdAt, locale)}</time>
                  </td>
                  <td>{event.actor.kind === 'system' ? m.artist.score.system : event.actor.name}</td>
                  <td>
                    {event.oldTotal} → {event.newTotal}
                  </td>
                  <td>
                    {event.oldTier === event.newTier ? (
                      <TierBadge tier={event.newTier} />
                    ) : (
                      <>
                        <TierBadge tier={event.oldTier} /> <span aria-hidden="true">→</span>
                        <span className="visually-hidden">{m.artist.history.to}</span> <TierBadge tier={event.newTier} />
                      </>
                    )}
                  </td>
                  <td>{event.reason || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {moreError ? <LoadError title={m.artist.score.historyError} error={moreError} onRetry={() => void loadMore()} /> : null}
      {nextBefore ? (
        <div>
          <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? m.artists.loadingMore : m.artists.loadMore}
          </button>
        </div>
      ) : null}
    </section>
  );
}
