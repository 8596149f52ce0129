'use client';

import { computeMarketFit, MARKET_FIT_DIMENSIONS, type MarketFitDimension } from '@mona/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { assessMarketFit, fetchMarketFit, type MarketFitAssessment, type MarketFitInput } from '../../lib/crm.ts';
import { splitErrors } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format, type Messages } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { FormBanner, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { ArtistTabProps } from './tabs.tsx';

const DIMENSIONS = Object.keys(MARKET_FIT_DIMENSIONS) as MarketFitDimension[];
type SubScore = (typeof MARKET_FIT_DIMENSIONS)[MarketFitDimension][number];
/** A sub-score's path in the request body, e.g. `audienceAlignment.demographicMatch` (as the API names refused fields). */
type SubScoreField = { [D in MarketFitDimension]: `${D}.${(typeof MARKET_FIT_DIMENSIONS)[D][number]}` }[MarketFitDimension];
const subScoresOf = (d: MarketFitDimension): readonly SubScore[] => MARKET_FIT_DIMENSIONS[d];
const fieldOf = (d: MarketFitDimension, s: SubScore) => `${d}.${s}` as SubScoreField;
const FIELDS: readonly SubScoreField[] = DIMENSIONS.flatMap((d) => subScoresOf(d).map((s) => fieldOf(d, s)));

export function MarketFitTab({ artist, isTeam }: ArtistTabProps) {
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
      {isTeam ? (
        <MarketFitForm
          artistId={artist.id}
          latest={latest}
          onAssessed={(assessment) => fit.setData((current) => ({ latest: assessment, history: [assessment, ...(current?.history ?? [])].slice(0, 10) }))}
        />
      ) : null}
    </section>
  );
}

/** "" → null (unknown); a whole number 0–100 → itself; anything else → undefined (invalid). */
function parseSubScore(text: string): number | null | undefined {
  const value = text.trim();
  if (value === '') return null;
  if (!/^\d{1,3}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 100 ? n : undefined;
}

function toBody(values: Record<SubScoreField, number | null>): MarketFitInput {
  return Object.fromEntries(DIMENSIONS.map((d) => [d, Object.fromEntries(subScoresOf(d).map((s) => [s, values[fieldOf(d, s)]]))])) as MarketFitInput;
}

/** A refused sub-score: the bounds are known, so say them rather than the API's generic reason. */
function splitMarketFitErrors(error: unknown, fields: readonly SubScoreField[], m: Messages) {
  const split = splitErrors(error, fields, m);
  const fieldErrors: Partial<Record<SubScoreField, string>> = {};
  for (const f of fields) if (split.fieldErrors[f]) fieldErrors[f] = m.artist.marketFit.subScoreRange;
  return { fieldErrors, banner: split.banner };
}

function MarketFitForm({
  artistId,
  latest,
  onAssessed,
}: {
  artistId: string;
  latest: MarketFitAssessment | null;
  onAssessed: (assessment: MarketFitAssessment) => void;
}) {
  const { m } = useI18n();
  const t = m.artist.marketFit;
  // A new assessment starts from the latest one: staff change what moved.
  const [values, setValues] = useState<Record<SubScoreField, string>>(
    () =>
      Object.fromEntries(
        DIMENSIONS.flatMap((d) =>
          subScoresOf(d).map((s) => {
            const previous = latest ? (latest.inputs[d] as Partial<Record<SubScore, number | null>>)[s] : null;
            return [fieldOf(d, s), typeof previous === 'number' ? String(previous) : ''];
          }),
        ),
      ) as Record<SubScoreField, string>,
  );
  const [result, setResult] = useState<string | null>(null);
  const form = useForm(FIELDS, m, splitMarketFitErrors);
  const { errors, pending } = form;
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const parsed = Object.fromEntries(FIELDS.map((f) => [f, parseSubScore(values[f])])) as Record<SubScoreField, number | null | undefined>;
  const valid = FIELDS.every((f) => parsed[f] !== undefined);
  const given = FIELDS.filter((f) => typeof parsed[f] === 'number').length;
  // Same rules as the server (shared computeMarketFit): the preview is what will be recorded.
  const preview = valid && given > 0 ? computeMarketFit(toBody(parsed as Record<SubScoreField, number | null>)) : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<SubScoreField, string>> = {};
    for (const f of FIELDS) if (parsed[f] === undefined) found[f] = t.subScoreRange;
    setResult(null);
    if (Object.keys(found).length === 0 && given === 0) {
      form.refuse(t.noneGiven);
      return;
    }
    await form.submit(found, async () => {
      const assessment = await assessMarketFit(artistId, toBody(parsed as Record<SubScoreField, number | null>));
      setResult(
        format(t.saved, {
          overall: assessment.overall,
          category: m.crm.marketFitCategories[assessment.category],
          confidence: assessment.confidence,
        }),
      );
      onAssessed(assessment);
    });
  }

  return (
    <section className="card section" aria-labelledby="market-fit-form-title">
      <h3 id="market-fit-form-title" className="section-title">
        {t.formTitle}
      </h3>
      <p className="muted">{t.formIntro}</p>
      {latest ? <p className="meta-line">{t.prefilled}</p> : null}
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
        {DIMENSIONS.map((d) => (
          <fieldset key={d} className="fieldset">
            <legend>{m.crm.marketFitDimensions[d]}</legend>
            <div className="form-grid">
              {subScoresOf(d).map((s) => {
                const f = fieldOf(d, s);
                return (
                  <TextField
                    key={f}
                    name={f}
                    // Text, not number: a number input reports a half-typed value as empty, which here means "unknown".
                    inputMode="numeric"
                    autoComplete="off"
                    label={format(t.subScoreLabel, { name: m.crm.marketFitSubScores[s] })}
                    value={values[f]}
                    onChange={(value) => setValues((current) => ({ ...current, [f]: value }))}
                    error={errors[f]}
                    inputRef={form.field(f)}
                  />
                );
              })}
            </div>
          </fieldset>
        ))}
        <p className="preview" aria-live="polite">
          {preview ? (
            <>
              {format(t.preview, { overall: preview.overall, confidence: preview.confidence })}{' '}
              <span className={`fit-badge fit-badge--${preview.category}`}>{m.crm.marketFitCategories[preview.category]}</span>
            </>
          ) : valid ? (
            t.noneGiven
          ) : (
            t.previewInvalid
          )}
        </p>
        <SubmitButton pending={pending} label={t.save} pendingLabel={t.saving} />
      </form>
    </section>
  );
}
