'use client';

import { format } from '../../lib/i18n.ts';
import { previewTemplate } from '../../lib/sequences.ts';
import { useAsync } from '../../lib/use-async.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { EmailFrame } from '../notifications/shared.tsx';

type Language = 'fr' | 'en';

/**
 * A template rendered as a recipient would get it, in one language (the
 * template preview endpoint: an example artist name, the real layout of the
 * channel). `draft` previews unsaved wording.
 */
export function TemplatePreview({
  templateId,
  language,
  draft,
  artistId,
}: {
  templateId: string;
  language: Language;
  draft?: { subject: string; body: string };
  artistId?: string;
}) {
  const { m } = useI18n();
  const p = m.notifications.sequences.preview;
  const key = JSON.stringify([templateId, language, draft ?? null, artistId ?? null]);
  const preview = useAsync(
    (signal) =>
      previewTemplate(
        templateId,
        { locale: language, ...(artistId ? { artistId } : {}), ...(draft ? { subject: draft.subject, body: draft.body } : {}) },
        signal,
      ),
    [key],
  );
  const languageName = p[language];
  if (preview.error) return <LoadError title={p.loadError} error={preview.error} onRetry={preview.reload} retrying={preview.loading} />;
  if (!preview.data) return <Loading message={p.loading} />;
  const data = preview.data;
  return (
    <div className="template-preview" lang={language}>
      {data.subject ? <p className="template-preview__subject">{format(p.subjectLine, { subject: data.subject })}</p> : null}
      <p className="template-preview__label">{p.text}</p>
      <pre className="message-text">{data.text}</pre>
      {data.html ? (
        <>
          <p className="template-preview__label">{p.html}</p>
          <EmailFrame html={data.html} title={format(p.frame, { language: languageName })} />
        </>
      ) : null}
    </div>
  );
}

/** The French and English previews side by side. */
export function BilingualPreview({ templateId, artistId }: { templateId: string; artistId?: string }) {
  const { m } = useI18n();
  const p = m.notifications.sequences.preview;
  return (
    <div className="bilingual-preview">
      {(['fr', 'en'] as const).map((language) => (
        <section key={language} className="bilingual-preview__column" aria-label={p[language]}>
          <h4 className="message-content__title">{p[language]}</h4>
          <TemplatePreview templateId={templateId} language={language} {...(artistId ? { artistId } : {})} />
        </section>
      ))}
      {artistId ? null : <p className="meta-line bilingual-preview__note">{p.exampleName}</p>}
    </div>
  );
}
