'use client';

import type { Messages } from '../../lib/i18n.ts';
import type { FormState } from '../../lib/use-form.ts';
import { checkEmail, compact } from '../../lib/validation.ts';
import { TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

/** What the team types about an artist, the same when creating one and editing their profile. */
export interface ArtistDraft {
  stageName: string;
  genres: string;
  city: string;
  email: string;
  phone: string;
}
export type ArtistDraftField = keyof ArtistDraft;

/** The stage name is required; an e-mail, when given, must look like one. */
export function checkArtistDraft(draft: ArtistDraft, m: Messages): Partial<Record<ArtistDraftField, string>> {
  return compact<ArtistDraftField>({
    stageName: draft.stageName.trim() ? undefined : m.validation.stageNameRequired,
    email: draft.email.trim() ? checkEmail(draft.email, m) : undefined,
  });
}

interface ArtistFieldsProps<F extends string> {
  draft: ArtistDraft;
  onChange: (changes: Partial<ArtistDraft>) => void;
  form: FormState<F | ArtistDraftField>;
}

/** Stage name, genres and city. */
export function ArtistNameFields<F extends string>({ draft, onChange, form }: ArtistFieldsProps<F>) {
  const { m } = useI18n();
  const { errors } = form;
  return (
    <>
      <TextField
        name="stageName"
        label={m.artist.fields.stageName}
        value={draft.stageName}
        onChange={(stageName) => onChange({ stageName })}
        required
        autoComplete="off"
        error={errors.stageName}
        inputRef={form.field('stageName')}
      />
      <TextField
        name="genres"
        label={m.artist.fields.genres}
        hint={m.artist.fields.genresHint}
        value={draft.genres}
        onChange={(genres) => onChange({ genres })}
        autoComplete="off"
        error={errors.genres}
        inputRef={form.field('genres')}
      />
      <TextField
        name="city"
        label={m.artist.fields.city}
        value={draft.city}
        onChange={(city) => onChange({ city })}
        autoComplete="off"
        error={errors.city}
        inputRef={form.field('city')}
      />
    </>
  );
}

/** E-mail and phone, both optional. */
export function ArtistContactFields<F extends string>({ draft, onChange, form }: ArtistFieldsProps<F>) {
  const { m } = useI18n();
  const { errors } = form;
  return (
    <>
      <TextField
        name="email"
        type="email"
        label={m.artist.fields.emailOptional}
        value={draft.email}
        onChange={(email) => onChange({ email })}
        autoComplete="off"
        spellCheck={false}
        error={errors.email}
        inputRef={form.field('email')}
      />
      <TextField
        name="phone"
        type="tel"
        label={m.artist.fields.phoneOptional}
        value={draft.phone}
        onChange={(phone) => onChange({ phone })}
        autoComplete="off"
        error={errors.phone}
        inputRef={form.field('phone')}
      />
    </>
  );
}
