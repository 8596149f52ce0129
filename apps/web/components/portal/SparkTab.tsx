'use client';

import '../sponsor/sponsor.css';
import type { ApplicationStatus } from '@mona/shared';
import { useRef, useState, type FormEvent } from 'react';
import { describeError, splitErrors } from '../../lib/errors.ts';
import { format } from '../../lib/i18n.ts';
import {
  applyToVilla,
  describeTierRefusal,
  formatDay,
  listMyApplications,
  listOpenVillas,
  withdrawApplication,
  type Villa,
  type VillaApplication,
} from '../../lib/sponsor.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, SelectField, SubmitButton, TextAreaField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { DateText, StatusPill } from '../commerce/shared.tsx';

const TONES: Record<ApplicationStatus, 'neutral' | 'info' | 'warn' | 'ok' | 'down'> = {
  pending: 'warn',
  shortlisted: 'info',
  accepted: 'ok',
  waitlisted: 'neutral',
  rejected: 'down',
  withdrawn: 'down',
};

/** The artist portal's SPARK tab: open villas, the application form, the artist's applications. */
export function SparkTab({ genres }: { genres: readonly string[] }) {
  const { m, locale } = useI18n();
  const s = m.sponsor.spark;
  const villas = useAsync((signal) => listOpenVillas(signal), []);
  const applications = useAsync((signal) => listMyApplications(signal), []);
  const [applying, setApplying] = useState<Villa | null>(null);
  const [withdrawing, setWithdrawing] = useState<VillaApplication | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const appliedTo = new Set((applications.data ?? []).map((a) => a.villaId));

  async function onWithdraw() {
    if (!withdrawing || pending) return;
    setPending(true);
    setActionError(null);
    try {
      await withdrawApplication(withdrawing.id);
      setNotice(format(s.withdrawn, { villa: withdrawing.villaName }));
      setWithdrawing(null);
      applications.reload();
    } catch (error) {
      setActionError(describeError(error, m));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="section">
      <p className="muted">{s.intro}</p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <section className="card section" aria-labelledby="spark-villas-title">
        <h2 id="spark-villas-title" className="section-title">
          {s.villasTitle}
        </h2>
        {villas.error && !villas.data ? <LoadError title={s.villasLoadError} error={villas.error} onRetry={villas.reload} /> : null}
        {!villas.data && !villas.error ? <Loading message={s.villasLoading} /> : null}
        {villas.data && villas.data.length === 0 ? <EmptyState title={s.villasEmpty} /> : null}
        {villas.data && villas.data.length > 0 ? (
          <ul className="spark-villas">
            {villas.data.map((villa) => (
              <li key={villa.id} className="card section">
                <h3 className="section-title">{villa.name}</h3>
                <dl className="details">
                  <div className="details__row">
                    <dt>{m.sponsor.common.place}</dt>
                    <dd>{villa.place}</dd>
                  </div>
                  <div className="details__row">
                    <dt>{m.sponsor.common.period}</dt>
                    <dd>{format(m.sponsor.common.dates, { from: formatDay(villa.arrivalOn, locale), to: formatDay(villa.departureOn, locale) })}</dd>
                  </div>
                </dl>
                {appliedTo.has(villa.id) ? (
                  <p className="muted">{s.applied}</p>
                ) : (
                  <button
                    type="button"
                    className="button button--primary"
                    onClick={() => {
                      setNotice(null);
                      setApplying(villa);
                    }}
                  >
                    {s.apply}
                    <span className="visually-hidden"> {villa.name}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="card section" aria-labelledby="spark-applications-title">
        <h2 id="spark-applications-title" className="section-title">
          {s.applicationsTitle}
        </h2>
        {applications.error && !applications.data ? (
          <LoadError title={s.applicationsLoadError} error={applications.error} onRetry={applications.reload} />
        ) : null}
        {!applications.data && !applications.error ? <Loading message={s.applicationsLoading} /> : null}
        {applications.data && applications.data.length === 0 ? <EmptyState title={s.applicationsEmpty} /> : null}
        {applications.data && applications.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="spark-applications-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{s.applicationsTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.columns.villa}</th>
                  <th scope="col">{s.columns.genre}</th>
                  <th scope="col">{s.columns.status}</th>
                  <th scope="col">{s.columns.sentAt}</th>
                  <th scope="col">{s.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {applications.data.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.villaName}</th>
                    <td>{a.genre}</td>
                    <td>
                      <StatusPill tone={TONES[a.status]} label={m.sponsor.applicationStatus[a.status]} />
                    </td>
                    <td>
                      <DateText iso={a.createdAt} />
                    </td>
                    <td>
                      {a.status !== 'withdrawn' && a.status !== 'rejected' ? (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          onClick={() => {
                            setActionError(null);
                            setWithdrawing(a);
                          }}
                        >
                          {s.withdraw}
                          <span className="visually-hidden"> {a.villaName}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <Dialog open={applying !== null} onClose={() => setApplying(null)} title={applying ? format(s.applyTitle, { villa: applying.name }) : ''} wide>
        {applying ? (
          <ApplyForm
            villa={applying}
            genres={genres}
            onSent={() => {
              setNotice(format(s.sent, { villa: applying.name }));
              setApplying(null);
              applications.reload();
            }}
          />
        ) : null}
      </Dialog>
      <Dialog
        open={withdrawing !== null}
        onClose={() => setWithdrawing(null)}
        title={s.withdrawTitle}
        description={withdrawing ? format(s.withdrawText, { villa: withdrawing.villaName }) : undefined}
      >
        {actionError ? <Alert tone="error">{actionError}</Alert> : null}
        <div className="inline-actions">
          <button type="button" className="button button--danger" disabled={pending} onClick={() => void onWithdraw()}>
            {pending ? m.sponsor.common.working : s.withdrawConfirm}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setWithdrawing(null)}>
            {m.sponsor.common.cancel}
          </button>
        </div>
      </Dialog>
    </div>
  );
}

type Field = 'motivation' | 'portfolioLinks' | 'genre';
const FIELDS: readonly Field[] = ['motivation', 'portfolioLinks', 'genre'];

function ApplyForm({ villa, genres, onSent }: { villa: Villa; genres: readonly string[]; onSent: () => void }) {
  const { m } = useI18n();
  const s = m.sponsor.spark;
  const [motivation, setMotivation] = useState('');
  const [links, setLinks] = useState('');
  const [genre, setGenre] = useState(genres.length === 1 ? genres[0]! : '');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const motivationRef = useRef<HTMLTextAreaElement>(null);
  const linksRef = useRef<HTMLTextAreaElement>(null);
  const genreRef = useRef<HTMLSelectElement>(null);
  const bannerRef = useRef<HTMLDivElement>(null);

  function focusFirst(found: Partial<Record<Field, string>>) {
    requestAnimationFrame(() => {
      if (found.motivation) motivationRef.current?.focus();
      else if (found.portfolioLinks) linksRef.current?.focus();
      else if (found.genre) genreRef.current?.focus();
      else bannerRef.current?.focus();
    });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const portfolioLinks = links
      .split(/\s+/)
      .map((l) => l.trim())
      .filter(Boolean);
    const found: Partial<Record<Field, string>> = {};
    const text = motivation.trim();
    if (text.length < 30) found.motivation = s.motivationShort;
    else if (text.length > 5000) found.motivation = s.motivationLong;
    if (portfolioLinks.some((l) => !/^https?:\/\/\S+$/i.test(l))) found.portfolioLinks = s.portfolioInvalid;
    else if (portfolioLinks.length > 10) found.portfolioLinks = s.portfolioTooMany;
    if (!genre) found.genre = s.genreRequired;
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    setPending(true);
    try {
      await applyToVilla(villa.id, { motivation: text, portfolioLinks, genre });
      onSent();
    } catch (error) {
      const tier = describeTierRefusal(error, m);
      if (tier) {
        setErrors({});
        setBanner(tier);
        focusFirst({});
      } else {
        const split = splitErrors(error, FIELDS, m);
        setErrors(split.fieldErrors);
        setBanner(split.banner);
        focusFirst(split.fieldErrors);
      }
    } finally {
      setPending(false);
    }
  }

  if (genres.length === 0) return <Alert tone="warning">{s.noGenre}</Alert>;

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      <TextAreaField
        name="motivation"
        label={s.motivation}
        hint={s.motivationHint}
        value={motivation}
        onChange={setMotivation}
        rows={6}
        maxLength={5000}
        error={errors.motivation}
        textareaRef={motivationRef}
      />
      <TextAreaField
        name="portfolioLinks"
        label={s.portfolio}
        hint={s.portfolioHint}
        value={links}
        onChange={setLinks}
        rows={3}
        error={errors.portfolioLinks}
        textareaRef={linksRef}
      />
      <SelectField
        name="genre"
        label={s.genre}
        hint={s.genreHint}
        value={genre}
        onChange={setGenre}
        options={[{ value: '', label: m.sponsor.portal.choose }, ...genres.map((g) => ({ value: g, label: g }))]}
        error={errors.genre}
        selectRef={genreRef}
      />
      <SubmitButton pending={pending} label={s.submit} pendingLabel={s.submitting} />
    </form>
  );
}
