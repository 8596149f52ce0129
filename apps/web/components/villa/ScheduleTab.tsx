'use client';

import { ApiError } from '@mona/sdk';
import { SLOT_KINDS, type SlotKind } from '@mona/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors.ts';
import { format, type Messages } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import {
  addDays,
  createSlot,
  deleteSlot,
  describeVillaConflict,
  formatDay,
  getSchedule,
  listParticipants,
  updateSlot,
  zonedTime,
  zonedToIso,
  type VillaSchedule,
  type VillaSlot,
} from '../../lib/villas.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { useTeamMembers } from '../crm/useTeamMembers.ts';
import { Alert, CheckboxGroup, FormBanner, SelectField, SubmitButton, TextAreaField, TextField, type RadioOption } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { VillaTabProps } from './tabs.tsx';

/** Who can be put in a slot, with their names: the villa's accepted artists and the active team. */
interface People {
  artists: readonly RadioOption<string>[];
  team: readonly RadioOption<string>[];
  loading: boolean;
  /** A name for an id, also for someone no longer listed (a withdrawn artist). */
  nameOf: (by: 'artist' | 'staff', id: string) => string;
}

/** The reason of a refused slot: the overlap named in the reader's language (people by name, not by id). */
function describeSlotConflict(error: unknown, m: Messages, timeZone: string, people: People): string | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const s = m.spark.schedule;
  const clash = (error.details as { clash?: { title: string; by: string; who: string; startsAt: string; endsAt: string } } | undefined)?.clash;
  if (clash) {
    const who =
      clash.by === 'room'
        ? format(s.overlapRoom, { room: clash.who })
        : clash.by === 'artist'
          ? format(s.overlapArtist, { name: people.nameOf('artist', clash.who) })
          : format(s.overlapStaff, { name: people.nameOf('staff', clash.who) });
    return format(s.overlap, { who, title: clash.title, start: zonedTime(clash.startsAt, timeZone), end: zonedTime(clash.endsAt, timeZone) });
  }
  return describeVillaConflict(error, m, 'villa');
}

type Editing = { mode: 'create'; day: number } | { mode: 'edit'; slot: VillaSlot };

