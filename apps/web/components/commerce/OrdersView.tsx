'use client';

import './commerce.css';
import { ORDER_STATUSES, type OrderStatus } from '@mona/shared';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { centsToInput, checkEuros, createOrder, describeTransitionConflict, formatCents, listOffers, listOrders, type Offer } from '../../lib/commerce.ts';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { ArtistPicker, type PickedArtist } from './ArtistPicker.tsx';
import { DateText, OrderStatusPill } from './shared.tsx';

/** /orders: the team's list of orders with filters, and a new order for an artist. */
export function OrdersView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <TeamOrders />
    </RequireRole>
  );
}

function TeamOrders() {
  const { m, locale } = useI18n();
  const o = m.commerce.orders;
  const router = useRouter();
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [offerId, setOfferId] = useState('');
  const [creating, setCreating] = useState(false);
  const offers = useAsync((signal) => listOffers(true, signal), []);
  const orders = useAsync((signal) => listOrders({ ...(status ? { status } : {}), ...(offerId ? { offerId } : {}) }, signal), [status, offerId]);
  const filtered = Boolean(status || offerId);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{o.title}</h1>
          <p className="lead">{o.intro}</p>
        </div>
        <div className="page-header__actions">
          <Link href="/offers" className="button button--quiet">
            {o.catalogueLink}
          </Link>
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            {o.newOrder}
          </button>
        </div>
      </div>

      <section className="card section" aria-labelledby="orders-filters-title">
        <h2 id="orders-filters-title" className="section-title">
          {o.filtersTitle}
        </h2>
        <div className="filters__grid filters__grid--compact">
          <SelectField
            name="status"
            label={o.statusFilter}
            value={status}
            onChange={(v) => setStatus(v as OrderStatus | '')}
            options={[{ value: '', label: m.commerce.common.allStatuses }, ...ORDER_STATUSES.map((s) => ({ value: s, label: m.commerce.orderStatus[s] }))]}
          />
          <SelectField
            name="offer"
            label={o.offerFilter}
            value={offerId}
            onChange={setOfferId}
            disabled={!offers.data}
            options={[{ value: '', label: o.allOffers }, ...(offers.data ?? []).map((offer) => ({ value: offer.id, label: offer.name }))]}
          />
        </div>
      </section>

      <section className="card section" aria-labelledby="orders-list-title">
        <h2 id="orders-list-title" className="section-title">
          {o.listTitle}
          {orders.data ? <span className="section-title__count"> · {plural(locale, o.count, orders.data.length)}</span> : null}
        </h2>
        {orders.error ? <LoadError title={o.loadError} error={orders.error} onRetry={orders.reload} /> : null}
        {orders.loading && !orders.data ? <Loading message={o.loading} /> : null}
        {orders.data && orders.data.length === 0 ? (
          <EmptyState
            title={filtered ? o.emptyFiltered : o.empty}
            actions={
              filtered ? (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    setStatus('');
                    setOfferId('');
                  }}
                >
                  {o.clearFilters}
                </button>
              ) : (
                <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                  {o.newOrder}
                </button>
              )
            }
          />
        ) : null}
        {orders.data && orders.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="orders-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{o.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{o.columns.offer}</th>
                  <th scope="col">{o.columns.artist}</th>
                  <th scope="col" className="amount">
                    {o.columns.price}
                  </th>
                  <th scope="col">{o.columns.status}</th>
                  <th scope="col">{o.columns.createdAt}</th>
                </tr>
              </thead>
              <tbody>
                {orders.data.map((order) => (
                  <tr key={order.id}>
                    <th scope="row">
                      <Link href={`/orders/${order.id}`}>
                        {order.offerName}
                        <span className="visually-hidden"> — {format(o.forArtist, { name: order.artistName })}</span>
                      </Link>
                    </th>
                    <td>{order.artistName}</td>
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

      <Dialog open={creating} onClose={() => setCreating(false)} title={o.createTitle} description={o.createIntro} wide>
        <CreateOrderForm
          offers={(offers.data ?? []).filter((offer) => offer.active)}
          offersLoading={offers.loading}
          onCreated={(id) => {
            setCreating(false);
            router.push(`/orders/${id}`);
          }}
        />
      </Dialog>
    </div>
  );
}

type Field = 'artistId' | 'offerId' | 'priceCents' | 'note';
const FIELDS: readonly Field[] = ['artistId', 'offerId', 'priceCents', 'note'];

/** A new order for an artist: the price comes from the offer, except "from" prices (490+) that take a higher amount. */
export function CreateOrderForm({
  offers,
  offersLoading,
  onCreated,
  initialArtist = null,
}: {
  offers: readonly Offer[];
  offersLoading: boolean;
  onCreated: (id: string) => void;
  initialArtist?: PickedArtist | null;
}) {
  const { m, locale } = useI18n();
  const o = m.commerce.orders;
  const [artist, setArtist] = useState<PickedArtist | null>(initialArtist);
  const [offerId, setOfferId] = useState('');
  const [price, setPrice] = useState('');
  const [note, setNote] = useState('');
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;
  const offer = offers.find((x) => x.id === offerId);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!artist) found.artistId = o.artistRequired;
    if (!offer) found.offerId = o.offerRequired;
    let priceCents: number | undefined;
    if (offer?.priceIsMinimum) {
      const checked = checkEuros(price, m, { min: offer.priceCents });
      if ('error' in checked)
        found.priceCents =
          checked.error === m.commerce.money.tooSmall ? format(o.priceAtLeast, { price: formatCents(offer.priceCents, locale) }) : checked.error;
      else priceCents = checked.cents;
    }
    await form.submit(
      found,
      async () => {
        // A missing artist or offer is in `found`: the action only runs with both.
        if (!artist || !offer) return;
        const created = await createOrder({
          artistId: artist.id,
          offerId: offer.id,
          ...(priceCents !== undefined ? { priceCents } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        });
        onCreated(created.id);
      },
      { conflict: (error) => describeTransitionConflict(error, m, 'order') },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <ArtistPicker value={artist} onChange={setArtist} error={errors.artistId} inputRef={form.field('artistId')} />
      <SelectField
        name="offerId"
        label={o.offerLabel}
        hint={offersLoading ? m.commerce.common.loading : undefined}
        value={offerId}
        required
        onChange={(value) => {
          setOfferId(value);
          const chosen = offers.find((x) => x.id === value);
          setPrice(chosen ? centsToInput(chosen.priceCents, locale) : '');
        }}
        error={errors.offerId}
        options={[
          { value: '', label: o.chooseOffer },
          ...offers.map((x) => ({
            value: x.id,
            label: `${x.name} — ${x.priceIsMinimum ? format(m.commerce.common.fromPrice, { price: formatCents(x.priceCents, locale) }) : formatCents(x.priceCents, locale)}`,
          })),
        ]}
        selectRef={form.field('offerId')}
      />
      {offer?.priceIsMinimum ? (
        <TextField
          name="price"
          label={o.priceLabel}
          hint={format(o.priceHint, { price: formatCents(offer.priceCents, locale) })}
          value={price}
          onChange={setPrice}
          inputMode="decimal"
          error={errors.priceCents}
          inputRef={form.field('priceCents')}
        />
      ) : offer ? (
        <p className="muted">{format(o.fixedPrice, { price: formatCents(offer.priceCents, locale) })}</p>
      ) : null}
      <TextAreaField name="note" label={o.noteLabel} value={note} onChange={setNote} maxLength={2000} rows={3} error={errors.note} />
      <SubmitButton pending={pending} label={o.submit} pendingLabel={o.submitting} />
    </form>
  );
}
