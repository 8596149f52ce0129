'use client';

import { PLATFORMS, type Platform } from '@mona/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { updateArtist, type Artist } from '../../lib/crm.ts';
import { splitErrors } from '../../lib/errors.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useFocusFirstError } from '../../lib/use-focus-error.ts';
import { checkEmail, compact } from '../../lib/validation.ts';
import { useTeamMembers } from '../crm/useTeamMembers.ts';
import { Alert, CheckboxField, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
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
  const [stageName, setStageName] = useState(artist.stageName);
  const [genres, setGenres] = useState(artist.genres.join(', '));
  const [city, setCity] = useState(artist.city ?? '');
  const [bio, setBio] = useState(artist.bio);
  const [email, setEmail] = useState(artist.email ?? '');
  const [phone, setPhone] = useState(artist.phone ?? '');
  const [assigneeId, setAssigneeId] = useState(artist.assigneeId ?? '');
  const [links, setLinks] = useState<LinkDraft>(() => linksToDraft(artist.links));
  const [consentMarketing, setConsentMarketing] = useState(artist.consentMarketing);
  const [consentAnalytics, setConsentAnalytics] = useState(artist.consentAnalytics);
  const [nda, setNda] = useState(isoToDateInput(artist.ndaSignedAt));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fieldRefs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);
  const savedRef = useRef<HTMLDivElement>(null);
  useFocusFirstError(attempt, FIELDS, errors, fieldRefs, bannerRef);

  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = compact<Field>({
      stageName: stageName.trim() ? undefined : m.validation.stageNameRequired,
      email: email.trim() ? checkEmail(email, m) : undefined,
    });
    setErrors(found);
    setBanner(null);
    setSaved(false);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
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
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      <form className="form profile-form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <fieldset className="fieldset">
          <legend>{m.artist.profile.identity}</legend>
          <div className="form-grid">
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
            <SelectField
              name="assigneeId"
              label={m.artist.fields.assignee}
              value={assigneeId}
              onChange={setAssigneeId}
              options={assigneeOptions}
              error={errors.assigneeId}
            />
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
                  inputRef={ref(`links.${platform}.handle`)}
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
                  inputRef={ref(`links.${platform}.url`)}
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
            inputRef={ref('ndaSignedAt')}
          />
        </fieldset>

        <SubmitButton pending={pending} label={m.artist.profile.save} pendingLabel={m.artist.profile.saving} />
      </form>
    </section>
  );
}
