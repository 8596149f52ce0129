'use client';

import { ApiError } from '@mona/sdk';
import { DELIVERABLE_METRICS, type DeliverableMetric, type SponsorPackage } from '@mona/shared';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { formatCents } from '../../lib/commerce.ts';
import { splitErrors } from '../../lib/errors.ts';
import { format } from '../../lib/i18n.ts';
import { buyPackage, describePurchaseRefusal, listPackages } from '../../lib/sponsor.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm, type ErrorSplitter } from '../../lib/use-form.ts';
import { describeVillaConflict, listSponsors, replaceDeliverables, type Sponsorship } from '../../lib/villas.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { FormBanner, SelectField, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

type SellField = 'sponsorId' | 'packageCode' | 'exclusiveSector';
const SELL_FIELDS: readonly SellField[] = ['sponsorId', 'packageCode', 'exclusiveSector'];

/**
 * The team sells a package of the catalogue to a sponsor for this villa. A
 * refused sale (409: fifth sponsor, second principal, sector taken, completed
 * villa) shows the reason in the reader's language.
 */
export function SellPackageForm({ villaId, onSold }: { villaId: string; onSold: (deal: Sponsorship) => void }) {
  const { m, locale } = useI18n();
  const s = m.spark.sponsors;
  const sponsors = useAsync((signal) => listSponsors(signal), []);
  const packages = useAsync((signal) => listPackages(signal), []);
  const [sponsorId, setSponsorId] = useState('');
  const [packageCode, setPackageCode] = useState<SponsorPackage | ''>('');
  const [sector, setSector] = useState<string | null>(null);
  const form = useForm(SELL_FIELDS, m);
  const { errors, pending } = form;

  if (sponsors.error && !sponsors.data)
    return <LoadError title={s.sponsorsLoadError} error={sponsors.error} onRetry={sponsors.reload} retrying={sponsors.loading} />;
  if (packages.error && !packages.data)
    return <LoadError title={s.packagesLoadError} error={packages.error} onRetry={packages.reload} retrying={packages.loading} />;
  if (!sponsors.data) return <Loading message={s.sponsorsLoading} />;
  if (!packages.data) return <Loading message={s.packagesLoading} />;
  if (sponsors.data.length === 0)
    return (
      <EmptyState
        title={s.noSponsors}
        actions={
          <Link href="/sponsors" className="button button--secondary">
            {s.manageSponsors}
          </Link>
        }
      />
    );

  const sponsor = sponsors.data.find((x) => x.id === sponsorId) ?? null;
  const pkg = packages.data.find((x) => x.code === packageCode) ?? null;
  // The exclusive sector follows the chosen sponsor until someone types another one.
  const sectorValue = sector ?? sponsor?.sector ?? '';

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<SellField, string>> = {};
    if (!sponsor) found.sponsorId = s.sponsorRequired;
    if (!pkg) found.packageCode = s.packageRequired;
    if (pkg?.sectorExclusive && !sectorValue.trim()) found.exclusiveSector = s.sectorRequired;
    await form.submit(
      found,
      async () => {
        if (!sponsor || !pkg) return;
        onSold(await buyPackage(villaId, pkg.code, { sponsorId: sponsor.id, ...(pkg.sectorExclusive ? { exclusiveSector: sectorValue.trim() } : {}) }));
      },
      { conflict: (error) => describePurchaseRefusal(error, m) },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <SelectField
        name="sponsorId"
        label={s.sponsorField}
        value={sponsorId}
        onChange={setSponsorId}
        options={[{ value: '', label: s.choose }, ...sponsors.data.map((x) => ({ value: x.id, label: `${x.companyName} (${x.sector})` }))]}
        error={errors.sponsorId}
        required
        selectRef={form.field('sponsorId')}
      />
      <SelectField
        name="packageCode"
        label={s.packageField}
        value={packageCode}
        onChange={(v) => setPackageCode(v as SponsorPackage | '')}
        options={[
          { value: '', label: s.choose },
          ...packages.data.map((x) => ({
            value: x.code,
            label: format(s.packageOption, { name: m.sponsor.packages[x.code], price: formatCents(x.priceCents, locale) }),
          })),
        ]}
        error={errors.packageCode}
        required
        selectRef={form.field('packageCode')}
      />
      {pkg?.sectorExclusive ? (
        <TextField
          name="exclusiveSector"
          label={s.sectorField}
          hint={s.sectorHint}
          value={sectorValue}
          onChange={setSector}
          error={errors.exclusiveSector}
          required
          inputRef={form.field('exclusiveSector')}
        />
      ) : null}
      <SubmitButton pending={pending} label={s.sell} pendingLabel={s.selling} />
    </form>
  );
}

