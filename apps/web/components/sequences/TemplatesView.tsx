'use client';

import { ApiError } from '@mona/sdk';
import { CHANNELS, type Channel } from '@mona/shared';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { splitErrors } from '../../lib/errors.ts';
import { format, type Messages } from '../../lib/i18n.ts';
import { isMissing } from '../../lib/notifications.ts';
import { createTemplate, getTemplate, listTemplates, updateTemplate, type Template, type TemplateContents } from '../../lib/sequences.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm, type ErrorSplitter } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { ChannelLabel } from '../notifications/shared.tsx';
import { TemplatePreview } from './TemplatePreview.tsx';

type Language = 'fr' | 'en';
const LANGUAGES: readonly Language[] = ['fr', 'en'];

/** /sequences/templates: the message templates, by channel; a new template. */
export function TemplatesView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <TemplateList />
    </RequireRole>
  );
}

function TemplateList() {
  const { m } = useI18n();
  const t = m.notifications.templates;
  const router = useRouter();
  const [channel, setChannel] = useState<Channel | ''>('');
  const [creating, setCreating] = useState(false);
  const templates = useAsync((signal) => listTemplates(channel, signal), [channel]);

  return (
    <div className="page">
      <nav aria-label={m.notifications.nav.sequences}>
        <Link href="/sequences">{t.back}</Link>
      </nav>
      <div className="page-header">
        <div>
          <h1 className="page-title">{t.title}</h1>
          <p className="lead">{t.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            {t.newTemplate}
          </button>
        </div>
      </div>
      <section className="card section" aria-labelledby="templates-list-title">
        <div className="section-header">
          <h2 id="templates-list-title" className="section-title">
            {t.title}
          </h2>
          <SelectField
            name="channel"
            label={t.channel}
            value={channel}
            onChange={(v) => setChannel(v as Channel | '')}
            options={[{ value: '', label: m.notifications.common.allChannels }, ...CHANNELS.map((c) => ({ value: c, label: m.notifications.channels[c] }))]}
          />
        </div>
        {templates.error ? <LoadError title={t.loadError} error={templates.error} onRetry={templates.reload} retrying={templates.loading} /> : null}
        {templates.loading && !templates.data ? <Loading message={t.loading} /> : null}
        {templates.data && templates.data.length === 0 ? <EmptyState title={t.empty} /> : null}
        {templates.data && templates.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="templates-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{t.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.columns.name}</th>
                  <th scope="col">{t.columns.code}</th>
                  <th scope="col">{t.columns.channel}</th>
                  <th scope="col">{t.columns.kind}</th>
                  <th scope="col">{t.columns.usedBy}</th>
                </tr>
              </thead>
              <tbody>
                {templates.data.map((template) => (
                  <tr key={template.id} data-template-code={template.code}>
                    <th scope="row">
                      <Link href={`/sequences/templates/${template.id}`}>{template.name}</Link>
                    </th>
                    <td>
                      <code>{template.code}</code>
                    </td>
                    <td>
                      <ChannelLabel channel={template.channel} />
                    </td>
                    <td>{m.notifications.kinds[template.kind]}</td>
                    <td>
                      {template.usedBy.length === 0 ? (
                        <span className="muted">{t.unused}</span>
                      ) : (
                        template.usedBy.map((sequence, i) => (
                          <span key={sequence.id}>
                            {i > 0 ? ', ' : ''}
                            <Link href={`/sequences/${sequence.id}`}>{sequence.name}</Link>
                          </span>
                        ))
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <Dialog open={creating} onClose={() => setCreating(false)} title={t.newTemplate} wide>
        <CreateTemplateForm
          onCreated={(id) => {
            setCreating(false);
            router.push(`/sequences/templates/${id}`);
          }}
        />
      </Dialog>
    </div>
  );
}

type ContentField = 'fr.subject' | 'fr.body' | 'en.subject' | 'en.body';
const CONTENT_FIELDS: readonly ContentField[] = ['fr.subject', 'fr.body', 'en.subject', 'en.body'];

/** The API's reasons in the reader's language: contents.fr.body → fr.body, a taken code next to the code. */
function templateSplitter<F extends string>(m: Messages): ErrorSplitter<F> {
  const t = m.notifications.templates;
  return (error, fields) => {
    if (!(error instanceof ApiError)) return splitErrors(error, fields, m);
    const extended = [...fields, ...CONTENT_FIELDS.map((f) => `contents.${f}`)] as F[];
    const split = splitErrors(error, extended, m);
    const out: Partial<Record<F, string>> = {};
    for (const [field, message] of Object.entries(split.fieldErrors) as [string, string][]) {
      const target = field.replace(/^contents\./, '') as F;
      if (field === 'code' && error.status === 409) out[target] = t.codeTaken;
      else if (field === 'code') out[target] = t.codeInvalid;
      else if (field.endsWith('.body')) out[target] = t.bodyRequired;
      else if (field === 'name') out[target] = t.nameRequired;
      else out[target] = message;
    }
    return { fieldErrors: out, banner: split.banner };
  };
}

type CreateField = 'code' | 'channel' | 'kind' | 'name' | ContentField;
const CREATE_FIELDS: readonly CreateField[] = ['code', 'channel', 'kind', 'name', ...CONTENT_FIELDS];
const EMPTY_CONTENTS: TemplateContents = { fr: { subject: '', body: '' }, en: { subject: '', body: '' } };

function contentErrors(contents: TemplateContents, m: Messages): Partial<Record<ContentField, string>> {
  const found: Partial<Record<ContentField, string>> = {};
  for (const language of LANGUAGES) if (!contents[language].body.trim()) found[`${language}.body`] = m.notifications.templates.bodyRequired;
  return found;
}

function trimmed(contents: TemplateContents): TemplateContents {
  return {
    fr: { subject: contents.fr.subject.trim(), body: contents.fr.body.trim() },
    en: { subject: contents.en.subject.trim(), body: contents.en.body.trim() },
  };
}

function CreateTemplateForm({ onCreated }: { onCreated: (id: string) => void }) {
  const { m } = useI18n();
  const t = m.notifications.templates;
  const [code, setCode] = useState('');
  const [channel, setChannel] = useState<Channel>('email');
  const [kind, setKind] = useState<'activity' | 'marketing'>('activity');
  const [name, setName] = useState('');
  const [contents, setContents] = useState<TemplateContents>(EMPTY_CONTENTS);
  const form = useForm(CREATE_FIELDS, m, templateSplitter<CreateField>(m));
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<CreateField, string>> = contentErrors(contents, m);
    if (!/^[a-z0-9][a-z0-9._-]{2,119}$/.test(code.trim())) found.code = t.codeInvalid;
    if (!name.trim()) found.name = t.nameRequired;
    await form.submit(found, async () => {
      const created = await createTemplate({ code: code.trim(), channel, kind, name: name.trim(), contents: trimmed(contents) });
      onCreated(created.id);
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <TextField
        name="code"
        label={t.code}
        hint={t.codeHint}
        value={code}
        onChange={setCode}
        error={errors.code}
        required
        spellCheck={false}
        inputRef={form.field('code')}
      />
      <div className="form-grid">
        <SelectField
          name="channel"
          label={t.channel}
          value={channel}
          options={CHANNELS.map((c) => ({ value: c, label: m.notifications.channels[c] }))}
          onChange={(v) => setChannel(v as Channel)}
          error={errors.channel}
          selectRef={form.field('channel')}
        />
        <SelectField
          name="kind"
          label={t.kind}
          hint={t.kindHint}
          value={kind}
          options={(['activity', 'marketing'] as const).map((k) => ({ value: k, label: m.notifications.kinds[k] }))}
          onChange={(v) => setKind(v as 'activity' | 'marketing')}
          error={errors.kind}
          selectRef={form.field('kind')}
        />
      </div>
      <TextField name="name" label={t.name} value={name} onChange={setName} error={errors.name} required inputRef={form.field('name')} />
      <ContentFields contents={contents} onChange={setContents} errors={errors} field={(f) => form.field(f)} />
      <SubmitButton pending={pending} label={t.createSubmit} pendingLabel={t.createPending} />
    </form>
  );
}

function ContentFields({
  contents,
  onChange,
  errors,
  field,
  preview,
}: {
  contents: TemplateContents;
  onChange: (contents: TemplateContents) => void;
  errors: Partial<Record<string, string>>;
  field: (name: ContentField) => (element: HTMLElement | null) => void;
  preview?: (language: Language) => void;
}) {
  const { m } = useI18n();
  const t = m.notifications.templates;
  return (
    <div className="template-contents">
      {LANGUAGES.map((language) => {
        const languageName = t[language];
        const set = (part: 'subject' | 'body') => (value: string) => onChange({ ...contents, [language]: { ...contents[language], [part]: value } });
        return (
          <fieldset key={language} className="fieldset" lang={language}>
            <legend className="field__label">{languageName}</legend>
            <TextField
              name={`${language}-subject`}
              label={format(t.subject, { language: languageName })}
              hint={t.subjectHint}
              value={contents[language].subject}
              onChange={set('subject')}
              error={errors[`${language}.subject`]}
              inputRef={field(`${language}.subject`)}
            />
            <TextAreaField
              name={`${language}-body`}
              label={format(t.body, { language: languageName })}
              value={contents[language].body}
              onChange={set('body')}
              error={errors[`${language}.body`]}
              rows={10}
              maxLength={20_000}
              textareaRef={field(`${language}.body`)}
            />
            {preview ? (
              <button type="button" className="button button--secondary button--small" onClick={() => preview(language)}>
                {format(t.previewButton, { language: languageName })}
              </button>
            ) : null}
          </fieldset>
        );
      })}
    </div>
  );
}

/** /sequences/templates/[id]: edit a template's name and wording in both languages, with a preview of the unsaved wording. */
export function TemplateView({ id }: { id: string }) {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <TemplatePage id={id} />
    </RequireRole>
  );
}

function TemplatePage({ id }: { id: string }) {
  const { m } = useI18n();
  const t = m.notifications.templates;
  const template = useAsync((signal) => getTemplate(id, signal), [id]);

  useEffect(() => {
    if (template.data) document.title = `${template.data.name} · ${m.common.productName}`;
  }, [template.data, m]);

  const back = (
    <nav aria-label={t.title}>
      <Link href="/sequences/templates">{t.backToTemplates}</Link>
    </nav>
  );
  if (template.error && !template.data) {
    const missing = isMissing(template.error);
    return (
      <div className="page">
        {back}
        <h1 className="page-title">{missing ? t.notFoundTitle : t.title}</h1>
        {missing ? (
          <Alert tone="warning">{t.notFound}</Alert>
        ) : (
          <LoadError title={t.loadError} error={template.error} onRetry={template.reload} retrying={template.loading} />
        )}
      </div>
    );
  }
  if (!template.data) return <Loading message={t.loading} />;
  return (
    <div className="page">
      {back}
      <TemplateEditor template={template.data} onSaved={(next) => template.setData(next)} />
    </div>
  );
}

type EditField = 'name' | ContentField;
const EDIT_FIELDS: readonly EditField[] = ['name', ...CONTENT_FIELDS];

function TemplateEditor({ template, onSaved }: { template: Template; onSaved: (next: Template) => void }) {
  const { m } = useI18n();
  const t = m.notifications.templates;
  const [name, setName] = useState(template.name);
  const [contents, setContents] = useState<TemplateContents>({
    fr: template.contents.fr ?? { subject: '', body: '' },
    en: template.contents.en ?? { subject: '', body: '' },
  });
  const [preview, setPreview] = useState<{ language: Language; subject: string; body: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm(EDIT_FIELDS, m, templateSplitter<EditField>(m));
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const found: Partial<Record<EditField, string>> = contentErrors(contents, m);
    if (!name.trim()) found.name = t.nameRequired;
    await form.submit(found, async () => {
      const next = await updateTemplate(template.id, { name: name.trim(), contents: trimmed(contents) });
      onSaved(next);
      setSaved(true);
    });
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">{template.name}</h1>
          <p className="artist-summary">
            <code>{template.code}</code>
            <ChannelLabel channel={template.channel} />
            <span className="muted">{m.notifications.kinds[template.kind]}</span>
          </p>
          {template.usedBy.length > 0 ? <p className="meta-line">{format(t.usedBy, { list: template.usedBy.map((s) => s.name).join(', ') })}</p> : null}
        </div>
      </div>
      <div className="template-editor">
        <form className="form card section" noValidate onSubmit={onSubmit} aria-busy={pending}>
          <FormBanner form={form} />
          <TextField
            name="name"
            label={t.name}
            value={name}
            onChange={(v) => {
              setSaved(false);
              setName(v);
            }}
            error={errors.name}
            required
            inputRef={form.field('name')}
          />
          <ContentFields
            contents={contents}
            onChange={(next) => {
              setSaved(false);
              setContents(next);
            }}
            errors={errors}
            field={(f) => form.field(f)}
            preview={(language) => setPreview({ language, subject: contents[language].subject, body: contents[language].body })}
          />
          <div className="inline-actions">
            <SubmitButton pending={pending} label={t.save} pendingLabel={t.saving} />
          </div>
          <div role="status">{saved ? <Alert tone="success">{t.saved}</Alert> : null}</div>
        </form>
        {preview ? (
          <section className="card section template-editor__preview" aria-labelledby="template-preview-title" aria-live="polite">
            <h2 id="template-preview-title" className="section-title">
              {format(t.previewTitle, { language: t[preview.language] })}
            </h2>
            {preview.body.trim() ? (
              <TemplatePreview templateId={template.id} language={preview.language} draft={{ subject: preview.subject, body: preview.body }} />
            ) : (
              <p className="muted">{t.missing}</p>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}
