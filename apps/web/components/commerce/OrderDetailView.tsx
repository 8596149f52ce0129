'use client';

import './commerce.css';
import { ApiError } from '@mona/sdk';
import { ORDER_TRANSITIONS, isTeamRole, type OrderStatus } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { describeTransitionConflict, formatCents, getOrder, transitionOrder, type OrderDetail } from '../../lib/commerce.ts';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { ConfirmDialog, OrderStatusPill, StatusTimeline } from './shared.tsx';

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

  if (order.error && !order.data) {
    if (order.error instanceof ApiError && (order.error.status === 404 || order.error.status === 400)) {
      return (
        <div className="page">
          <h1 className="page-title">{d.notFoundTitle}</h1>
          <Alert tone="warning">{d.notFound}</Alert>
          <p>
            <Link href={back.href}>{back.label}</Link>
          </p>
        </div>
      );
    }
    return (
      <div className="page">
        <h1 className="page-title">{d.title}</h1>
        <LoadError title={d.loadError} error={order.error} onRetry={order.reload} />
      </div>
    );
  }
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
  back: { href: string; label: string };
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
    <div className="page">
      <p>
        <Link href={back.href}>{back.label}</Link>
      </p>
      <div className="page-header">
        <div>
          <h1 className="page-title">{format(d.heading, { offer: order.offerName, artist: order.artistName })}</h1>
          <p className="artist-summary" aria-live="polite">
            <span className="visually-hidden">{d.statusLabel} </span>
            <OrderStatusPill status={order.status} />
          </p>
        </div>
      </div>
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
            {stamps
              .filter((s): s is [string, string] => s[1] !== null)
              .map(([label, at]) => (
                <div className="details__row" key={label}>
                  <dt>{label}</dt>
                  <dd>{formatDateTime(at, locale)}</dd>
                </div>
              ))}
            <div className="details__row">
              <dt>{d.note}</dt>
              <dd className="prewrap">{order.note || c.none}</dd>
            </div>
          </dl>
        </section>
        {isTeam ? <OrderActions order={order} onChange={onChange} onReload={onReload} /> : null}
      </div>
      <section className="card section" aria-labelledby="order-history-title">
        <h2 id="order-history-title" className="section-title">
          {d.historyTitle}
        </h2>
        <StatusTimeline
          label={d.historyTitle}
          entries={order.history.map((h) => ({
            id: h.id,
            fromLabel: h.fromStatus ? m.commerce.orderStatus[h.fromStatus] : null,
            toLabel: m.commerce.orderStatus[h.toStatus],
            toPill: <OrderStatusPill status={h.toStatus} />,
            reason: h.reason,
            changedAt: h.changedAt,
            changedBy: h.changedBy,
          }))}
        />
      </section>
    </div>
  );
}

function OrderActions({ order, onChange, onReload }: { order: OrderDetail; onChange: (next: OrderDetail) => void; onReload: () => void }) {
  const { m } = useI18n();
  const d = m.commerce.orderDetail;
  const [pending, setPending] = useState<OrderStatus | null>(null);
  const [confirming, setConfirming] = useState<OrderStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const next = ORDER_TRANSITIONS[order.status];

  useEffect(() => {
    if (error || done) alertRef.current?.focus();
  }, [error, done]);

  async function move(to: OrderStatus, reason: string) {
    setPending(to);
    setError(null);
    setDone(null);
    try {
      const updated = await transitionOrder(order.id, to, reason || undefined);
      setConfirming(null);
      onChange(updated);
      setDone(format(d.moved, { status: m.commerce.orderStatus[updated.status] }));
    } catch (caught) {
      setConfirming(null);
      setError(describeTransitionConflict(caught, m, 'order') ?? describeError(caught, m));
      // The status may have moved meanwhile: show what it is now.
      if (caught instanceof ApiError && caught.status === 409) onReload();
    } finally {
      setPending(null);
    }
  }

  return (
    <section className="card section" aria-labelledby="order-actions-title">
      <h2 id="order-actions-title" className="section-title">
        {d.actionsTitle}
      </h2>
      {error ? (
        <Alert tone="error" alertRef={alertRef} title={d.refused}>
          {error}
        </Alert>
      ) : null}
      {done ? (
        <Alert tone="success" alertRef={alertRef}>
          {done}
        </Alert>
      ) : null}
      {next.length === 0 ? (
        <p className="muted">{format(d.final, { status: m.commerce.orderStatus[order.status] })}</p>
      ) : (
        <>
          <p className="muted">{d.actionsIntro}</p>
          <div className="transition-actions">
            {next.map((to) => (
              <button
                key={to}
                type="button"
                className={CONFIRMED.includes(to) ? 'button button--secondary' : 'button button--primary'}
                disabled={pending !== null}
                onClick={() => (CONFIRMED.includes(to) ? setConfirming(to) : void move(to, ''))}
              >
                {pending === to ? m.commerce.common.working : m.commerce.orderActions[to]}
              </button>
            ))}
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === 'refunded' ? d.confirmRefundTitle : d.confirmCancelTitle}
        description={format(confirming === 'refunded' ? d.confirmRefund : d.confirmCancel, { offer: order.offerName, artist: order.artistName })}
        confirmLabel={confirming ? m.commerce.orderActions[confirming] : ''}
        pending={pending !== null}
        onClose={() => setConfirming(null)}
        onConfirm={(reason) => {
          if (confirming) void move(confirming, reason);
        }}
      />
    </section>
  );
}