/** A typed amount (spaces and a decimal comma allowed) as a number of 0 or more; null when it is not one. */
export function parseAmount(text: string): number | null {
  const raw = text.trim().replace(/\s/g, '').replace(',', '.');
  const value = Number(raw);
  return raw && Number.isFinite(value) && value >= 0 ? value : null;
}

type MetricField = `deliverables.${DeliverableMetric}`;
const METRIC_FIELDS: readonly MetricField[] = DELIVERABLE_METRICS.map((metric) => `deliverables.${metric}` as const);
const fieldOf = (metric: DeliverableMetric): MetricField => `deliverables.${metric}`;

/** The metrics a 409 says cannot be left empty (deliveries are recorded for them), or null. */
function keptMetrics(error: unknown): DeliverableMetric[] | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const metrics = (error.details as { metrics?: DeliverableMetric[] } | undefined)?.metrics;
  return metrics?.length ? metrics : null;
}

/** A metric with recorded deliveries cannot be left empty: the message goes to each of their fields. */
const splitDeliverableErrors: ErrorSplitter<MetricField> = (error, fields, m) => {
  const kept = keptMetrics(error);
  if (!kept) return splitErrors(error, fields, m);
  return { fieldErrors: Object.fromEntries(kept.map((metric) => [fieldOf(metric), m.spark.sponsors.deliverableHasRecords])), banner: null };
};

/**
 * The deal's promised deliverables, one number per metric; an empty field is
 * not promised. A metric with recorded deliveries cannot be emptied (409): the
 * message goes to its field.
 */
export function DeliverablesForm({ deal, onSaved }: { deal: Sponsorship; onSaved: (deal: Sponsorship) => void }) {
  const { m } = useI18n();
  const s = m.spark.sponsors;
  const [values, setValues] = useState<Record<DeliverableMetric, string>>(
    () =>
      Object.fromEntries(DELIVERABLE_METRICS.map((metric) => [metric, String(deal.deliverables.find((d) => d.metric === metric)?.promised ?? '')])) as Record<
        DeliverableMetric,
        string
      >,
  );
  const form = useForm(METRIC_FIELDS, m, splitDeliverableErrors);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<MetricField, string>> = {};
    const promised: Partial<Record<DeliverableMetric, number>> = {};
    for (const metric of DELIVERABLE_METRICS) {
      if (!values[metric].trim()) continue;
      const value = parseAmount(values[metric]);
      if (value === null) found[fieldOf(metric)] = s.deliverableInvalid;
      else promised[metric] = value;
    }
    await form.submit(found, async () => onSaved(await replaceDeliverables(deal.id, promised)), {
      conflict: (error) => (keptMetrics(error) ? null : describeVillaConflict(error, m, 'villa')),
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <p className="muted">{s.deliverablesIntro}</p>
      <FormBanner form={form} />
      <div className="form-grid">
        {DELIVERABLE_METRICS.map((metric) => (
          <TextField
            key={metric}
            name={metric}
            inputMode="decimal"
            label={s.metrics[metric]}
            value={values[metric]}
            onChange={(v) => setValues((current) => ({ ...current, [metric]: v }))}
            error={errors[fieldOf(metric)]}
            inputRef={form.field(fieldOf(metric))}
          />
        ))}
      </div>
      <SubmitButton pending={pending} label={s.save} pendingLabel={s.saving} />
    </form>
  );
}
