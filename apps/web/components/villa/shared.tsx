'use client';

import './villa.css';
import type { ApplicationStatus, VillaStatus } from '@mona/shared';
import { StatusPill } from '../commerce/shared.tsx';
import { useI18n } from '../I18nProvider.tsx';

type Tone = 'neutral' | 'info' | 'warn' | 'ok' | 'down';

const VILLA_TONES: Record<VillaStatus, Tone> = { planning: 'neutral', open: 'info', full: 'warn', in_progress: 'ok', completed: 'neutral' };
const APPLICATION_TONES: Record<ApplicationStatus, Tone> = {
  pending: 'neutral',
  shortlisted: 'info',
  accepted: 'ok',
  waitlisted: 'warn',
  rejected: 'down',
  withdrawn: 'down',
};

/** A villa status as text, colour and shape. */
export function VillaStatusPill({ status }: { status: VillaStatus }) {
  const { m } = useI18n();
  return <StatusPill tone={VILLA_TONES[status]} label={m.spark.status[status]} />;
}

export function ApplicationStatusPill({ status }: { status: ApplicationStatus }) {
  const { m } = useI18n();
  return <StatusPill tone={APPLICATION_TONES[status]} label={m.spark.applicationStatus[status]} />;
}

/** A horizontal gauge with its numbers in text (a native <meter> for assistive technology). */
export function Gauge({ label, value, max, text }: { label: string; value: number; max: number; text: string }) {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="gauge">
      <div className="gauge__label">
        <span>{label}</span>
        <strong>{text}</strong>
      </div>
      <meter className="visually-hidden" min={0} max={max} value={value} aria-label={label}>
        {text}
      </meter>
      <div className="gauge__track" aria-hidden="true">
        <div className={percent >= 100 ? 'gauge__fill gauge__fill--full' : 'gauge__fill'} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
