'use client';

import type { DeliverableMetric } from '@mona/shared';
import { useState, type FormEvent } from 'react';
import { formatCents } from '../../lib/commerce.ts';
import { describeError } from '../../lib/errors.ts';
import { formatNumber } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { cancelSponsorship, describeVillaConflict, listVillaSponsorships, recordDelivery, type Sponsorship } from '../../lib/villas.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { StatusPill } from '../commerce/shared.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { DeliverablesForm, parseAmount, SellPackageForm } from './SponsorDealForms.tsx';
import type { VillaTabProps } from './tabs.tsx';

/** The villa's sponsorships with their package, sector, price and deliverables; record a delivery or cancel. */
export function SponsorsTab({ villa, onVillaChange }: VillaTabProps) {
  const { m, locale } = useI18n();
  const s = m.spark.sponsors;
  const list = useAsync((signal) => listVillaSponsorships(villa.id, signal), [villa.id]);
  const [recording, setRecording] = useState<Sponsorship | null>(null);
  const [selling, setSelling] = useState(false);
  const [editingDeliverables, setEditingDeliverables] = useState<Sponsorship | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function cancel(deal: Sponsorship) {
    if (!window.confirm(format(s.confirmCancel, { sponsor: deal.sponsor.companyName }))) return;
    setBusy(deal.id);
    setNotice(null);
    setProblem(null);
    try {
      replace(await cancelSponsorship(deal.id));
      setNotice(format(s.cancelledNotice, { sponsor: deal.sponsor.companyName }));
      onVillaChange();
    } catch (error) {
      setProblem(describeVillaConflict(error, m, 'villa') ?? describeError(error, m));
    } finally {
      setBusy(null);
    }
  }

  const replace = (next: Sponsorship) => list.setData((items) => (items ? items.map((x) => (x.id === next.id ? next : x)) : items));

  return (
    <section className="section" aria-labelledby="sponsors-title">
      <div className="section-header">
        <h2 id="sponsors-title" className="section-title">
          {s.title}
        </h2>
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            setNotice(null);
            setProblem(null);
            setSelling(true);
          }}
        >
          {s.add}
        </button>
      </div>
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
                            className="button button--secondary button--small"
                            aria-label={format(s.editDeliverablesFor, { sponsor: deal.sponsor.companyName })}
                            onClick={() => setEditingDeliverables(deal)}
                          >
                            {s.editDeliverables}
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
      <Dialog open={selling} onClose={() => setSelling(false)} title={s.addTitle} description={s.addIntro}>
        {selling ? (
          <SellPackageForm
            villaId={villa.id}
            onSold={(deal) => {
              setSelling(false);
              setProblem(null);
              setNotice(format(s.sold, { package: m.sponsor.packages[deal.packageCode], sponsor: deal.sponsor.companyName }));
              list.setData((items) => [deal, ...(items ?? [])]);
              onVillaChange();
            }}
          />
        ) : null}
      </Dialog>
      <Dialog
        open={editingDeliverables !== null}
        onClose={() => setEditingDeliverables(null)}
        title={editingDeliverables ? format(s.deliverablesTitle, { sponsor: editingDeliverables.sponsor.companyName }) : ''}
        wide
      >
        {editingDeliverables ? (
          <DeliverablesForm
            deal={editingDeliverables}
            onSaved={(deal) => {
              setEditingDeliverables(null);
              setProblem(null);
              setNotice(format(s.deliverablesSaved, { sponsor: deal.sponsor.companyName }));
              replace(deal);
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
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    const value = parseAmount(amount);
    if (value === null) found.amount = s.amountInvalid;
    const when = Date.parse(occurredAt);
    if (!occurredAt || Number.isNaN(when)) found.occurredAt = s.dateRequired;
    await form.submit(
      found,
      async () => {
        if (value === null) return;
        await recordDelivery(deal.id, { metric, amount: value, occurredAt: new Date(when).toISOString(), ...(note.trim() ? { note: note.trim() } : {}) });
        onSaved(deal.sponsor.companyName);
      },
      { conflict: (error) => describeVillaConflict(error, m, 'villa') },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <SelectField
        name="metric"
        label={s.metric}
        value={metric}
        onChange={(v) => setMetric(v as DeliverableMetric)}
        options={deal.deliverables.map((d) => ({ value: d.metric, label: s.metrics[d.metric] }))}
        error={errors.metric}
        selectRef={form.field('metric')}
      />
      <TextField
        name="amount"
        inputMode="decimal"
        label={s.amount}
        value={amount}
        onChange={setAmount}
        error={errors.amount}
        required
        inputRef={form.field('amount')}
      />
      <TextField
        name="occurredAt"
        type="datetime-local"
        label={s.occurredAt}
        value={occurredAt}
        onChange={setOccurredAt}
        error={errors.occurredAt}
        required
        inputRef={form.field('occurredAt')}
      />
      <TextAreaField name="note" label={s.note} value={note} onChange={setNote} error={errors.note} rows={2} textareaRef={form.field('note')} />
      <SubmitButton pending={pending} label={s.save} pendingLabel={s.saving} />
    </form>
  );
}
