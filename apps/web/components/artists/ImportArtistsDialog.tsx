'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { importArtists, type ImportReport } from '../../lib/crm.ts';
import { describeError } from '../../lib/errors.ts';
import { plural } from '../../lib/i18n.ts';
import { Dialog } from '../Dialog.tsx';
import { Alert, FieldError, SubmitButton } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

const MAX_BYTES = 5 * 1024 * 1024;

export function ImportArtistsDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: (count: number) => void }) {
  const { m } = useI18n();
  return (
    <Dialog open={open} onClose={onClose} title={m.artists.importTitle} description={m.artists.importIntro} wide>
      <ImportForm onImported={onImported} />
    </Dialog>
  );
}

function ImportForm({ onImported }: { onImported: (count: number) => void }) {
  const { m, locale } = useI18n();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (report) reportRef.current?.focus();
  }, [report]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setBanner(null);
    setReport(null);
    if (!file) {
      setFileError(m.artists.importNoFile);
      inputRef.current?.focus();
      return;
    }
    if (file.size > MAX_BYTES) {
      setFileError(m.artists.importTooLarge);
      inputRef.current?.focus();
      return;
    }
    setFileError(null);
    setPending(true);
    try {
      const text = await file.text();
      if (!text.trim()) {
        setFileError(m.artists.importEmpty);
        inputRef.current?.focus();
        return;
      }
      const result = await importArtists(text);
      setReport(result);
      onImported(result.imported);
    } catch (error) {
      setBanner(describeError(error, m));
    } finally {
      setPending(false);
    }
  }

  const errorId = fileError ? `${id}-error` : undefined;
  return (
    <div className="section">
      {banner ? (
        <Alert tone="error" title={m.artists.importFailed}>
          {banner}
        </Alert>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <div className={fileError ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor={`${id}-file`}>
            {m.artists.importFile}
          </label>
          <p className="field__hint" id={`${id}-hint`}>
            {m.artists.importFileHint}
          </p>
          <input
            ref={inputRef}
            id={`${id}-file`}
            name="file"
            type="file"
            accept=".csv,text/csv"
            className="field__input"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={[`${id}-hint`, errorId].filter(Boolean).join(' ')}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setFileError(null);
              setReport(null);
            }}
          />
          {fileError ? <FieldError id={errorId}>{fileError}</FieldError> : null}
        </div>
        <SubmitButton pending={pending} label={m.artists.importSubmit} pendingLabel={m.artists.importSubmitting} />
      </form>
      {report ? (
        <div ref={reportRef} tabIndex={-1} className="section import-report" aria-labelledby={`${id}-report`}>
          <h3 id={`${id}-report`} className="section-title">
            {m.artists.importReport}
          </h3>
          <Alert tone={report.errors.length === 0 ? 'success' : report.imported > 0 ? 'warning' : 'error'}>
            <p>{plural(locale, m.artists.importKept, report.imported)}</p>
            {report.errors.length > 0 ? <p>{plural(locale, m.artists.importRejected, report.errors.length)}</p> : null}
          </Alert>
          {report.errors.length > 0 ? (
            <div className="table-scroll import-report__errors" role="region" aria-label={m.artists.importErrorsCaption} tabIndex={0}>
              <table className="table">
                <caption className="visually-hidden">{m.artists.importErrorsCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {m.artists.importLine}
                    </th>
                    <th scope="col">{m.artists.importReason}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.map((row, index) => (
                    <tr key={`${row.line}-${index}`}>
                      <th scope="row" className="num">
                        {row.line}
                      </th>
                      <td lang="en">{row.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
