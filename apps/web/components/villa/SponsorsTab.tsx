'use client';

import type { DeliverableMetric } from '@mona/shared';
import { useRef, useState, type FormEvent } from 'react';
import { formatCents } from '../../lib/commerce.ts';
import { describeError, splitErrors } from '../../lib/errors.ts';
import { formatNumber } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useFocusFirstError } from '../../lib/use-focus-error.ts';
import { cancelSponsorship, describeVillaConflict, listVillaSponsorships, recordDelivery, type Sponsorship } from '../../lib/villas.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { StatusPill } from '../commerce/shared.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { VillaTabProps } from './tabs.tsx';

/** The villa's sponsorships with their package, sector, price and deliverables; record a delivery or cancel. */
export function SponsorsTab({ villa, onVillaChange }: VillaTabProps) {
  const { m, locale } = useI18n();
  const s = m.spark.sponsors;
  const list = useAsync((signal) => listVillaSponsorships(villa.id, signal), [villa.id]);
  const [recording, setRecording] = useState<Sponsorship | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function cancel(deal: Sponsorship) {
    if (!window.confirm(format(s.confirmCancel, { sponsor: deal.sponsor.companyName }))) return;
    setBusy(deal.id);
    setNotice(null);
    setProblem(null);
    try {
      const next = await cancelSponsorship(deal.id);
      list.setData((items) => (items ? items.map((x) => (x.id === next.id ? next : x)) : items));
      setNotice(format(s.cancelledNotice, { sponsor: deal.sponsor.companyName }));
      onVillaChange();
    } catch (error) {
      setProblem(describeVillaConflict(error, m, 'villa') ?? describeError(error, m));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="section" aria-labelledby="sponsors-title">
      <h2 id="sponsors-title" className="section-title">
        {s.title}
      </h2>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {list.error ? <LoadError title={s.loadError} error={list.error} onRetry={list.reload} retrying={list.loading} /> : null}
      {list.loading && !list.data ? <Loading message={s.loading} /> : null}
      {list.data && list.data.length === 0 ? <EmptyState title={s.empty} /> : null}
      {list.data && list.data.length > 0 ? (
        <>
          <div className="table-scroll" role="region" aria-labelledby="sponsors-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{s.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.columns.sponsor}</th>
                  <th scope="col">{s.columns.package}</th>
                  <th scope="col">{s.columns.sector}</th>
                  <th scope="col" className="amount">
                    {s.columns.price}
                  </th>
                  <th scope="col">{s.columns.status}</th>
                  <th scope="col">{s.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((deal) => (
                  <tr key={deal.id}>
                    <th scope="row">{deal.sponsor.companyName}</th>
                    <td>{deal.packageName}</td>
                    <td>{deal.exclusiveSector ?? deal.sponsor.sector}</td>
                    <td className="amount">{formatCents(deal.priceCents, locale)}</td>
                    <td>
                      <StatusPill tone={deal.status === 'active' ? 'ok' : 'down'} label={deal.status === 'active' ? s.active : s.cancelled} />
                    </td>
                    <td>
                      {deal.status === 'active' ? (
                        <div className="inline-actions">
                          <button
                            type="button"
                            className="button button--secondary button--small"
                            aria-label={format(s.recordFor, { sponsor: deal.sponsor.companyName })}
                            disabled={deal.deliverables.length === 0}
                            onClick={() => setRecording(deal)}
                          >
                            {s.record}
                          </button>
                          <button
                            type="button"
                            className="button button--quiet button--small"
                            aria-label={format(s.cancelFor, { sponsor: deal.sponsor.companyName })}
                            disabled={busy === deal.id}
                            onClick={() => void cancel(deal)}
                          >
                            {s.cancel}
                          </button>
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data
            .filter((deal) => deal.deliverables.length > 0)
            .map((deal) => (
              <div key={deal.id} className="table-scroll section">
                <table className="table">
                  <caption>{format(s.deliverablesCaption, { sponsor: deal.sponsor.companyName })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{s.metric}</th>
                      <th scope="col" className="amount">
                        {s.promised}
                      </th>
                      <th scope="col" className="amount">
                        {s.delivered}
                      </th>
                      <th scope="col" className="amount">
                        %
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {deal.deliverables.map((d) => (
                      <tr key={d.metric}>
                        <th scope="row">{s.metrics[d.metric]}</th>
                        <td className="amount">{formatNumber(d.promised, locale)}</td>
                        <td className="amount">{formatNumber(d.delivered, locale)}</td>
                        <td className="amount">{d.percent === null ? '—' : format(s.percent, { value: formatNumber(d.percent, locale) })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </>
      ) : null}
      <Dialog
        open={recording !== null}
        onClose={() => setRecording(null)}
        title={recording ? format(s.recordTitle, { sponsor: recording.sponsor.companyName }) : ''}
      >
        {recording ? (
          <DeliveryForm
            deal={recording}
            onSaved={(name) => {
              setRecording(null);
              setProblem(null);
              setNotice(format(s.recorded, { sponsor: name }));
              list.reload();
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

type Field = 'metric' | 'amount' | 'occurredAt' | 'note';
const FIELDS: readonly Field[] = ['metric', 'amount', 'occurredAt', 'note'];

function localNow(): string {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

function DeliveryForm({ deal, onSaved }: { deal: Sponsorship; onSaved: (sponsor: string) => void }) {
  const { m } = useI18n();
  const s = m.spark.sponsors;
  const [metric, setMetric] = useState<DeliverableMetric>(deal.deliverables[0]!.metric);
  const [amount, setAmount] = useState('');
  const [occurredAt, setOccurredAt] = useState(localNow);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fieldRefs = useRef<Partial<Record<Field, HTMLElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);
  useFocusFirstError(attempt, FIELDS, errors, fieldRefs, bannerRef);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<Field, string>> = {};
    const value = Number(amount.replace(',', '.'));
    if (!amount.trim() || !Number.isFinite(value) || value < 0) found.amount = s.amountInvalid;
    const when = Date.parse(occurredAt);
    if (!occurredAt || Number.isNaN(when)) found.occurredAt = s.dateRequired;
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      await recordDelivery(deal.id, { metric, amount: value, occurredAt: new Date(when).toISOString(), ...(note.trim() ? { note: note.trim() } : {}) });
      onSaved(deal.sponsor.companyName);
    } catch (error) {
      const split = splitErrors(error, FIELDS, m);
      setErrors(split.fieldErrors);
      setBanner(describeVillaConflict(error, m, 'villa') ?? split.banner);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      <SelectField
        name="metric"
        label={s.metric}
        value={metric}
        onChange={(v) => setMetric(v as DeliverableMetric)}
        options={deal.deliverables.map((d) => ({ value: d.metric, label: s.metrics[d.metric] }))}
        error={errors.metric}
        selectRef={(el) => {
          fieldRefs.current.metric = el;
        }}
      />
      <TextField
        name="amount"
        inputMode="decimal"
        label={s.amount}
        value={amount}
        onChange={setAmount}
        error={errors.amount}
        required
        inputRef={(el) => {
          fieldRefs.current.amount = el;
        }}
      />
      <TextField
        name="occurredAt"
        type="datetime-local"
        label={s.occurredAt}
        value={occurredAt}
        onChange={setOccurredAt}
        error={errors.occurredAt}
        required
        inputRef={(el) => {
          fieldRefs.current.occurredAt = el;
        }}
      />
      <TextAreaField
        name="note"
        label={s.note}
        value={note}
        onChange={setNote}
        error={errors.note}
        rows={2}
        textareaRef={(el) => {
          fieldRefs.current.note = el;
        }}
      />
      <SubmitButton pending={pending} label={s.save} pendingLabel={s.saving} />
    </form>
  );
}
