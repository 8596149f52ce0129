'use client';

import { VILLA_CAPACITY_MAX, VILLA_CAPACITY_MIN, VILLA_STATUSES, type VillaStatus } from '@mona/shared';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { createVilla, formatDay, listVillas } from '../../lib/villas.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { CheckboxField, FormBanner, SelectField, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { VillaStatusPill } from './shared.tsx';

/** /villas: the team's villas with filters, and a new villa. */
export function VillasView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <TeamVillas />
    </RequireRole>
  );
}

function TeamVillas() {
  const { m, locale } = useI18n();
  const l = m.spark.list;
  const router = useRouter();
  const [status, setStatus] = useState<VillaStatus | ''>('');
  const [upcoming, setUpcoming] = useState(false);
  const [creating, setCreating] = useState(false);
  const villas = useAsync((signal) => listVillas({ ...(status ? { status } : {}), upcoming }, signal), [status, upcoming]);
  const filtered = Boolean(status || upcoming);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{l.title}</h1>
          <p className="lead">{l.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            {l.newVilla}
          </button>
        </div>
      </div>

      <section className="card section" aria-labelledby="villas-filters-title">
        <h2 id="villas-filters-title" className="section-title">
          {l.filtersTitle}
        </h2>
        <div className="filters__grid filters__grid--compact">
          <SelectField
            name="status"
            label={l.statusFilter}
            value={status}
            onChange={(v) => setStatus(v as VillaStatus | '')}
            options={[{ value: '', label: l.allStatuses }, ...VILLA_STATUSES.map((s) => ({ value: s, label: m.spark.status[s] }))]}
          />
          <CheckboxField name="upcoming" label={l.upcoming} checked={upcoming} onChange={setUpcoming} />
        </div>
      </section>

      <section className="card section" aria-labelledby="villas-list-title">
        <h2 id="villas-list-title" className="section-title">
          {l.listTitle}
          {villas.data ? <span className="section-title__count"> · {plural(locale, l.count, villas.data.length)}</span> : null}
        </h2>
        {villas.error ? <LoadError title={l.loadError} error={villas.error} onRetry={villas.reload} retrying={villas.loading} /> : null}
        {villas.loading && !villas.data ? <Loading message={l.loading} /> : null}
        {villas.data && villas.data.length === 0 ? (
          <EmptyState
            title={filtered ? l.emptyFiltered : l.empty}
            actions={
              filtered ? (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    setStatus('');
                    setUpcoming(false);
                  }}
                >
                  {l.clearFilters}
                </button>
              ) : (
                <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                  {l.newVilla}
                </button>
              )
            }
          />
        ) : null}
        {villas.data && villas.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="villas-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{l.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{l.columns.name}</th>
                  <th scope="col">{l.columns.place}</th>
                  <th scope="col">{l.columns.dates}</th>
                  <th scope="col" className="amount">
                    {l.columns.capacity}
                  </th>
                  <th scope="col">{l.columns.status}</th>
                </tr>
              </thead>
              <tbody>
                {villas.data.map((villa) => (
                  <tr key={villa.id}>
                    <th scope="row">
                      <Link href={`/villas/${villa.id}`}>{villa.name}</Link>
                    </th>
                    <td>{villa.place}</td>
                    <td>{format(l.dates, { from: formatDay(villa.arrivalOn, locale), to: formatDay(villa.departureOn, locale) })}</td>
                    <td className="amount">{villa.capacity}</td>
                    <td>
                      <VillaStatusPill status={villa.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <Dialog open={creating} onClose={() => setCreating(false)} title={m.spark.create.title} description={m.spark.create.intro}>
        <CreateVillaForm
          onCreated={(id) => {
            setCreating(false);
            router.push(`/villas/${id}`);
          }}
        />
      </Dialog>
    </div>
  );
}

type Field = 'name' | 'place' | 'arrivalOn' | 'capacity' | 'maxPerGenre';
const FIELDS: readonly Field[] = ['name', 'place', 'arrivalOn', 'capacity', 'maxPerGenre'];

function CreateVillaForm({ onCreated }: { onCreated: (id: string) => void }) {
  const { m } = useI18n();
  const c = m.spark.create;
  const [values, setValues] = useState<Record<Field, string>>({ name: '', place: '', arrivalOn: '', capacity: '10', maxPerGenre: '2' });
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;
  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const range = { min: VILLA_CAPACITY_MIN, max: VILLA_CAPACITY_MAX };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.name.trim()) found.name = c.nameRequired;
    if (!values.place.trim()) found.place = c.placeRequired;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.arrivalOn)) found.arrivalOn = c.dateRequired;
    const capacity = Number(values.capacity);
    if (!/^\d+$/.test(values.capacity.trim()) || capacity < VILLA_CAPACITY_MIN || capacity > VILLA_CAPACITY_MAX)
      found.capacity = format(c.capacityRange, range);
    const maxPerGenre = Number(values.maxPerGenre);
    if (!/^\d+$/.test(values.maxPerGenre.trim()) || maxPerGenre < 1 || maxPerGenre > 12) found.maxPerGenre = c.maxPerGenreRange;
    await form.submit(found, async () => {
      const created = await createVilla({ name: values.name.trim(), place: values.place.trim(), arrivalOn: values.arrivalOn, capacity, maxPerGenre });
      onCreated(created.id);
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <TextField name="name" label={c.name} value={values.name} onChange={set('name')} error={errors.name} required inputRef={form.field('name')} />
      <TextField name="place" label={c.place} value={values.place} onChange={set('place')} error={errors.place} required inputRef={form.field('place')} />
      <TextField
        name="arrivalOn"
        type="date"
        label={c.arrivalOn}
        hint={c.arrivalHint}
        value={values.arrivalOn}
        onChange={set('arrivalOn')}
        error={errors.arrivalOn}
        required
        inputRef={form.field('arrivalOn')}
      />
      <TextField
        name="capacity"
        type="number"
        inputMode="numeric"
        min={VILLA_CAPACITY_MIN}
        max={VILLA_CAPACITY_MAX}
        label={c.capacity}
        hint={format(c.capacityHint, range)}
        value={values.capacity}
        onChange={set('capacity')}
        error={errors.capacity}
        required
        inputRef={form.field('capacity')}
      />
      <TextField
        name="maxPerGenre"
        type="number"
        inputMode="numeric"
        min={1}
        max={12}
        label={c.maxPerGenre}
        hint={c.maxPerGenreHint}
        value={values.maxPerGenre}
        onChange={set('maxPerGenre')}
        error={errors.maxPerGenre}
        required
        inputRef={form.field('maxPerGenre')}
      />
      <SubmitButton pending={pending} label={c.submit} pendingLabel={c.pending} />
    </form>
  );
}
