'use client';

import { CHANNELS, NOTIFICATION_KINDS, type Channel } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors.ts';
import { format } from '../../lib/i18n.ts';
import {
  CLOCK_TIME,
  disablePush,
  enablePush,
  getPreferences,
  pushState,
  timeZones,
  updatePreferences,
  type Preferences,
  type PushState,
} from '../../lib/notifications.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Alert, CheckboxField, FormBanner, SelectField, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { ChannelLabel } from './shared.tsx';

type EditableKind = 'activity' | 'marketing';

/** /settings/notifications: what every signed-in person receives, where and when; web push on this browser. */
export function PreferencesView() {
  const { m } = useI18n();
  const p = m.notifications.preferences;
  const preferences = useAsync((signal) => getPreferences(signal), []);
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{p.title}</h1>
          <p className="lead">{p.intro}</p>
        </div>
        <div className="page-header__actions">
          <Link href="/inbox" className="button button--quiet">
            {m.notifications.nav.inbox}
          </Link>
        </div>
      </div>
      {preferences.error && !preferences.data ? (
        <LoadError title={p.loadError} error={preferences.error} onRetry={preferences.reload} retrying={preferences.loading} />
      ) : null}
      {preferences.loading && !preferences.data ? <Loading message={p.loading} /> : null}
      {preferences.data ? <PreferencesForm initial={preferences.data} onSaved={(next) => preferences.setData(next)} /> : null}
      <PushSection />
    </div>
  );
}

type Field = 'channels' | 'marketingConsent' | 'quietHours.start' | 'quietHours.end' | 'timeZone';
const FIELDS: readonly Field[] = ['channels', 'marketingConsent', 'quietHours.start', 'quietHours.end', 'timeZone'];

type Switches = Record<Channel, Record<EditableKind, boolean>>;

function switchesOf(preferences: Preferences): Switches {
  const out = {} as Switches;
  for (const channel of CHANNELS) out[channel] = { activity: preferences.channels[channel].activity, marketing: preferences.channels[channel].marketing };
  return out;
}

