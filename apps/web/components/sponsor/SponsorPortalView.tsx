'use client';

import '../commerce/commerce.css';
import './sponsor.css';
import { DELIVERABLE_METRICS } from '@mona/shared';
import Link from 'next/link';
import { useRef, useState, type FormEvent } from 'react';
import { formatCents } from '../../lib/commerce.ts';
import { describeError, splitErrors } from '../../lib/errors.ts';
import { formatNumber } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import {
  buyPackage,
  describePurchaseRefusal,
  fetchOwnSponsor,
  formatDay,
  listMySponsorships,
  listOpenVillas,
  listPackages,
  saveOwnSponsor,
  type Sponsor,
  type SponsorPackage,
  type Villa,
} from '../../lib/sponsor.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, SelectField, SubmitButton } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { StatusPill } from '../commerce/shared.tsx';
import { CompanyFields, COMPANY_FIELDS, checkCompany, companyBody, companyValues, type CompanyField, type CompanyValues } from './CompanyFields.tsx';

/** /sponsor: the signed-in sponsor's space (company profile, packages, purchases, sponsorships). */
export function SponsorPortalView() {
  return (
    <RequireRole roles={['sponsor']}>
      <SponsorPortal />
    </RequireRole>
  );
}

function SponsorPortal() {
  const { m } = useI18n();
  const p = m.sponsor.portal;
  const sponsor = useAsync((signal) => fetchOwnSponsor(signal), []);
  const [reloadKey, setReloadKey] = useState(0);

  if (sponsor.error && sponsor.data === null && !sponsor.loading) {
    return (
      <div className="page">
        <h1 className="page-title">{p.title}</h1>
        <LoadError title={p.loadError} error={sponsor.error} onRetry={sponsor.reload} />
      </div>
    );
  }
  if (sponsor.loading && sponsor.data === null) return <Loading message={p.loading} />;
  const profile = sponsor.data;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{profile ? profile.companyName : p.title}</h1>
          <p className="lead">{p.intro}</p>
        </div>
      </div>
      {profile ? null : <Alert tone="info">{p.profileFirst}</Alert>}
      <ProfileForm profile={profile} onSaved={(next) => sponsor.setData(next)} />
      {profile ? (
        <>
          <BuySection onBought={() => setReloadKey((n) => n + 1)} />
          <SponsorshipsSection reloadKey={reloadKey} />
        </>
      ) : null}
    </div>
  );
}

function ProfileForm({ profile, onSaved }: { profile: Sponsor | null; onSaved: (next: Sponsor) => void }) {
  const { m } = useI18n();
  const p = m.sponsor.portal;
  const [values, setValues] = useState<CompanyValues>(() => companyValues(profile));
  const [errors, setErrors] = useState<Partial<Record<CompanyField, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const refs = useRef<Partial<Record<CompanyField, HTMLElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);

  function focusFirst(found: Partial<Record<CompanyField, string>>) {
    requestAnimationFrame(() => {
      const first = COMPANY_FIELDS.find((f) => found[f]);
      if (first) refs.current[first]?.focus();
      else bannerRef.current?.focus();
    });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = checkCompany(values, m);
    setErrors(found);
    setBanner(null);
    setSaved(false);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    setPending(true);
    try {
      const next = await saveOwnSponsor(companyBody(values));
      setSaved(true);
      onSaved(next);
    } catch (error) {
      const split = splitErrors(error, COMPANY_FIELDS, m);
      setErrors(split.fieldErrors);
      setBanner(split.banner);
      focusFirst(split.fieldErrors);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card section" aria-labelledby="sponsor-profile-title">
      <h2 id="sponsor-profile-title" className="section-title">
        {p.profileTitle}
      </h2>
      {saved ? <Alert tone="success">{p.profileSaved}</Alert> : null}
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
        <CompanyFields
          values={values}
          onChange={(name, v) => setValues((s) => ({ ...s, [name]: v }))}
          errors={errors}
          fieldRef={(name) => (el) => {
            refs.current[name] = el;
          }}
        />
        <SubmitButton pending={pending} label={profile ? p.saveProfile : p.createProfile} pendingLabel={m.commerce.common.saving} />
      </form>
    </section>
  );
}

