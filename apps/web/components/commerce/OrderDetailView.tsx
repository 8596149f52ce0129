'use client';

import './commerce.css';
import { ORDER_TRANSITIONS, isTeamRole, type OrderStatus } from '@mona/shared';
import Link from 'next/link';
import { formatCents, getOrder, transitionOrder, type OrderDetail } from '../../lib/commerce.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { DetailLoadFailure, DetailPage, OrderStatusPill, StampRows, StatusActions, StatusHistory, type BackLink, type StatusMove } from './shared.tsx';

const CONFIRMED: readonly OrderStatus[] = ['refunded', 'cancelled'];

/** /orders/[id]: one order, its history and (team) the allowed next statuses. The artist it is for reads it too. */
export function OrderDetailView({ id }: { id: string }) {
  return (
    <RequireRole roles={['admin', 'staff', 'artist']}>
      <OrderDetailLoaded id={id} />
    </RequireRole>
  );
}

function OrderDetailLoaded({ id }: { id: string }) {
  const { m } = useI18n();
  const { user } = useAuth();
  const d = m.commerce.orderDetail;
  const order = useAsync((signal) => getOrder(id, signal), [id]);
  const isTeam = user ? isTeamRole(user.role) : false;
  const back = isTeam ? { href: '/orders', label: d.backToOrders } : { href: '/portal', label: d.backToPortal };

  if (order.error && !order.data) return <DetailLoadFailure error={order.error} back={back} onRetry={order.reload} texts={d} />;
  if (!order.data) return <Loading message={d.loading} />;
  return <OrderDetailBody order={order.data} isTeam={isTeam} back={back} onChange={order.setData} onReload={order.reload} />;
}

function OrderDetailBody({
  order,
  isTeam,
  back,
  onChange,
  onReload,
}: {
  order: OrderDetail;
  isTeam: boolean;
  back: BackLink;
  onChange: (next: OrderDetail) => void;
  onReload: () => void;
}) {
  const { m, locale } = useI18n();
  const d = m.commerce.orderDetail;
  const c = m.commerce.common;
  const stamps: [string, string | null][] = [
    [d.paidAt, order.paidAt],
    [d.fulfilledAt, order.fulfilledAt],
    [d.refundedAt, order.refundedAt],
    [d.cancelledAt, order.cancelledAt],
  ];
  return (
    <DetailPage
      back={back}
      heading={format(d.heading, { offer: order.offerName, artist: order.artistName })}
      statusLabel={d.statusLabel}
      status={<OrderStatusPill status={order.status} />}
    >
      <div className="commerce-grid">
        <section className="card section" aria-labelledby="order-details-title">
          <h2 id="order-details-title" className="section-title">
            {d.detailsTitle}
          </h2>
          <dl className="details">
            <div className="details__row">
              <dt>{d.artist}</dt>
              <dd>{isTeam ? <Link href={`/artists/${order.artistId}`}>{order.artistName}</Link> : order.artistName}</dd>
            </div>
            <div className="details__row">
              <dt>{d.offer}</dt>
              <dd>
                {order.offerName} <span className="muted">({order.offerCode})</span>
              </dd>
            </div>
            <div className="details__row">
              <dt>{d.price}</dt>
              <dd className="amount">{formatCents(order.priceCents, locale)}</dd>
            </div>
            <div className="details__row">
              <dt>{d.createdAt}</dt>
              <dd>{formatDateTime(order.createdAt, locale)}</dd>
            </div>
            <StampRows stamps={stamps} />
            <div className="details__row">
              <dt>{d.note}</dt>
              <dd className="prewrap">{order.note || c.none}</dd>
            </div>
          </dl>
        </section>
        {isTeam ? <OrderActions order={order} onChange={onChange} onReload={onReload} /> : null}
      </div>
      <StatusHistory
        titleId="order-history-title"
        title={d.historyTitle}
        history={order.history}
        labels={m.commerce.orderStatus}
        pill={(status) => <OrderStatusPill status={status} />}
      />
    </DetailPage>
  );
}

function OrderActions({ order, onChange, onReload }: { order: OrderDetail; onChange: (next: OrderDetail) => void; onReload: () => void }) {
  const { m } = useI18n();
  const d = m.commerce.orderDetail;
  const next = ORDER_TRANSITIONS[order.status];
  const moves: StatusMove<OrderStatus>[] = next.map((to) => ({
    to,
    label: m.commerce.orderActions[to],
    ...(CONFIRMED.includes(to)
      ? {
          confirm: {
            title: to === 'refunded' ? d.confirmRefundTitle : d.confirmCancelTitle,
            description: format(to === 'refunded' ? d.confirmRefund : d.confirmCancel, { offer: order.offerName, artist: order.artistName }),
            requireReason: false,
            danger: true,
          },
        }
      : {}),
  }));

  return (
    <StatusActions
      kind="order"
      titleId="order-actions-title"
      title={d.actionsTitle}
      refused={d.refused}
      moved={d.moved}
      moves={moves}
      transition={(to, reason) => transitionOrder(order.id, to, reason)}
      onChange={onChange}
      onReload={onReload}
      intro={<p className="muted">{next.length === 0 ? format(d.final, { status: m.commerce.orderStatus[order.status] }) : d.actionsIntro}</p>}
    />
  );
}
