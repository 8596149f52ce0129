/**
 * SPARK for artists and sponsors: open villas, applications, the sponsor's
 * company profile, packages, sponsorships and their report, through `@mona/sdk`.
 */
import { ApiError, unwrap, type Schemas } from '@mona/sdk';
import type { Tier } from '@mona/shared';
import { api } from './session.ts';
import { format, type Messages } from './i18n.ts';

export type Villa = Schemas['Villa'];
export type VillaApplication = Schemas['VillaApplication'];
export type Sponsor = Schemas['Sponsor'];
export type SponsorPackage = Schemas['SponsorPackage'];
export type Sponsorship = Schemas['Sponsorship'];
export type SponsorReport = Schemas['SponsorReport'];

export interface ApplyInput {
  motivation: string;
  portfolioLinks: string[];
  genre: string;
}
export interface SponsorProfileInput {
  companyName: string;
  sector: string;
  contactName?: string;
  contactEmail?: string | null;
  website?: string | null;
}

export const listOpenVillas = (signal?: AbortSignal) =>
  unwrap(api.GET('/api/villas', { params: { query: { status: 'open' } }, signal })).then((r) => r.items.filter((v) => v.status === 'open'));
export const listMyApplications = (signal?: AbortSignal) => unwrap(api.GET('/api/me/applications', { signal })).then((r) => r.items);
export const applyToVilla = (villaId: string, body: ApplyInput) =>
  unwrap(api.POST('/api/villas/{id}/applications', { params: { path: { id: villaId } }, body }));
export const withdrawApplication = (id: string) => unwrap(api.POST('/api/applications/{id}/withdraw', { params: { path: { id } } }));

/** The signed-in sponsor's company profile, or null before it is created (404). */
export async function fetchOwnSponsor(signal?: AbortSignal): Promise<Sponsor | null> {
  try {
    return await unwrap(api.GET('/api/me/sponsor', { signal }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
export const saveOwnSponsor = (body: SponsorProfileInput) => unwrap(api.PUT('/api/me/sponsor', { body }));
export const listPackages = (signal?: AbortSignal) => unwrap(api.GET('/api/sponsor-packages', { signal })).then((r) => r.items);
/** A sponsor buys for its own company; the team names the sponsor (and, for a category package, may name the exclusive sector). */
export const buyPackage = (villaId: string, packageCode: SponsorPackage['code'], forSponsor: { sponsorId: string; exclusiveSector?: string } | null = null) =>
  unwrap(api.POST('/api/villas/{id}/sponsorships', { params: { path: { id: villaId } }, body: { packageCode, ...forSponsor } }));
export const listMySponsorships = (signal?: AbortSignal) => unwrap(api.GET('/api/me/sponsorships', { signal })).then((r) => r.items);
export const fetchReport = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/sponsorships/{id}/report', { params: { path: { id } }, signal }));
/** The final report PDF as a Blob (the access token lives in memory, so a plain link would not be authorised). */
export const fetchReportPdf = (id: string) => unwrap(api.GET('/api/sponsorships/{id}/report.pdf', { params: { path: { id } }, parseAs: 'blob' }));

/** Saves a Blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A 409 refusing an application for its tier, in the reader's language; null for other errors. */
export function describeTierRefusal(error: unknown, m: Messages): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const d = (error.details ?? {}) as { tier?: Tier; score?: number; threshold?: number };
  if (!d.tier || typeof d.threshold !== 'number') return null;
  return format(m.sponsor.spark.tierRefused, {
    tier: m.commerce.tiers[d.tier] ?? d.tier,
    score: d.score ?? 0,
    premium: m.commerce.tiers.premium,
    threshold: d.threshold,
  });
}

/** A refused purchase (409): the API's reason, translated when known. */
export function describePurchaseRefusal(error: unknown, m: Messages): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const reason = (error.details as { reason?: string } | undefined)?.reason;
  const r = m.sponsor.refusals;
  if (!reason) return error.message;
  let match = /^this villa already has (\d+) sponsors$/.exec(reason);
  if (match) return format(r.max, { max: Number(match[1]) });
  if (reason === 'this villa already has a principal sponsor') return r.principal;
  match = /^the (.+) category is already taken for this villa$/.exec(reason);
  if (match) return format(r.sector, { sector: match[1]! });
  if (reason === 'this villa is completed') return r.completed;
  if (reason === 'this villa is archived') return r.archived;
  return format(r.other, { reason });
}

/** The date a 409 on the PDF names as availableFrom, if any. */
export function pdfAvailableFrom(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const from = (error.details as { availableFrom?: unknown } | undefined)?.availableFrom;
  return typeof from === 'string' ? from : null;
}

/** A calendar day (YYYY-MM-DD) or an instant, as a date in the given zone (UTC for a plain day, so it never shifts). */
export function formatDay(value: string, locale: string, timeZone = 'UTC'): string {
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = Date.parse(plain ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time)) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: plain ? 'UTC' : timeZone }).format(time);
}
