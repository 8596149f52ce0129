'use client';

import { useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { listContentTargets, putContentTarget, type VillaContentTarget } from '../../lib/villas.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { VillaTabProps } from './tabs.tsx';

/** Content targets vs delivered per kind, each row editable. */
export function ContentTab({ villa }: VillaTabProps) {
  const { m } = useI18n();
  const c = m.spark.content;
  const targets = useAsync((signal) => listContentTargets(villa.id, signal), [villa.id]);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="section" aria-labelledby="content-title">
      <h2 id="content-title" className="section-title">
        {c.title}
      </h2>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {targets.error ? <LoadError title={c.loadError} error={targets.error} onRetry={targets.reload} retrying={targets.loading} /> : null}
      {targets.loading && !targets.data ? <Loading message={c.loading} /> : null}
      {targets.data ? (
        <div className="table-scroll" role="region" aria-labelledby="content-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{c.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{c.columns.kind}</th>
                <th scope="col">{c.columns.target}</th>
                <th scope="col">{c.columns.delivered}</th>
                <th scope="col">{c.columns.progress}</th>
                <th scope="col">
                  <span className="visually-hidden">{c.save}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {targets.data.map((row) => (
                <ContentRow
                  key={row.kind}
                  villaId={villa.id}
                  row={row}
                  onSaved={(next) => {
                    targets.setData((list) => (list ? list.map((x) => (x.kind === next.kind ? next : x)) : list));
                    setNotice(format(c.saved, { kind: c.kinds[next.kind] }));
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ContentRow({ villaId, row, onSaved }: { villaId: string; row: VillaContentTarget; onSaved: (next: VillaContentTarget) => void }) {
  const { m } = useI18n();
  const c = m.spark.content;
  const kind = c.kinds[row.kind];
  const [target, setTarget] = useState(String(row.target));
  const [delivered, setDelivered] = useState(String(row.delivered));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formId = `content-${row.kind}`;
  const percent = row.target > 0 ? Math.round((row.delivered / row.target) * 100) : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const t = Number(target);
    const d = Number(delivered);
    if (!/^\d+$/.test(target.trim()) || !/^\d+$/.test(delivered.trim()) || t > 100_000 || d > 100_000) {
      setError(c.invalid);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      onSaved(await putContentTarget(villaId, row.kind, { target: t, delivered: d }));
    } catch (caught) {
      setError(describeError(caught, m));
    } finally {
      setSaving(false);
    }
  }

  return (
    <tr>
      <th scope="row">{kind}</th>
      <td>
        <input
          form={formId}
          className="field__input number-input"
          type="number"
          min={0}
          inputMode="numeric"
          aria-label={format(c.targetFor, { kind })}
          aria-invalid={error ? true : undefined}
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        />
      </td>
      <td>
        <input
          form={formId}
          className="field__input number-input"
          type="number"
          min={0}
          inputMode="numeric"
          aria-label={format(c.deliveredFor, { kind })}
          aria-invalid={error ? true : undefined}
          value={delivered}
          onChange={(e) => setDelivered(e.target.value)}
        />
      </td>
      <td>
        {percent === null ? '—' : `${percent} %`}
        {percent !== null && percent >= 100 ? ` · ${c.reached}` : null}
      </td>
      <td>
        <form id={formId} onSubmit={onSubmit} aria-label={kind}>
          <button type="submit" className="button button--secondary button--small" disabled={saving}>
            {saving ? c.saving : c.save}
          </button>
          {error ? (
            <p className="field__error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      </td>
    </tr>
  );
}