function BuySection({ onBought }: { onBought: () => void }) {
  const { m, locale } = useI18n();
  const p = m.sponsor.portal;
  const packages = useAsync((signal) => listPackages(signal), []);
  const villas = useAsync((signal) => listOpenVillas(signal), []);
  const [villaId, setVillaId] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ villa?: string; package?: string }>({});
  const [confirming, setConfirming] = useState<{ villa: Villa; pkg: SponsorPackage } | null>(null);
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const villa = villas.data?.find((v) => v.id === villaId);
    const pkg = packages.data?.find((k) => k.code === code);
    setErrors({ villa: villa ? undefined : p.villaRequired, package: pkg ? undefined : p.packageRequired });
    setRefusal(null);
    setDone(null);
    if (villa && pkg) setConfirming({ villa, pkg });
  }

  async function onConfirm() {
    if (!confirming || pending) return;
    setPending(true);
    const { villa, pkg } = confirming;
    try {
      await buyPackage(villa.id, pkg.code);
      setDone(format(p.bought, { package: m.sponsor.packages[pkg.code], villa: villa.name }));
      onBought();
    } catch (error) {
      setRefusal(describePurchaseRefusal(error, m) ?? describeError(error, m));
    } finally {
      setPending(false);
      setConfirming(null);
    }
  }

  return (
    <>
      <section className="card section" aria-labelledby="sponsor-packages-title">
        <h2 id="sponsor-packages-title" className="section-title">
          {p.packagesTitle}
        </h2>
        {packages.error && !packages.data ? <LoadError title={p.packagesLoadError} error={packages.error} onRetry={packages.reload} /> : null}
        {!packages.data && !packages.error ? <Loading message={p.packagesLoading} /> : null}
        {packages.data && packages.data.length === 0 ? <EmptyState title={p.packagesEmpty} /> : null}
        {packages.data && packages.data.length > 0 ? (
          <ul className="sponsor-packages">
            {packages.data.map((pkg) => {
              const promised = DELIVERABLE_METRICS.filter((metric) => (pkg.deliverables[metric] ?? 0) > 0);
              return (
                <li key={pkg.code} className="card section">
                  <h3 className="section-title">
                    {m.sponsor.packages[pkg.code]} — {formatCents(pkg.priceCents, locale)}
                  </h3>
                  {pkg.sectorExclusive ? <p className="muted">{p.exclusive}</p> : null}
                  <p>{p.promised}</p>
                  {promised.length === 0 ? (
                    <p className="muted">{p.noDeliverable}</p>
                  ) : (
                    <ul>
                      {promised.map((metric) => (
                        <li key={metric}>
                          {m.sponsor.metrics[metric]} : {formatNumber(pkg.deliverables[metric] ?? 0, locale)}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        ) : null}
      </section>
      <section className="card section" aria-labelledby="sponsor-buy-title">
        <h2 id="sponsor-buy-title" className="section-title">
          {p.buyTitle}
        </h2>
        <p className="muted">{p.buyIntro}</p>
        {done ? <Alert tone="success">{done}</Alert> : null}
        {refusal ? (
          <Alert tone="error" title={p.refused}>
            {refusal}
          </Alert>
        ) : null}
        {villas.error && !villas.data ? <LoadError title={p.villasLoadError} error={villas.error} onRetry={villas.reload} /> : null}
        {!villas.data && !villas.error ? <Loading message={p.villasLoading} /> : null}
        {villas.data && villas.data.length === 0 ? <EmptyState title={p.villasEmpty} /> : null}
        {villas.data && villas.data.length > 0 && packages.data ? (
          <form className="form" noValidate onSubmit={onSubmit}>
            <SelectField
              name="villa"
              label={p.villaLabel}
              value={villaId}
              onChange={setVillaId}
              error={errors.villa}
              options={[
                { value: '', label: p.choose },
                ...villas.data.map((v) => ({
                  value: v.id,
                  label: `${v.name} — ${v.place}, ${format(m.sponsor.common.dates, { from: formatDay(v.arrivalOn, locale), to: formatDay(v.departureOn, locale) })}`,
                })),
              ]}
            />
            <SelectField
              name="package"
              label={p.packageLabel}
              value={code}
              onChange={setCode}
              error={errors.package}
              options={[
                { value: '', label: p.choose },
                ...packages.data.map((k) => ({ value: k.code, label: `${m.sponsor.packages[k.code]} (${formatCents(k.priceCents, locale)})` })),
              ]}
            />
            <button type="submit" className="button button--primary">
              {p.buy}
            </button>
          </form>
        ) : null}
      </section>
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title={p.confirmTitle}
        description={
          confirming
            ? format(p.confirmText, {
                package: m.sponsor.packages[confirming.pkg.code],
                price: formatCents(confirming.pkg.priceCents, locale),
                villa: confirming.villa.name,
              })
            : undefined
        }
      >
        <div className="inline-actions">
          <button type="button" className="button button--primary" disabled={pending} onClick={() => void onConfirm()}>
            {pending ? m.sponsor.common.working : p.confirm}
          </button>
          <button type="button" className="button button--quiet" onClick={() => setConfirming(null)} disabled={pending}>
            {m.sponsor.common.cancel}
          </button>
        </div>
      </Dialog>
    </>
  );
}

function SponsorshipsSection({ reloadKey }: { reloadKey: number }) {
  const { m, locale } = useI18n();
  const p = m.sponsor.portal;
  const deals = useAsync((signal) => listMySponsorships(signal), [reloadKey]);
  return (
    <section className="card section" aria-labelledby="sponsor-deals-title">
      <h2 id="sponsor-deals-title" className="section-title">
        {p.sponsorshipsTitle}
      </h2>
      {deals.error && !deals.data ? <LoadError title={p.sponsorshipsLoadError} error={deals.error} onRetry={deals.reload} /> : null}
      {!deals.data && !deals.error ? <Loading message={p.sponsorshipsLoading} /> : null}
      {deals.data && deals.data.length === 0 ? <EmptyState title={p.sponsorshipsEmpty} /> : null}
      {deals.data && deals.data.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="sponsor-deals-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{p.sponsorshipsTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{p.columns.villa}</th>
                <th scope="col">{p.columns.package}</th>
                <th scope="col" className="amount">
                  {p.columns.price}
                </th>
                <th scope="col">{p.columns.status}</th>
                <th scope="col">{p.columns.report}</th>
              </tr>
            </thead>
            <tbody>
              {deals.data.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    {d.villa.name}
                    <span className="muted">
                      {' '}
                      — {d.villa.place}, {format(m.sponsor.common.dates, { from: formatDay(d.villa.arrivalOn, locale), to: formatDay(d.villa.endsOn, locale) })}
                    </span>
                  </th>
                  <td>
                    {m.sponsor.packages[d.packageCode]}
                    {d.exclusiveSector ? ` (${d.exclusiveSector})` : ''}
                  </td>
                  <td className="amount">{formatCents(d.priceCents, locale)}</td>
                  <td>
                    <StatusPill tone={d.status === 'active' ? 'ok' : 'down'} label={p.status[d.status]} />
                  </td>
                  <td>
                    <Link href={`/sponsor/sponsorships/${d.id}`}>
                      {p.openReport}
                      <span className="visually-hidden"> {d.villa.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
