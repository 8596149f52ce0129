'use client';

import { CALENDAR_KINDS, type CalendarKind } from '@mona/shared';
import { addDays } from 'date-fns';
import { useState, type FormEvent } from 'react';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { cancelEvent, createEvent, getEvent, updateEvent, type CalendarEvent } from '../../lib/work.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { Dialog } from '../Dialog.tsx';
import { CheckboxField, FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { ArtistPicker, dateInput, fromInputs, InputField, splitWorkErrors, timeInput, useTeam, type ArtistChoice } from './shared.tsx';

type Field = 'kind' | 'title' | 'startsAt' | 'endsAt' | 'allDay' | 'location' | 'ownerId' | 'artistId' | 'description';
const FIELDS: readonly Field[] = ['kind', 'title', 'startsAt', 'endsAt', 'allDay', 'location', 'ownerId', 'artistId', 'description'];

export type EventDialogState = { mode: 'create'; day: Date; artistName?: string } | { mode: 'edit'; eventId: string; artistName: string | null };

/** Create, edit or cancel a calendar event. */
export function EventDialog({
  state,
  onClose,
  onDone,
}: {
  state: EventDialogState | null;
  onClose: () => void;
  onDone: (event: CalendarEvent, action: 'created' | 'saved' | 'cancelled') => void;
}) {
  const { m } = useI18n();
  const d = m.work.calendar.dialog;
  return (
    <Dialog open={state !== null} onClose={onClose} title={state?.mode === 'edit' ? d.editTitle : d.createTitle} wide>
      {state?.mode === 'edit' ? (
        <EditLoader key={state.eventId} eventId={state.eventId} artistName={state.artistName} onCancel={onClose} onDone={onDone} />
      ) : state ? (
        <EventForm key={state.day.toISOString()} event={null} day={state.day} artistName={null} onCancel={onClose} onDone={onDone} />
      ) : null}
    </Dialog>
  );
}

function EditLoader({
  eventId,
  artistName,
  onCancel,
  onDone,
}: {
  eventId: string;
  artistName: string | null;
  onCancel: () => void;
  onDone: (event: CalendarEvent, action: 'created' | 'saved' | 'cancelled') => void;
}) {
  const { m } = useI18n();
  const loaded = useAsync((signal) => getEvent(eventId, signal), [eventId]);
  if (loaded.error) return <LoadError title={m.work.calendar.loadError} error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading message={m.work.calendar.dialog.loading} />;
  return <EventForm event={loaded.data} day={new Date(loaded.data.startsAt)} artistName={artistName} onCancel={onCancel} onDone={onDone} />;
}

function EventForm({
  event,
  day,
  artistName,
  onCancel,
  onDone,
}: {
  event: CalendarEvent | null;
  day: Date;
  artistName: string | null;
  onCancel: () => void;
  onDone: (event: CalendarEvent, action: 'created' | 'saved' | 'cancelled') => void;
}) {
  const { m } = useI18n();
  const w = m.work;
  const d = w.calendar.dialog;
  const team = useTeam();
  const start = event ? new Date(event.startsAt) : day;
  const rawEnd = event ? new Date(event.endsAt) : day;
  // All-day events end at the next midnight (exclusive): show the last day they cover.
  const end = event?.allDay && rawEnd > start ? new Date(rawEnd.getTime() - 1) : rawEnd;
  const [kind, setKind] = useState<CalendarKind>(event?.kind ?? 'meeting');
  const [title, setTitle] = useState(event?.title ?? '');
  const [allDay, setAllDay] = useState(event?.allDay ?? false);
  const [startDate, setStartDate] = useState(dateInput(start));
  const [startTime, setStartTime] = useState(event ? timeInput(start) : '10:00');
  const [endDate, setEndDate] = useState(dateInput(end));
  const [endTime, setEndTime] = useState(event ? timeInput(rawEnd) : '11:00');
  const [location, setLocation] = useState(event?.location ?? '');
  const { user } = useAuth();
  const [ownerId, setOwnerId] = useState(event ? (event.ownerId ?? '') : (user?.id ?? ''));
  const [artist, setArtist] = useState<ArtistChoice | null>(event?.artistId ? { id: event.artistId, stageName: artistName ?? event.artistId } : null);
  const [description, setDescription] = useState(event?.description ?? '');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const form = useForm(FIELDS, m, splitWorkErrors);
  const { errors, pending } = form;

  const ownerOptions = [{ value: '', label: w.common.nobody }, ...team.map((u) => ({ value: u.id, label: u.name }))];
  if (ownerId && !team.some((u) => u.id === ownerId)) ownerOptions.push({ value: ownerId, label: ownerId === user?.id ? user.name : ownerId });

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!title.trim()) found.title = w.validation.titleRequired;
    const startsAt = fromInputs(startDate, allDay ? '00:00' : startTime);
    const endDay = fromInputs(endDate || startDate, allDay ? '00:00' : endTime || startTime);
    const endsAt = allDay && endDay ? addDays(endDay, 1) : endDay;
    if (!startDate) found.startsAt = w.validation.dateRequired;
    else if (!startsAt) found.startsAt = w.validation.dateInvalid;
    if (!endsAt) found.endsAt = w.validation.dateInvalid;
    else if (startsAt && endsAt < startsAt) found.endsAt = w.validation.endBeforeStart;
    await form.submit(found, async () => {
      // A missing start or end is in `found`: the action only runs with both.
      if (!startsAt || !endsAt) return;
      const body = {
        kind,
        title: title.trim(),
        description: description.trim(),
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        allDay,
        location: location.trim(),
        artistId: artist?.id ?? null,
      };
      const withOwner = { ...body, ownerId: ownerId || null };
      if (event) onDone(await updateEvent(event.id, withOwner), 'saved');
      else onDone(await createEvent(withOwner), 'created');
    });
  }

  async function onCancelEvent() {
    if (!event || pending) return;
    if (!confirmCancel) {
      setConfirmCancel(true);
      return;
    }
    await form.submit({}, async () => {
      onDone(await cancelEvent(event.id), 'cancelled');
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <div className="form-grid">
        <SelectField
          name="kind"
          label={d.kind}
          value={kind}
          onChange={(v) => setKind(v as CalendarKind)}
          options={CALENDAR_KINDS.map((k) => ({ value: k, label: w.kinds[k] }))}
          error={errors.kind}
        />
        <TextField
          name="title"
          label={d.title}
          value={title}
          onChange={setTitle}
          required
          autoComplete="off"
          error={errors.title}
          inputRef={form.field('title')}
        />
      </div>
      <CheckboxField name="allDay" label={d.allDay} checked={allDay} onChange={setAllDay} error={errors.allDay} />
      <div className="form-grid">
        <InputField
          name="startDate"
          type="date"
          label={d.startDate}
          value={startDate}
          onChange={(v) => {
            setStartDate(v);
            if (!endDate || endDate < v) setEndDate(v);
          }}
          required
          error={errors.startsAt}
          inputRef={form.field('startsAt')}
        />
        {allDay ? null : <InputField name="startTime" type="time" label={d.startTime} value={startTime} onChange={setStartTime} />}
        <InputField name="endDate" type="date" label={d.endDate} value={endDate} onChange={setEndDate} error={errors.endsAt} inputRef={form.field('endsAt')} />
        {allDay ? null : <InputField name="endTime" type="time" label={d.endTime} value={endTime} onChange={setEndTime} />}
      </div>
      <div className="form-grid">
        <TextField name="location" label={d.location} value={location} onChange={setLocation} autoComplete="off" error={errors.location} />
        <SelectField name="ownerId" label={d.owner} value={ownerId} onChange={setOwnerId} options={ownerOptions} error={errors.ownerId} />
      </div>
      <ArtistPicker value={artist} onChange={setArtist} error={errors.artistId} />
      <TextAreaField
        name="description"
        label={d.description}
        value={description}
        onChange={setDescription}
        rows={3}
        maxLength={5000}
        error={errors.description}
      />
      <div className="inline-actions work-dialog-actions">
        <SubmitButton pending={pending} label={event ? w.common.save : w.common.create} pendingLabel={event ? w.common.saving : w.common.creating} />
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {w.common.cancel}
        </button>
        {event ? (
          <span className="work-danger-zone">
            {confirmCancel ? <span className="muted">{d.cancelHint}</span> : null}
            <button type="button" className="button button--quiet work-danger" onClick={() => void onCancelEvent()} disabled={pending}>
              {confirmCancel ? d.confirmCancel : d.cancelEvent}
            </button>
          </span>
        ) : null}
      </div>
    </form>
  );
}