/** The eight days J-1…J7 with their slots, each kind with its colour, pattern letter and name. */
export function ScheduleTab({ villa }: VillaTabProps) {
  const { m, locale } = useI18n();
  const s = m.spark.schedule;
  const schedule = useAsync((signal) => getSchedule(villa.id, signal), [villa.id]);
  const participants = useAsync((signal) => listParticipants(villa.id, signal), [villa.id, villa.participantsCount]);
  const team = useTeamMembers();
  const people = useMemo<People>(() => {
    const artists = (participants.data?.items ?? []).map((p) => ({ value: p.artistId, label: p.stageName }));
    const staff = team.members.map((t) => ({ value: t.id, label: t.name }));
    const names = { artist: new Map(artists.map((o) => [o.value, o.label])), staff: new Map(staff.map((o) => [o.value, o.label])) };
    return {
      artists,
      team: staff,
      loading: participants.loading || team.loading,
      nameOf: (by, id) => names[by].get(id) ?? format(s.unknownPerson, { id: id.slice(0, 8) }),
    };
  }, [participants.data, participants.loading, team.members, team.loading, s.unknownPerson]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  if (schedule.error && !schedule.data) return <LoadError title={s.loadError} error={schedule.error} onRetry={schedule.reload} retrying={schedule.loading} />;
  if (!schedule.data) return <Loading message={s.loading} />;
  const data = schedule.data;

  async function remove(slot: VillaSlot) {
    if (!window.confirm(format(s.confirmRemove, { title: slot.title }))) return;
    setNotice(null);
    setProblem(null);
    try {
      await deleteSlot(villa.id, slot.id);
      setNotice(format(s.removed, { title: slot.title }));
      schedule.reload();
    } catch (error) {
      setProblem(describeSlotConflict(error, m, data.timeZone, people) ?? describeError(error, m));
    }
  }

  return (
    <section className="section" aria-labelledby="schedule-title">
      <div className="section-header">
        <h2 id="schedule-title" className="section-title">
          {s.title}
        </h2>
        <button type="button" className="button button--primary" onClick={() => setEditing({ mode: 'create', day: 1 })}>
          {s.addSlot}
        </button>
      </div>
      <p className="muted">{format(s.intro, { zone: data.timeZone })}</p>
      <ul className="slot-legend" aria-label={s.legend}>
        {SLOT_KINDS.map((kind) => (
          <li key={kind}>
            <span className={`slot-kind slot-kind--${kind}`} aria-hidden="true">
              {s.kinds[kind].slice(0, 1)}
            </span>
            {s.kinds[kind]}
          </li>
        ))}
      </ul>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {participants.error || team.failed ? (
        <LoadError
          title={s.peopleLoadError}
          error={participants.error}
          onRetry={() => {
            if (participants.error) participants.reload();
            if (team.failed) team.retry();
          }}
          retrying={people.loading}
        />
      ) : null}
      <ol className="timeline">
        {data.days.map((day) => (
          <li key={day.day} className="timeline__day">
            <div className="section-header">
              <h3 className="section-title">{format(s.dayTitle, { label: day.label, date: formatDay(day.date, locale) })}</h3>
              <button
                type="button"
                className="button button--quiet button--small"
                aria-label={format(s.addSlotOn, { label: day.label })}
                onClick={() => setEditing({ mode: 'create', day: day.day })}
              >
                {s.addSlot}
              </button>
            </div>
            {day.slots.length === 0 ? (
              <p className="muted">{s.emptyDay}</p>
            ) : (
              <ul className="timeline__slots">
                {day.slots.map((slot) => (
                  <li key={slot.id} className={`slot slot--${slot.kind}`} data-slot={slot.title}>
                    <span className={`slot-kind slot-kind--${slot.kind}`} aria-hidden="true">
                      {s.kinds[slot.kind].slice(0, 1)}
                    </span>
                    <div className="slot__body">
                      <p className="slot__title">
                        <strong>{slot.title}</strong> · {s.kinds[slot.kind]}
                      </p>
                      <p className="meta-line">
                        {format(s.time, { start: zonedTime(slot.startsAt, data.timeZone), end: zonedTime(slot.endsAt, data.timeZone) })}
                        {slot.room ? ` · ${format(s.room, { room: slot.room })}` : ''}
                        {slot.streamId ? ` · ${s.streamed}` : ''}
                      </p>
                      {slot.artistIds.length > 0 ? (
                        <p className="meta-line">{format(s.artistsLine, { names: slot.artistIds.map((id) => people.nameOf('artist', id)).join(', ') })}</p>
                      ) : null}
                      {slot.staffIds.length > 0 ? (
                        <p className="meta-line">{format(s.teamLine, { names: slot.staffIds.map((id) => people.nameOf('staff', id)).join(', ') })}</p>
                      ) : null}
                    </div>
                    <div className="inline-actions">
                      <button
                        type="button"
                        className="button button--quiet button--small"
                        aria-label={format(s.editFor, { title: slot.title })}
                        onClick={() => setEditing({ mode: 'edit', slot })}
                      >
                        {s.edit}
                      </button>
                      <button
                        type="button"
                        className="button button--quiet button--small"
                        aria-label={format(s.removeFor, { title: slot.title })}
                        onClick={() => void remove(slot)}
                      >
                        {s.remove}
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.mode === 'edit' ? format(s.editTitle, { title: editing.slot.title }) : s.createTitle}
      >
        {editing ? (
          <SlotForm
            villaId={villa.id}
            schedule={data}
            people={people}
            editing={editing}
            onSaved={(slot) => {
              setEditing(null);
              setProblem(null);
              setNotice(format(s.saved, { title: slot.title }));
              schedule.reload();
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

type Field = 'title' | 'kind' | 'startsAt' | 'endsAt' | 'room' | 'artistIds' | 'staffIds' | 'notes';
const FIELDS: readonly Field[] = ['title', 'kind', 'startsAt', 'endsAt', 'room', 'artistIds', 'staffIds', 'notes'];

/** The options, plus anyone chosen who is not listed any more (so saving does not drop them silently). */
function withChosen(options: readonly RadioOption<string>[], chosen: readonly string[], nameOf: (id: string) => string): RadioOption<string>[] {
  return [...options, ...chosen.filter((id) => !options.some((o) => o.value === id)).map((id) => ({ value: id, label: nameOf(id) }))];
}

function SlotForm({
  villaId,
  schedule,
  people,
  editing,
  onSaved,
}: {
  villaId: string;
  schedule: VillaSchedule;
  people: People;
  editing: Editing;
  onSaved: (slot: VillaSlot) => void;
}) {
  const { m } = useI18n();
  const s = m.spark.schedule;
  const zone = schedule.timeZone;
  const slot = editing.mode === 'edit' ? editing.slot : null;
  const [title, setTitle] = useState(slot?.title ?? '');
  const [kind, setKind] = useState<SlotKind>(slot?.kind ?? 'session');
  const [day, setDay] = useState(String(slot?.day ?? (editing.mode === 'create' ? editing.day : 1)));
  const [start, setStart] = useState(slot ? zonedTime(slot.startsAt, zone) : '10:00');
  const [end, setEnd] = useState(slot ? zonedTime(slot.endsAt, zone) : '12:00');
  const [room, setRoom] = useState(slot?.room ?? '');
  const [notes, setNotes] = useState(slot?.notes ?? '');
  const [artistIds, setArtistIds] = useState<string[]>(slot?.artistIds ?? []);
  const [staffIds, setStaffIds] = useState<string[]>(slot?.staffIds ?? []);
  const artistOptions = withChosen(people.artists, slot?.artistIds ?? [], (id) => people.nameOf('artist', id));
  const teamOptions = withChosen(people.team, slot?.staffIds ?? [], (id) => people.nameOf('staff', id));
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!title.trim()) found.title = s.titleRequired;
    if (!/^\d{2}:\d{2}$/.test(start)) found.startsAt = s.timeRequired;
    if (!/^\d{2}:\d{2}$/.test(end)) found.endsAt = s.timeRequired;
    await form.submit(
      found,
      async () => {
        const date = schedule.days.find((d) => d.day === Number(day))?.date ?? schedule.days[0]!.date;
        const startsAt = zonedToIso(date, start, zone);
        const endsAt = zonedToIso(end <= start ? addDays(date, 1) : date, end, zone);
        const body = { title: title.trim(), kind, startsAt, endsAt, room: room.trim(), notes: notes.trim(), artistIds, staffIds };
        onSaved(slot ? await updateSlot(villaId, slot.id, body) : await createSlot(villaId, body));
      },
      { conflict: (error) => describeSlotConflict(error, m, zone, people) },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <TextField name="title" label={s.fields.title} value={title} onChange={setTitle} error={errors.title} required inputRef={form.field('title')} />
      <SelectField
        name="kind"
        label={s.fields.kind}
        value={kind}
        onChange={(v) => setKind(v as SlotKind)}
        options={SLOT_KINDS.map((k) => ({ value: k, label: s.kinds[k] }))}
        error={errors.kind}
        selectRef={form.field('kind')}
      />
      <SelectField
        name="day"
        label={s.fields.day}
        value={day}
        onChange={setDay}
        options={schedule.days.map((d) => ({ value: String(d.day), label: d.label }))}
      />
      <div className="form-grid">
        <TextField
          name="start"
          type="text"
          inputMode="numeric"
          label={s.fields.start}
          hint="HH:MM"
          value={start}
          onChange={setStart}
          error={errors.startsAt}
          required
          inputRef={form.field('startsAt')}
        />
        <TextField
          name="end"
          type="text"
          inputMode="numeric"
          label={s.fields.end}
          hint={s.fields.endHint}
          value={end}
          onChange={setEnd}
          error={errors.endsAt}
          required
          inputRef={form.field('endsAt')}
        />
      </div>
      <TextField name="room" label={s.fields.room} value={room} onChange={setRoom} error={errors.room} inputRef={form.field('room')} />
      <CheckboxGroup
        name="artistIds"
        legend={s.fields.artists}
        hint={artistOptions.length > 0 ? s.fields.artistsHint : people.loading ? s.peopleLoading : s.fields.noArtists}
        options={artistOptions}
        values={artistIds}
        onChange={setArtistIds}
        error={errors.artistIds}
        className="people-choices"
        firstInputRef={form.field('artistIds')}
      />
      <CheckboxGroup
        name="staffIds"
        legend={s.fields.team}
        hint={teamOptions.length > 0 ? s.fields.teamHint : s.peopleLoading}
        options={teamOptions}
        values={staffIds}
        onChange={setStaffIds}
        error={errors.staffIds}
        className="people-choices"
        firstInputRef={form.field('staffIds')}
      />
      <TextAreaField name="notes" label={s.fields.notes} value={notes} onChange={setNotes} error={errors.notes} rows={2} textareaRef={form.field('notes')} />
      <SubmitButton pending={pending} label={s.save} pendingLabel={s.saving} />
    </form>
  );
}
