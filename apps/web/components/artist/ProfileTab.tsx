'use client';

import { PLATFORMS, type Platform } from '@mona/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { updateArtist, type Artist } from '../../lib/crm.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useForm } from '../../lib/use-form.ts';
import { useTeamMembers } from '../crm/useTeamMembers.ts';
import { CheckboxField, FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { ArtistContactFields, ArtistNameFields, checkArtistDraft, type ArtistDraft } from './ArtistFields.tsx';
import { dateInputToIso, draftToLinks, isoToDateInput, linksToDraft, parseGenres, type LinkDraft } from './profile-form.ts';
import type { ArtistTabProps } from './tabs.tsx';

type LinkField = `links.${Platform}.handle` | `links.${Platform}.url`;
type Field = 'stageName' | 'genres' | 'city' | 'bio' | 'email' | 'phone' | 'assigneeId' | 'consentMarketing' | 'consentAnalytics' | 'ndaSignedAt' | LinkField;
const FIELDS: readonly Field[] = [
  'stageName',
  'genres',
  'city',
  'bio',
  'email',
  'phone',
  'assigneeId',
  ...PLATFORMS.flatMap((p) => [`links.${p}.handle`, `links.${p}.url`] as const),
  'consentMarketing',
  'consentAnalytics',
  'ndaSignedAt',
];

export function ProfileTab({ artist, isTeam, onArtistChange }: ArtistTabProps) {
  return isTeam ? <ProfileForm artist={artist} onSaved={onArtistChange} /> : <ProfileReadOnly artist={artist} />;
}

function ProfileReadOnly({ artist }: { artist: Artist }) {
  const { m, locale } = useI18n();
  const links = linksToDraft(artist.links);
  const none = <span className="muted">{m.artist.profile.none}</span>;
  return (
    <section className="section" aria-labelledby="profile-title">
      <h2 id="profile-title" className="section-title">
        {m.artist.tabs.profile}
      </h2>
      <dl className="details">
        <dt>{m.artist.fields.stageName}</dt>
        <dd>{artist.stageName}</dd>
        <dt>{m.artist.fields.genres}</dt>
        <dd>{artist.genres.length ? artist.genres.join(', ') : none}</dd>
        <dt>{m.artist.fields.city}</dt>
        <dd>{artist.city ?? none}</dd>
        <dt>{m.artist.fields.bio}</dt>
        <dd className="prewrap">{artist.bio || none}</dd>
        {PLATFORMS.filter((p) => links[p].handle || links[p].url).map((p) => (
          <div key={p} className="details__row">
            <dt>{m.crm.platforms[p]}</dt>
            <dd>
              {links[p].handle}
              {links[p].handle && links[p].url ? ' · ' : ''}
              {links[p].url ? (
                <a href={links[p].url} rel="noopener noreferrer" target="_blank">
                  {links[p].url}
                </a>
              ) : null}
            </dd>
          </div>
        ))}
        <dt>{m.artist.fields.consentMarketing}</dt>
        <dd>{artist.consentMarketing ? m.artist.profile.yes : m.artist.profile.no}</dd>
        <dt>{m.artist.fields.consentAnalytics}</dt>
        <dd>{artist.consentAnalytics ? m.artist.profile.yes : m.artist.profile.no}</dd>
        <dt>{m.artist.fields.ndaSignedAt}</dt>
        <dd>{artist.ndaSignedAt ? formatDate(artist.ndaSignedAt, locale) : none}</dd>
      </dl>
      <p className="meta-line">
        {m.artist.profile.updatedAt} <time dateTime={artist.updatedAt}>{formatDateTime(artist.updatedAt, locale)}</time>
      </p>
    </section>
  );
}

function ProfileForm({ artist, onSaved }: { artist: Artist; onSaved: (artist: Artist) => void }) {
  const { m, locale } = useI18n();
  const { members: team } = useTeamMembers();
  const [draft, setDraft] = useState<ArtistDraft>({
    stageName: artist.stageName,
    genres: artist.genres.join(', '),
    city: artist.city ?? '',
    email: artist.email ?? '',
    phone: artist.phone ?? '',
  });
  const [bio, setBio] = useState(artist.bio);
  const [assigneeId, setAssigneeId] = useState(artist.assigneeId ?? '');
  const [links, setLinks] = useState<LinkDraft>(() => linksToDraft(artist.links));
  const [consentMarketing, setConsentMarketing] = useState(artist.consentMarketing);
  const [consentAnalytics, setConsentAnalytics] = useState(artist.consentAnalytics);
  const [nda, setNda] = useState(isoToDateInput(artist.ndaSignedAt));
  const [saved, setSaved] = useState(false);
  const form = useForm(FIELDS, m);
  const { errors, pending } = form;
  const savedRef = useRef<HTMLDivElement>(null);
  const change = (changes: Partial<ArtistDraft>) => setDraft((current) => ({ ...current, ...changes }));

  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const { stageName, genres, city, email, phone } = draft;
    setSaved(false);
    await form.submit(checkArtistDraft(draft, m), async () => {
      const updated = await updateArtist(artist.id, {
        stageName: stageName.trim(),
        genres: parseGenres(genres),
        city: city.trim() || null,
        bio: bio.trim(),
        email: email.trim() || null,
        phone: phone.trim() || null,
        assigneeId: assigneeId || null,
        links: draftToLinks(links),
        consentMarketing,
        consentAnalytics,
        ndaSignedAt: dateInputToIso(nda),
      });
      onSaved(updated);
      setSaved(true);
    });
  }
  const assigneeKnown = !artist.assigneeId || team.some((t) => t.id === artist.assigneeId);
  const assigneeOptions = [
    { value: '', label: m.artist.fields.noAssignee },
    ...team.map((t) => ({ value: t.id, label: t.name })),
    ...(assigneeKnown ? [] : [{ value: artist.assigneeId!, label: m.artist.fields.otherAssignee }]),
  ];
  const setLink = (platform: Platform, key: 'handle' | 'url', value: string) =>
    setLinks((current) => ({ ...current, [platform]: { ...current[platform], [key]: value } }));

  return (
    <section className="section" aria-labelledby="profile-title">
      <h2 id="profile-title" className="section-title">
        {m.artist.profile.editTitle}
      </h2>
      {saved ? (
        <div ref={savedRef} tabIndex={-1} role="status" className="alert alert--success">
          <span className="alert__icon" aria-hidden="true">
            ✓
          </span>
          <div className="alert__body">{m.artist.profile.saved}</div>
        </div>
      ) : null}
      <FormBanner form={form} />
      <form className="form profile-form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <fieldset className="fieldset">
          <legend>{m.artist.profile.identity}</legend>
          <div className="form-grid">
            <ArtistNameFields draft={draft} onChange={change} form={form} />
            <SelectField
              name="assigneeId"
              label={m.artist.fields.assignee}
              value={assigneeId}
              onChange={setAssigneeId}
              options={assigneeOptions}
              error={errors.assigneeId}
            />
            <ArtistContactFields draft={draft} onChange={change} form={form} />
          </div>
          <TextAreaField name="bio" label={m.artist.fields.bio} value={bio} onChange={setBio} rows={5} maxLength={5000} error={errors.bio} />
        </fieldset>

        <fieldset className="fieldset">
          <legend>{m.artist.profile.links}</legend>
          <p className="field__hint">{m.artist.profile.linksHint}</p>
          <div className="links-grid">
            {PLATFORMS.map((platform) => (
              <fieldset key={platform} className="fieldset fieldset--inner">
                <legend>{m.crm.platforms[platform]}</legend>
                <TextField
                  name={`links.${platform}.handle`}
                  label={m.artist.fields.handle}
                  value={links[platform].handle}
                  onChange={(value) => setLink(platform, 'handle', value)}
                  autoComplete="off"
                  spellCheck={false}
                  error={errors[`links.${platform}.handle`]}
                  inputRef={form.field(`links.${platform}.handle`)}
                />
                <TextField
                  name={`links.${platform}.url`}
                  type="url"
                  label={m.artist.fields.url}
                  value={links[platform].url}
                  onChange={(value) => setLink(platform, 'url', value)}
                  autoComplete="off"
                  spellCheck={false}
                  error={errors[`links.${platform}.url`]}
                  inputRef={form.field(`links.${platform}.url`)}
                />
              </fieldset>
            ))}
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend>{m.artist.profile.consents}</legend>
          <CheckboxField
            name="consentMarketing"
            label={m.artist.fields.consentMarketing}
            checked={consentMarketing}
            onChange={setConsentMarketing}
            error={errors.consentMarketing}
          />
          <CheckboxField
            name="consentAnalytics"
            label={m.artist.fields.consentAnalytics}
            checked={consentAnalytics}
            onChange={setConsentAnalytics}
            error={errors.consentAnalytics}
          />
          {artist.consentUpdatedAt ? (
            <p className="meta-line">
              {m.artist.profile.consentUpdatedAt} <time dateTime={artist.consentUpdatedAt}>{formatDateTime(artist.consentUpdatedAt, locale)}</time>
            </p>
          ) : null}
          <TextField
            name="ndaSignedAt"
            type="date"
            label={m.artist.fields.ndaSignedAt}
            hint={m.artist.fields.ndaHint}
            value={nda}
            onChange={setNda}
            error={errors.ndaSignedAt}
            inputRef={form.field('ndaSignedAt')}
          />
        </fieldset>

        <SubmitButton pending={pending} label={m.artist.profile.save} pendingLabel={m.artist.profile.saving} />
      </form>
    </section>
  );
}
