'use client';

import { PLATFORMS, SCORE_MAX, type Platform } from '@mona/shared';
import { format as formatDateFns } from 'date-fns';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchMetrics, getArtist, recordMetrics, type Artist, type MetricSeries } from '../../lib/crm.ts';
import { splitErrors } from '../../lib/errors.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { format, type Locale, type Messages } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm, type ErrorSplitter } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { FormBanner, SelectField, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { ArtistTabProps } from './tabs.tsx';

/** One colour per platform, paired with a dash pattern so lines differ without colour too. */
export const PLATFORM_STYLE: Record<Platform, { color: string; dash: string }> = {
  instagram: { color: '#c13584', dash: '' },
  tiktok: { color: '#0b7a75', dash: '6 3' },
  youtube: { color: '#cc0000', dash: '2 3' },
  twitch: { color: '#6441a5', dash: '10 4 2 4' },
  spotify: { color: '#1d8a4a', dash: '4 4' },
  soundcloud: { color: '#e06500', dash: '1 2' },
};

type Metric = 'followers' | 'engagementRate';

type Row = { t: number } & Partial<Record<Platform, number>>;

function toRows(series: MetricSeries['series'], metric: Metric): Row[] {
  const rows = new Map<number, Row>();
  for (const s of series) {
    for (const point of s.points) {
      const t = Date.parse(point.capturedAt);
      const row = rows.get(t) ?? { t };
      row[s.platform] = point[metric];
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

export function MetricsTab({ artist, isTeam, onArtistChange }: ArtistTabProps) {
  const { m } = useI18n();
  const metrics = useAsync((signal) => fetchMetrics(artist.id, signal), [artist.id]);
  const [platform, setPlatform] = useState<Platform | 'all'>('all');

  if (metrics.error && !metrics.data) return <LoadError title={m.artist.metrics.loadError} error={metrics.error} onRetry={metrics.reload} />;
  if (!metrics.data) return <Loading message={m.artist.metrics.loading} />;

  const available = metrics.data.series.filter((s) => s.points.length > 0);
  const shown = platform === 'all' ? available : available.filter((s) => s.platform === platform);
  const platforms = PLATFORMS.filter((p) => shown.some((s) => s.platform === p));

  return (
    <div className="section">
      <section className="section" aria-labelledby="metrics-title" aria-busy={metrics.loading}>
        <h2 id="metrics-title" className="section-title">
          {m.artist.metrics.title}
        </h2>
        {metrics.loading ? <Loading message={m.artist.metrics.updating} /> : null}
        {metrics.error ? <LoadError title={m.artist.metrics.loadError} error={metrics.error} onRetry={metrics.reload} /> : null}
        {available.length === 0 ? (
          <EmptyState title={m.artist.metrics.emptyTitle}>
            <p>{m.artist.metrics.emptyBody}</p>
          </EmptyState>
        ) : (
          <>
            <div className="chip-group" role="group" aria-label={m.artist.metrics.platformFilter}>
              {(['all', ...available.map((s) => s.platform)] as const).map((p) => (
                <button key={p} type="button" className="chip" aria-pressed={platform === p} onClick={() => setPlatform(p)}>
                  {p === 'all' ? m.artist.metrics.allPlatforms : m.crm.platforms[p]}
                </button>
              ))}
            </div>
            {metrics.data.truncated ? <p className="meta-line">{m.artist.metrics.truncated}</p> : null}
            <div className="charts-grid">
              <MetricChart title={m.artist.metrics.followers} metric="followers" rows={toRows(shown, 'followers')} platforms={platforms} />
              <MetricChart title={m.artist.metrics.engagement} metric="engagementRate" rows={toRows(shown, 'engagementRate')} platforms={platforms} />
            </div>
          </>
        )}
      </section>
      {isTeam ? (
        <MetricReadingForm
          artist={artist}
          onSaved={(saved, next) => {
            // The new reading must show: widen the platform filter if it hides it.
            setPlatform((current) => (current === 'all' || current === saved ? current : 'all'));
            metrics.reload();
            onArtistChange(next);
          }}
        />
      ) : null}
    </div>
  );
}

// ---- Recording a reading (team) ----------------------------------------------

type ReadingField = 'platform' | 'capturedAt' | 'followers' | 'engagementRate' | 'postsPerWeek' | 'monthlyGrowth';
const READING_FIELDS: readonly ReadingField[] = ['platform', 'capturedAt', 'followers', 'engagementRate', 'postsPerWeek', 'monthlyGrowth'];
type DecimalField = 'engagementRate' | 'postsPerWeek' | 'monthlyGrowth';
/** The API's bounds (scoring.schemas.ts). */
const RANGES: Record<DecimalField, { min: number; max: number }> = {
  engagementRate: { min: 0, max: 100 },
  postsPerWeek: { min: 0, max: 100 },
  monthlyGrowth: { min: -100, max: 1000 },
};
const MAX_FOLLOWERS = 2_000_000_000;
/** The API accepts readings up to 5 minutes ahead of its clock, and none before 2000. */
const FUTURE_SKEW_MS = 5 * 60_000;
const EARLIEST_CAPTURE = Date.parse('2000-01-01T00:00:00Z');

/** The value of a datetime-local input for this instant, in the reader's time zone. */
const localNow = () => formatDateFns(new Date(), "yyyy-MM-dd'T'HH:mm");

/** "4,2", "4.2", "-1,5", "12 500" → a number; null when it is not one. */
function parseDecimal(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(/^\u2212/, '-');
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(cleaned)) return null;
  const value = Number(cleaned.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

function parseWhole(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '');
  return /^\d+$/.test(cleaned) ? Number(cleaned) : null;
}

/** A datetime-local value (local time, no zone) → epoch ms, or null. */
function parseLocalDateTime(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return null;
  const time = new Date(text).getTime();
  return Number.isNaN(time) ? null : time;
}

function rangeMessage(field: DecimalField, m: Messages, locale: Locale): string {
  const { min, max } = RANGES[field];
  return format(m.artist.metrics.numberRange, { min: formatNumber(min, locale, 0), max: formatNumber(max, locale, 0) });
}

/**
 * The API names a refused field `snapshots.0.<field>`; its bounds are known
 * here, so the message says them rather than the API's generic reason.
 */
function readingSplitter(locale: Locale): ErrorSplitter<ReadingField> {
  return (error, fields, m) => {
    const t = m.artist.metrics;
    const split = splitErrors(
      error,
      fields.map((f) => `snapshots.0.${f}` as const),
      m,
    );
    const fieldErrors: Partial<Record<ReadingField, string>> = {};
    for (const field of fields) {
      if (!split.fieldErrors[`snapshots.0.${field}`]) continue;
      fieldErrors[field] =
        field === 'followers'
          ? t.followersInvalid
          : field === 'capturedAt'
            ? t.capturedAtFuture
            : field === 'platform'
              ? (split.fieldErrors[`snapshots.0.${field}`] ?? m.validation.invalidValue)
              : rangeMessage(field, m, locale);
    }
    return { fieldErrors, banner: split.banner };
  };
}

function MetricReadingForm({ artist, onSaved }: { artist: Artist; onSaved: (platform: Platform, artist: Artist) => void }) {
  const { m, locale } = useI18n();
  const t = m.artist.metrics;
  const [platform, setPlatform] = useState<Platform>(PLATFORMS[0]);
  const [capturedAt, setCapturedAt] = useState(localNow);
  const [followers, setFollowers] = useState('');
  const [decimals, setDecimals] = useState<Record<DecimalField, string>>({ engagementRate: '', postsPerWeek: '', monthlyGrowth: '' });
  const [result, setResult] = useState<string | null>(null);
  const form = useForm(
    READING_FIELDS,
    m,
    useMemo(() => readingSplitter(locale), [locale]),
  );
  const { errors, pending } = form;
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  function check(): {
    errors: Partial<Record<ReadingField, string>>;
    time: number | null;
    followers: number | null;
    values: Record<DecimalField, number | null>;
  } {
    const found: Partial<Record<ReadingField, string>> = {};
    const time = parseLocalDateTime(capturedAt);
    if (time === null) found.capturedAt = t.capturedAtRequired;
    else if (time > Date.now() + FUTURE_SKEW_MS) found.capturedAt = t.capturedAtFuture;
    else if (time < EARLIEST_CAPTURE) found.capturedAt = t.capturedAtTooOld;
    const count = parseWhole(followers);
    if (count === null || count > MAX_FOLLOWERS) found.followers = t.followersInvalid;
    const values = {} as Record<DecimalField, number | null>;
    for (const field of Object.keys(RANGES) as DecimalField[]) {
      const value = parseDecimal(decimals[field]);
      values[field] = value;
      if (value === null || value < RANGES[field].min || value > RANGES[field].max) found[field] = rangeMessage(field, m, locale);
    }
    return { errors: found, time, followers: count, values };
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const checked = check();
    setResult(null);
    const { time, followers: count, values } = checked;
    await form.submit(checked.errors, async () => {
      // What could not be read is in `checked.errors`: the action only runs with every value.
      if (time === null || count === null || values.engagementRate === null || values.postsPerWeek === null || values.monthlyGrowth === null) return;
      const response = await recordMetrics(artist.id, [
        {
          platform,
          capturedAt: new Date(time).toISOString(),
          followers: count,
          engagementRate: values.engagementRate,
          postsPerWeek: values.postsPerWeek,
          monthlyGrowth: values.monthlyGrowth,
        },
      ]);
      const { score } = response;
      const vars = { platform: m.crm.platforms[platform], total: score.total, max: SCORE_MAX };
      const text =
        score.tier !== artist.tier
          ? format(t.savedTierChanged, { ...vars, from: m.crm.tiers[artist.tier], to: m.crm.tiers[score.tier] })
          : response.changed
            ? format(t.savedChanged, { ...vars, tier: m.crm.tiers[score.tier] })
            : format(t.savedUnchanged, vars);
      // The header shows the score and tier the API now holds; its own answer is the fallback.
      const fresh = await getArtist(artist.id).catch(() => ({ ...artist, scoreTotal: score.total, tier: score.tier }));
      setFollowers('');
      setDecimals({ engagementRate: '', postsPerWeek: '', monthlyGrowth: '' });
      setCapturedAt(localNow());
      setResult(text);
      onSaved(platform, fresh);
    });
  }

  const setDecimal = (field: DecimalField) => (value: string) => setDecimals((current) => ({ ...current, [field]: value }));
  const hints: Record<DecimalField, string> = { engagementRate: t.engagementHint, postsPerWeek: t.postsHint, monthlyGrowth: t.growthHint };
  const labels: Record<DecimalField, string> = { engagementRate: t.engagementField, postsPerWeek: t.postsField, monthlyGrowth: t.growthField };

  return (
    <section className="card section" aria-labelledby="metric-reading-title">
      <h2 id="metric-reading-title" className="section-title">
        {t.formTitle}
      </h2>
      <p className="muted">{t.formIntro}</p>
      {result ? (
        <div ref={resultRef} tabIndex={-1} role="status" className="alert alert--success">
          <span className="alert__icon" aria-hidden="true">
            ✓
          </span>
          <div className="alert__body">{result}</div>
        </div>
      ) : null}
      <FormBanner form={form} />
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <div className="form-grid">
          <SelectField
            name="platform"
            label={t.platform}
            value={platform}
            onChange={(value) => setPlatform(value as Platform)}
            options={PLATFORMS.map((p) => ({ value: p, label: m.crm.platforms[p] }))}
            error={errors.platform}
            selectRef={form.field('platform')}
          />
          <TextField
            name="capturedAt"
            type="datetime-local"
            label={t.capturedAt}
            hint={t.capturedAtHint}
            value={capturedAt}
            onChange={setCapturedAt}
            required
            error={errors.capturedAt}
            inputRef={form.field('capturedAt')}
          />
          <TextField
            name="followers"
            inputMode="numeric"
            label={t.followersField}
            value={followers}
            onChange={setFollowers}
            required
            autoComplete="off"
            error={errors.followers}
            inputRef={form.field('followers')}
          />
          {(Object.keys(RANGES) as DecimalField[]).map((field) => (
            <TextField
              key={field}
              name={field}
              // A negative growth needs the minus sign, which some decimal keypads lack.
              inputMode={field === 'monthlyGrowth' ? 'text' : 'decimal'}
              label={labels[field]}
              hint={hints[field]}
              value={decimals[field]}
              onChange={setDecimal(field)}
              required
              autoComplete="off"
              error={errors[field]}
              inputRef={form.field(field)}
            />
          ))}
        </div>
        <SubmitButton pending={pending} label={t.save} pendingLabel={t.saving} />
      </form>
    </section>
  );
}

function formatValue(value: number, metric: Metric, locale: Locale, percentTemplate: string): string {
  return metric === 'engagementRate' ? format(percentTemplate, { value: formatNumber(value, locale, 2) }) : formatNumber(value, locale, 0);
}

function MetricChart({ title, metric, rows, platforms }: { title: string; metric: Metric; rows: Row[]; platforms: Platform[] }) {
  const { m, locale } = useI18n();
  const id = useId();
  const dateTick = (t: number) => formatDate(new Date(t).toISOString(), locale);
  const valueOf = (v: number) => formatValue(v, metric, locale, m.artist.metrics.percent);
  return (
    <figure className="card chart-card" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="section-title">
        {title}
      </figcaption>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={dateTick} stroke="var(--text-muted)" fontSize={12} />
            <YAxis tickFormatter={valueOf} stroke="var(--text-muted)" fontSize={12} width={70} />
            <Tooltip
              labelFormatter={(t) => dateTick(Number(t))}
              formatter={(v) => valueOf(Number(v))}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
            />
            <Legend />
            {platforms.map((p) => (
              <Line
                key={p}
                type="monotone"
                dataKey={p}
                name={m.crm.platforms[p]}
                stroke={PLATFORM_STYLE[p].color}
                strokeDasharray={PLATFORM_STYLE[p].dash}
                strokeWidth={2}
                dot={{ r: 2 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details className="chart-data">
        <summary>{format(m.artist.metrics.showData, { title })}</summary>
        <div className="table-scroll" role="region" aria-label={title} tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{m.artist.metrics.date}</th>
                {platforms.map((p) => (
                  <th key={p} scope="col" className="num">
                    {m.crm.platforms[p]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.t}>
                  <th scope="row">{dateTick(row.t)}</th>
                  {platforms.map((p) => (
                    <td key={p} className="num">
                      {row[p] === undefined ? <span className="muted">—</span> : valueOf(row[p])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
