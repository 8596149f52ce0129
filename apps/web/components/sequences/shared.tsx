'use client';

import '../notifications/notifications.css';
import type { EnrolmentStatus, SequenceStatus } from '@mona/shared';
import { useEffect, useState } from 'react';
import { listOffers } from '../../lib/commerce.ts';
import { format, plural } from '../../lib/i18n.ts';
import type { Sequence } from '../../lib/sequences.ts';
import { StatusPill } from '../commerce/shared.tsx';
import { useI18n } from '../I18nProvider.tsx';

const SEQUENCE_TONES = { draft: 'neutral', active: 'ok', paused: 'warn' } as const satisfies Record<SequenceStatus, string>;
const ENROLMENT_TONES = { active: 'info', completed: 'ok', exited: 'neutral' } as const satisfies Record<EnrolmentStatus, string>;

export function SequenceStatusPill({ status }: { status: SequenceStatus }) {
  const { m } = useI18n();
  return <StatusPill tone={SEQUENCE_TONES[status]} label={m.notifications.sequences.statuses[status]} />;
}

export function EnrolmentStatusPill({ status }: { status: EnrolmentStatus }) {
  const { m } = useI18n();
  return <StatusPill tone={ENROLMENT_TONES[status]} label={m.notifications.sequences.enrolmentStatuses[status]} />;
}

export interface OfferChoice {
  code: string;
  name: string;
}

let offersCache: Promise<OfferChoice[]> | null = null;

/** The offer catalogue (codes and names) for trigger and exit pickers, one request per page load. */
export function useOfferChoices(): OfferChoice[] {
  const [offers, setOffers] = useState<OfferChoice[]>([]);
  useEffect(() => {
    let live = true;
    offersCache ??= listOffers(true)
      .then((items) => items.map((o) => ({ code: o.code, name: o.name })))
      .catch((error: unknown) => {
        offersCache = null;
        throw error;
      });
    offersCache.then(
      (list) => live && setOffers(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return offers;
}

/** "Commande payée · offre MONA 290", "Inactivité · 60 jours sans activité". */
export function TriggerText({ sequence, offers }: { sequence: Pick<Sequence, 'trigger' | 'triggerConfig'>; offers: readonly OfferChoice[] }) {
  const { m, locale } = useI18n();
  const s = m.notifications.sequences;
  const config = sequence.triggerConfig;
  let detail: string | null = null;
  if (sequence.trigger === 'order_paid') {
    const offer = config.offerCode ? (offers.find((o) => o.code === config.offerCode)?.name ?? config.offerCode) : null;
    detail = offer ? format(s.triggerDetails.offer, { offer }) : s.triggerDetails.anyOffer;
  } else if (sequence.trigger === 'tier_changed' && config.tier) {
    detail = format(s.triggerDetails.tier, { tier: m.crm.tiers[config.tier] });
  } else if (sequence.trigger === 'inactivity' && config.days) {
    detail = plural(locale, s.triggerDetails.days, config.days);
  }
  return (
    <>
      {s.triggers[sequence.trigger]}
      {detail ? <span className="muted"> · {detail}</span> : null}
    </>
  );
}
