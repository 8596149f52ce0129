'use client';

import './commerce.css';
import { useState, type FormEvent, type ReactNode } from 'react';
import { centsToInput, checkEuros, formatCents, listOffers, updateOffer, type Offer, type OfferChanges } from '../../lib/commerce.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, CheckboxField, FormBanner, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { StatusPill } from './shared.tsx';

/** /offers: the MONA offers catalogue; an admin changes names, contents, prices and what is on sale. */
export function OffersView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <OffersCatalogue />
    </RequireRole>
  );
}

function OffersCatalogue() {
  const { m } = useI18n();
  const { user } = useAuth();
  const o = m.commerce.offers;
  const isAdmin = user?.role === 'admin';
  const offers = useAsync((signal) => listOffers(true, signal), []);
  const [editing, setEditing] = useState<Offer | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{o.title}</h1>
          <p className="lead">{isAdmin ? o.introAdmin : o.intro}</p>
        </div>
      </div>
      {saved ? <Alert tone="success">{saved}</Alert> : null}
      {offers.error && !offers.data ? <LoadError title={o.loadError} error={offers.error} onRetry={offers.reload} /> : null}
      {!offers.data && !offers.error ? <Loading message={o.loading} /> : null}
      {offers.data && offers.data.length === 0 ? <EmptyState title={o.empty} /> : null}
      {offers.data && offers.data.length > 0 ? (
        <OfferCards
          offers={offers.data}
          renderAction={
            isAdmin
              ? (offer) => (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => {
                      setSaved(null);
                      setEditing(offer);
                    }}
                  >
                    {o.edit}
                    <span className="visually-hidden"> {offer.name}</span>
                  </button>
                )
              : undefined
          }
        />
      ) : null}
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? format(o.editTitle, { name: editing.name }) : ''} wide>
        {editing ? (
          <OfferForm
            offer={editing}
            onSaved={(next) => {
              offers.setData((list) => (list ? list.map((x) => (x.id === next.id ? next : x)) : list));
              setEditing(null);
              setSaved(format(o.saved, { name: next.name }));
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

/** The offers as cards: name, price, what they include; `renderAction` adds a button (edit, order). */
export function OfferCards({ offers, renderAction }: { offers: readonly Offer[]; renderAction?: ((offer: Offer) => ReactNode) | undefined }) {
  const { m, locale } = useI18n();
  const o = m.commerce.offers;
  return (
    <ul className="offer-cards">
      {offers.map((offer) => (
        <li key={offer.id} className="card section offer-card">
          <div className="offer-card__head">
            <h2 className="section-title">{offer.name}</h2>
            {offer.active ? null : <StatusPill tone="neutral" label={o.inactive} />}
          </div>
          <p className="offer-card__price amount">
            {offer.priceIsMinimum
              ? format(m.commerce.common.fromPrice, { price: formatCents(offer.priceCents, locale) })
              : formatCents(offer.priceCents, locale)}
          </p>
          {offer.description ? <p>{offer.description}</p> : null}
          {offer.includes.length > 0 ? (
            <>
              <p className="muted">{o.includes}</p>
              <ul className="plain-list">
                {offer.includes.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            </>
          ) : null}
          {renderAction ? <div className="inline-actions">{renderAction(offer)}</div> : null}
        </li>
      ))}
    </ul>
  );
}

type Field = 'name' | 'description' | 'includes' | 'priceCents' | 'active';
const FIELDS: readonly Field[] = ['name', 'description', 'includes', 'priceCents', 'active'];

function OfferForm({ offer, onSaved }: { offer: Offer; onSaved: (next: Offer) => void }) {
  const { m, locale } = useI18n();
  const o = m.commerce.offers;
  const [name, setName] = useState(offer.name);
  const [description, setDescription] = useState(offer.description);
  const [includes, setIncludes] = useState(offer.includes.join('\n'));
  const [price, setPrice] = useState(centsToInput(offer.priceCents, locale));
  const [active, setActive] = useState(offer.active);
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = o.nameRequired;
    const checked = checkEuros(price, m);
    if ('error' in checked) found.priceCents = checked.error;
    await form.submit(found, async () => {
      // A refused price is in `found`: the action only runs with one.
      if ('error' in checked) return;
      const lines = includes
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const changes: OfferChanges = {};
      if (name.trim() !== offer.name) changes.name = name.trim();
      if (description.trim() !== offer.description) changes.description = description.trim();
      if (lines.join('\n') !== offer.includes.join('\n')) changes.includes = lines;
      if (checked.cents !== offer.priceCents) changes.priceCents = checked.cents;
      if (active !== offer.active) changes.active = active;
      onSaved(Object.keys(changes).length > 0 ? await updateOffer(offer.id, changes) : offer);
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <TextField name="name" label={o.nameLabel} value={name} onChange={setName} required error={errors.name} inputRef={form.field('name')} />
      <TextField
        name="price"
        label={offer.priceIsMinimum ? o.minPriceLabel : o.priceLabel}
        hint={m.commerce.money.hint}
        value={price}
        onChange={setPrice}
        inputMode="decimal"
        required
        error={errors.priceCents}
        inputRef={form.field('priceCents')}
      />
      <TextAreaField name="description" label={o.descriptionLabel} value={description} onChange={setDescription} maxLength={2000} error={errors.description} />
      <TextAreaField name="includes" label={o.includesLabel} hint={o.includesHint} value={includes} onChange={setIncludes} rows={5} error={errors.includes} />
      <CheckboxField name="active" label={o.activeLabel} hint={o.activeHint} checked={active} onChange={setActive} error={errors.active} />
      <p className="muted">{o.pricesNote}</p>
      <SubmitButton pending={pending} label={m.commerce.common.save} pendingLabel={m.commerce.common.saving} />
    </form>
  );
}
