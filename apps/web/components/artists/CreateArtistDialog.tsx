'use client';

import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import { useState, type FormEvent } from 'react';
import { createArtist, type Artist } from '../../lib/crm.ts';
import { useForm } from '../../lib/use-form.ts';
import { ArtistContactFields, ArtistNameFields, checkArtistDraft, type ArtistDraft } from '../artist/ArtistFields.tsx';
import { parseGenres } from '../artist/profile-form.ts';
import type { TeamMember } from '../crm/useTeamMembers.ts';
import { Dialog } from '../Dialog.tsx';
import { FormBanner, SelectField, SubmitButton } from '../Form.tsx';
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
  const [draft, setDraft] = useState<ArtistDraft>({ stageName: '', genres: '', city: '', email: '', phone: '' });
  const [stage, setStage] = useState<PipelineStage>('prospect');
  const [assigneeId, setAssigneeId] = useState('');
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;
  const change = (changes: Partial<ArtistDraft>) => setDraft((current) => ({ ...current, ...changes }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { stageName, genres, city, email, phone } = draft;
    await form.submit(checkArtistDraft(draft, m), async () => {
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
    });
  }

  return (
    <>
      <FormBanner form={form} />
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <ArtistNameFields draft={draft} onChange={change} form={form} />
        <ArtistContactFields draft={draft} onChange={change} form={form} />
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