function PreferencesForm({ initial, onSaved }: { initial: Preferences; onSaved: (next: Preferences) => void }) {
  const { m } = useI18n();
  const p = m.notifications.preferences;
  const id = useId();
  const [switches, setSwitches] = useState<Switches>(() => switchesOf(initial));
  const [consent, setConsent] = useState<boolean | null>(initial.marketingConsent);
  const [quiet, setQuiet] = useState(initial.quietHours !== null);
  const [start, setStart] = useState(initial.quietHours?.start ?? '22:00');
  const [end, setEnd] = useState(initial.quietHours?.end ?? '08:00');
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [saved, setSaved] = useState(false);
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;
  const zones = useMemo(() => timeZones(initial.timeZone), [initial.timeZone]);

  function toggle(channel: Channel, kind: EditableKind, value: boolean) {
    setSaved(false);
    setSwitches((current) => ({ ...current, [channel]: { ...current[channel], [kind]: value } }));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const found: Partial<Record<Field, string>> = {};
    if (quiet) {
      if (!CLOCK_TIME.test(start)) found['quietHours.start'] = p.timeInvalid;
      if (!CLOCK_TIME.test(end)) found['quietHours.end'] = p.timeInvalid;
      else if (start === end) found['quietHours.end'] = p.timeSame;
    }
    if (!zones.includes(timeZone)) found.timeZone = p.timeZoneInvalid;
    await form.submit(found, async () => {
      const next = await updatePreferences({
        channels: switches,
        quietHours: quiet ? { start, end } : null,
        timeZone,
        ...(consent !== null && consent !== initial.marketingConsent ? { marketingConsent: consent } : {}),
      });
      onSaved(next);
      setSaved(true);
    });
  }

  return (
    <form className="form section" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <section className="card section" aria-labelledby={`${id}-matrix`}>
        <h2 id={`${id}-matrix`} className="section-title">
          {p.matrixTitle}
        </h2>
        <div className="table-scroll" role="region" aria-labelledby={`${id}-matrix`} tabIndex={0}>
          <table className="table preferences-matrix">
            <caption className="visually-hidden">{p.matrixCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{p.kindColumn}</th>
                {CHANNELS.map((channel) => (
                  <th key={channel} scope="col" className="preferences-matrix__channel">
                    <ChannelLabel channel={channel} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {NOTIFICATION_KINDS.map((kind) => (
                <tr key={kind}>
                  <th scope="row">
                    <span className="preferences-matrix__kind">{m.notifications.kinds[kind]}</span>
                    <span className="field__hint" id={`${id}-${kind}-hint`}>
                      {kind === 'transactional' ? p.transactionalNote : m.notifications.kindHints[kind]}
                      {kind === 'marketing' && consent !== null ? ` ${p.marketingNote}` : ''}
                    </span>
                  </th>
                  {CHANNELS.map((channel) => {
                    const label = format(p.switchLabel, { kind: m.notifications.kinds[kind], channel: m.notifications.channels[channel] });
                    return (
                      <td key={channel} className="preferences-matrix__cell">
                        {kind === 'transactional' ? (
                          <input type="checkbox" checked disabled aria-label={label} aria-describedby={`${id}-${kind}-hint`} />
                        ) : (
                          <input
                            type="checkbox"
                            name={`${channel}.${kind}`}
                            checked={switches[channel][kind]}
                            aria-label={label}
                            aria-describedby={`${id}-${kind}-hint`}
                            ref={kind === 'activity' && channel === 'email' ? form.field('channels') : undefined}
                            onChange={(event) => toggle(channel, kind, event.target.checked)}
                          />
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {errors.channels ? <Alert tone="error">{errors.channels}</Alert> : null}
      </section>

      {consent !== null ? (
        <section className="card section" aria-labelledby={`${id}-consent`}>
          <h2 id={`${id}-consent`} className="section-title">
            {p.consentTitle}
          </h2>
          <CheckboxField
            name="marketingConsent"
            label={p.consent}
            hint={p.consentHint}
            checked={consent}
            onChange={(value) => {
              setSaved(false);
              setConsent(value);
            }}
            error={errors.marketingConsent}
            inputRef={form.field('marketingConsent')}
          />
        </section>
      ) : null}

      <section className="card section" aria-labelledby={`${id}-quiet`}>
        <h2 id={`${id}-quiet`} className="section-title">
          {p.quietTitle}
        </h2>
        <CheckboxField
          name="quiet"
          label={p.quietEnabled}
          hint={p.quietHint}
          checked={quiet}
          onChange={(value) => {
            setSaved(false);
            setQuiet(value);
          }}
        />
        <div className="form-grid">
          <TextField
            name="quietStart"
            type="text"
            inputMode="numeric"
            label={p.quietStart}
            hint="HH:MM"
            value={start}
            onChange={(value) => {
              setSaved(false);
              setStart(value.trim());
            }}
            disabled={!quiet}
            error={errors['quietHours.start']}
            inputRef={form.field('quietHours.start')}
          />
          <TextField
            name="quietEnd"
            type="text"
            inputMode="numeric"
            label={p.quietEnd}
            hint="HH:MM"
            value={end}
            onChange={(value) => {
              setSaved(false);
              setEnd(value.trim());
            }}
            disabled={!quiet}
            error={errors['quietHours.end']}
            inputRef={form.field('quietHours.end')}
          />
        </div>
        <SelectField
          name="timeZone"
          label={p.timeZone}
          hint={p.timeZoneHint}
          value={timeZone}
          options={zones.map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') }))}
          onChange={(value) => {
            setSaved(false);
            setTimeZone(value);
          }}
          error={errors.timeZone}
          selectRef={form.field('timeZone')}
        />
      </section>

      <div className="inline-actions">
        <SubmitButton pending={pending} label={p.save} pendingLabel={p.saving} />
      </div>
      <div role="status">{saved ? <Alert tone="success">{p.saved}</Alert> : null}</div>
    </form>
  );
}

function PushSection() {
  const { m } = useI18n();
  const t = m.notifications.preferences.push;
  const id = useId();
  const [state, setState] = useState<PushState | null>(null);
  const [working, setWorking] = useState<'enable' | 'disable' | null>(null);
  const [result, setResult] = useState<{ tone: 'success' | 'error' | 'warning'; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    pushState().then(
      (s) => live && setState(s),
      () => live && setState('unsupported'),
    );
    return () => {
      live = false;
    };
  }, []);

  async function run(action: 'enable' | 'disable') {
    setWorking(action);
    setResult(null);
    try {
      const next = action === 'enable' ? await enablePush() : await disablePush();
      setState(next);
      if (action === 'enable') {
        setResult(next === 'on' ? { tone: 'success', text: t.enabled } : { tone: 'warning', text: next === 'denied' ? t.denied : t.refused });
      } else {
        setResult({ tone: 'success', text: t.disabled });
      }
    } catch (error) {
      setResult({
        tone: 'error',
        text: format(t.failed, { reason: error instanceof Error && !('status' in error) ? error.message : describeError(error, m) }),
      });
      setState(await pushState().catch(() => 'unsupported' as const));
    } finally {
      setWorking(null);
    }
  }

  const stateText = state === null ? t.checking : t[state];
  return (
    <section className="card section" aria-labelledby={`${id}-push`}>
      <h2 id={`${id}-push`} className="section-title">
        {t.title}
      </h2>
      <p className="muted">{t.intro}</p>
      <p data-push-state={state ?? 'checking'}>
        <strong>{t.stateLabel}</strong> {stateText}
      </p>
      <div className="inline-actions">
        {state === 'off' ? (
          <button type="button" className="button button--primary" onClick={() => void run('enable')} disabled={working !== null}>
            {working === 'enable' ? t.enabling : t.enable}
          </button>
        ) : null}
        {state === 'on' ? (
          <button type="button" className="button button--secondary" onClick={() => void run('disable')} disabled={working !== null}>
            {working === 'disable' ? t.disabling : t.disable}
          </button>
        ) : null}
      </div>
      <div role="status">{result ? <Alert tone={result.tone}>{result.text}</Alert> : null}</div>
    </section>
  );
}
