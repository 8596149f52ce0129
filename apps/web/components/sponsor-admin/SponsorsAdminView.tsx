'use client';

import { useState } from 'react';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { listSponsors, type Sponsor } from '../../lib/villas.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { SponsorForm } from './SponsorForm.tsx';

/** /sponsors: the team's sponsor companies, a new sponsor (with a login for its contact) and edits. */
export function SponsorsAdminView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <TeamSponsors />
    </RequireRole>
  );
}

type Editing = { sponsor: Sponsor | null };

const byCompany = (a: Sponsor, b: Sponsor) => a.companyName.localeCompare(b.companyName) || a.id.localeCompare(b.id);

function TeamSponsors() {
  const { m, locale } = useI18n();
  const a = m.spark.sponsorAdmin;
  const list = useAsync((signal) => listSponsors(signal), []);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const newButton = (
    <button
      type="button"
      className="button button--primary"
      onClick={() => {
        setNotice(null);
        setEditing({ sponsor: null });
      }}
    >
      {a.newSponsor}
    </button>
  );

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{a.title}</h1>
          <p className="lead">{a.intro}</p>
        </div>
        <div className="page-header__actions">{newButton}</div>
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <section className="card section" aria-labelledby="sponsors-list-title">
        <h2 id="sponsors-list-title" className="section-title">
          {a.listTitle}
          {list.data ? <span className="section-title__count"> · {plural(locale, a.count, list.data.length)}</span> : null}
        </h2>
        {list.error ? <LoadError title={a.loadError} error={list.error} onRetry={list.reload} retrying={list.loading} /> : null}
        {list.loading && !list.data ? <Loading message={a.loading} /> : null}
        {list.data && list.data.length === 0 ? (
          <EmptyState title={a.empty} actions={newButton}>
            <p>{a.emptyBody}</p>
          </EmptyState>
        ) : null}
        {list.data && list.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="sponsors-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{a.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{a.columns.company}</th>
                  <th scope="col">{a.columns.sector}</th>
                  <th scope="col">{a.columns.contact}</th>
                  <th scope="col">{a.columns.account}</th>
                  <th scope="col">{a.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((sponsor) => (
                  <tr key={sponsor.id} data-sponsor={sponsor.companyName}>
                    <th scope="row">
                      {sponsor.website ? (
                        <a href={sponsor.website} rel="noopener noreferrer" target="_blank">
                          {sponsor.companyName}
                        </a>
                      ) : (
                        sponsor.companyName
                      )}
                    </th>
                    <td>{sponsor.sector}</td>
                    <td className="break">{[sponsor.contactName, sponsor.contactEmail].filter(Boolean).join(' · ') || a.noContact}</td>
                    <td>{sponsor.userId ? a.hasAccount : a.noAccount}</td>
                    <td>
                      <button
                        type="button"
                        className="button button--quiet button--small"
                        aria-label={format(a.editFor, { company: sponsor.companyName })}
                        onClick={() => {
                          setNotice(null);
                          setEditing({ sponsor });
                        }}
                      >
                        {a.edit}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.sponsor ? format(a.editTitle, { company: editing.sponsor.companyName }) : a.createTitle}
      >
        {editing ? (
          <SponsorForm
            sponsor={editing.sponsor}
            onSaved={(saved, message) => {
              setNotice(message);
              list.setData((items) => (items ? [...items.filter((x) => x.id !== saved.id), saved].sort(byCompany) : [saved]));
            }}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Dialog>
    </div>
  );
}
