'use client';

import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import { useRef, useState, type FormEvent } from 'react';
import { createArtist, type Artist } from '../../lib/crm.ts';
import { splitErrors } from '../../lib/errors.ts';
import { useFocusFirstError } from '../../lib/use-focus-error.ts';
import { checkEmail, compact } from '../../lib/validation.ts';
import { parseGenres } from '../artist/profile-form.ts';
import type { TeamMember } from '../crm/useTeamMembers.ts';
import { Dialog } from '../Dialog.tsx';
import { Alert, SelectField, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

type Field = 'stageName' | 'genres' | 'city' | 'email' | 'phone' | 'stage' | 'assigneeId';
const FIELDS: readonly Field[] = ['stageName', 'genres', 'city', 'email', 'phone', 'stage', 'assigneeId'];

export function CreateArtistDialog({
  open,
  onClose,
  onCreated,
  team,
  teamFailed = false,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (artist: Artist) => void;
  team: TeamMember[];
  /** The team list could not be loaded: the picker offers the signed-in person only. */
  teamFailed?: boolean;
}) {
  const { m } = useI18n();
  return (
    <Dialog open={open} onClose={onClose} title={m.artists.createTitle} description={m.artists.createIntro}>
      <CreateArtistForm onCreated={onCreated} team={team} teamFailed={teamFailed} />
    </Dialog>
  );
}

function CreateArtistForm({ onCreated, team, teamFailed }: { onCreated: (artist: Artist) => void; team: TeamMember[]; teamFailed: boolean }) {
  const { m } = useI18n();
  const [stageName, setStageName] = useState('');
  const [genres, setGenres] = useState('');
  const [city, setCity] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [stage, setStage] = useState<PipelineStage>('prospect');
  const [assigneeId, setAssigneeId] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fieldRefs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);
  useFocusFirstError(attempt, FIELDS, errors, fieldRefs, bannerRef);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = compact<Field>({
      stageName: stageName.trim() ? undefined : m.validation.stageNameRequired,
      email: email.trim() ? checkEmail(email, m) : undefined,
    });
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const artist = await createArtist({
        stageName: stageName.trim(),
        genres: parseGenres(genres),
        city: city.trim() || null,
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        stage,
        ...(assigneeId ? { assigneeId } : {}),
      });
      onCreated(artist);
    } catch (error) {
      const split = splitErrors(error, FIELDS, m);
      setErrors(split.fieldErrors);
      setBanner(split.banner);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  }

  const ref = (field: Field) => (el: HTMLInputElement | null) => {
    fieldRefs.current[field] = el;
  };

  return (
    <>
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <TextField
          name="stageName"
          label={m.artist.fields.stageName}
          value={stageName}
          onChange={setStageName}
          required
          autoComplete="off"
          error={errors.stageName}
          inputRef={ref('stageName')}
        />
        <TextField
          name="genres"
          label={m.artist.fields.genres}
          hint={m.artist.fields.genresHint}
          value={genres}
          onChange={setGenres}
          autoComplete="off"
          error={errors.genres}
          inputRef={ref('genres')}
        />
        <TextField name="city" label={m.artist.fields.city} value={city} onChange={setCity} autoComplete="off" error={errors.city} inputRef={ref('city')} />
        <TextField
          name="email"
          type="email"
          label={m.artist.fields.emailOptional}
          value={email}
          onChange={setEmail}
          autoComplete="off"
          spellCheck={false}
          error={errors.email}
          inputRef={ref('email')}
        />
        <TextField
          name="phone"
          type="tel"
          label={m.artist.fields.phoneOptional}
          value={phone}
          onChange={setPhone}
          autoComplete="off"
          error={errors.phone}
          inputRef={ref('phone')}
        />
        <SelectField
          name="stage"
          label={m.artists.entryStage}
          value={stage}
          onChange={(value) => setStage(value as PipelineStage)}
          options={PIPELINE_STAGES.map((s) => ({ value: s, label: m.crm.stages[s] }))}
          error={errors.stage}
        />
        <SelectField
          name="assigneeId"
          label={m.artist.fields.assignee}
          value={assigneeId}
          onChange={setAssigneeId}
          options={[{ value: '', label: m.artist.fields.noAssignee }, ...team.map((t) => ({ value: t.id, label: t.name }))]}
          hint={teamFailed ? m.artists.filters.teamError : undefined}
          error={errors.assigneeId}
        />
        <SubmitButton pending={pending} label={m.artists.createSubmit} pendingLabel={m.artists.createSubmitting} />
      </form>
    </>
  );
}
