/**
 * SPARK villas for the team: typed calls through `@mona/sdk` and the
 * translation of the API's refusals (409) into the reader's language.
 */
import { ApiError, unwrap, type Schemas } from '@mona/sdk';
import {
  VILLA_TRANSITIONS,
  type ApplicationStatus,
  type BudgetKind,
  type ContentKind,
  type DeliverableMetric,
  type JuryCriterion,
  type SlotKind,
  type VillaStatus,
} from '@mona/shared';
import { format, type Messages } from './i18n.ts';
import { api } from './session.ts';
import type { SponsorProfileInput } from './sponsor.ts';

export type Villa = Schemas['Villa'];
export type VillaDetail = Schemas['VillaDetail'];
export type VillaApplication = Schemas['VillaApplication'];
export type VillaParticipant = Schemas['VillaParticipant'];
export type VillaBudget = Schemas['VillaBudget'];
export type VillaBudgetLine = Schemas['VillaBudgetLine'];
export type VillaContentTarget = Schemas['VillaContentTarget'];

export interface VillaFilters {
  status?: VillaStatus;
  upcoming?: boolean;
}
export const listVillas = (filters: VillaFilters, signal?: AbortSignal) =>
  unwrap(
    api.GET('/api/villas', {
      params: { query: { ...(filters.status ? { status: filters.status } : {}), upcoming: filters.upcoming ? 'true' : 'false' } },
      signal,
    }),
  ).then((r) => r.items);

export interface CreateVillaInput {
  name: string;
  place: string;
  arrivalOn: string;
  capacity: number;
  maxPerGenre: number;
}
export const createVilla = (body: CreateVillaInput) => unwrap(api.POST('/api/villas', { body }));
export const getVilla = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/villas/{id}', { params: { path: { id } }, signal }));
export const transitionVilla = (id: string, to: VillaStatus) => unwrap(api.POST('/api/villas/{id}/status', { params: { path: { id } }, body: { to } }));

export const listApplications = (villaId: string, status: ApplicationStatus | '', signal?: AbortSignal) =>
  unwrap(api.GET('/api/villas/{id}/applications', { params: { path: { id: villaId }, query: status ? { status } : {} }, signal }));
export const getApplication = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/applications/{id}', { params: { path: { id } }, signal }));
export const scoreApplication = (id: string, scores: Record<JuryCriterion, number>, comment: string) =>
  unwrap(api.PUT('/api/applications/{id}/score', { params: { path: { id } }, body: { scores, ...(comment.trim() ? { comment: comment.trim() } : {}) } }));
export const decideApplication = (id: string, to: ApplicationStatus) =>
  unwrap(api.POST('/api/applications/{id}/status', { params: { path: { id } }, body: { to } }));
export const promoteWaitlisted = (villaId: string) => unwrap(api.POST('/api/villas/{id}/promote-waitlisted', { params: { path: { id: villaId } } }));
export const listParticipants = (villaId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/villas/{id}/participants', { params: { path: { id: villaId } }, signal }));

export const getBudget = (villaId: string, signal?: AbortSignal) => unwrap(api.GET('/api/villas/{id}/budget', { params: { path: { id: villaId } }, signal }));
export const updateBudgetLine = (villaId: string, lineId: string, body: { plannedCents?: number; actualCents?: number }) =>
  unwrap(api.PATCH('/api/villas/{id}/budget/lines/{lineId}', { params: { path: { id: villaId, lineId } }, body }));
export interface BudgetLineInput {
  kind: BudgetKind;
  category: string;
  label?: string;
  plannedCents?: number;
  actualCents?: number;
}
export const createBudgetLine = (villaId: string, body: BudgetLineInput) =>
  unwrap(api.POST('/api/villas/{id}/budget/lines', { params: { path: { id: villaId } }, body }));
export const deleteBudgetLine = (villaId: string, lineId: string) =>
  unwrap(api.DELETE('/api/villas/{id}/budget/lines/{lineId}', { params: { path: { id: villaId, lineId } } }));

export const listContentTargets = (villaId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/villas/{id}/content-targets', { params: { path: { id: villaId } }, signal })).then((r) => r.items);
export const putContentTarget = (villaId: string, kind: ContentKind, body: { target?: number; delivered?: number }) =>
  unwrap(api.PUT('/api/villas/{id}/content-targets/{kind}', { params: { path: { id: villaId, kind } }, body }));

/** The YYYY-MM-DD date `days` after another (calendar arithmetic in UTC). */
export function addDays(date: string, days: number): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

/** A local date (YYYY-MM-DD) in the reader's language, without time zone drift. */
export function formatDay(date: string, locale: string): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, d));
}

/**
 * A refusal (409) of the villa API in the reader's language: status changes,
 * capacity, genre mix, waiting list. Null when it is not a conflict.
 */
export function describeVillaConflict(error: unknown, m: Messages, kind: 'villa' | 'application'): string | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const c = m.spark.conflicts;
  const message = error.message;
  const details = (error.details ?? {}) as Record<string, unknown>;
  const full = /The villa is full \(capacity (\d+)\)/.exec(message);
  if (full) return format(c.full, { capacity: full[1]! });
  const genre = /genre mix: already (\d+) artists in (.+) \(at most (\d+)\)/.exec(message);
  if (genre) return format(c.genreMix, { count: genre[1]!, genre: genre[2]!, max: genre[3]! });
  if (/artists are accepted only while the villa is open/.test(message)) return c.notOpen;
  if (/No waitlisted artist keeps/.test(message)) return c.noWaitlistKeepsRules;
  if (/No one is on the waiting list/.test(message)) return c.noWaitlist;
  if (/no longer scored/.test(message)) return c.notScored;
  if (/changed meanwhile/.test(message)) return c.changedMeanwhile;
  if (/is archived/.test(message)) return c.archived;
  if (/is completed/.test(message)) return c.completed;
  const from = typeof details.from === 'string' ? details.from : null;
  const to = typeof details.to === 'string' ? details.to : null;
  if (from && to) {
    const labels: Record<string, string> = kind === 'villa' ? m.spark.status : m.spark.applicationStatus;
    const name = (s: string) => labels[s] ?? s;
    const head = format(c.cannot, { from: name(from), to: name(to) });
    if (kind === 'villa') {
      const allowed = VILLA_TRANSITIONS[from as VillaStatus] ?? [];
      if (allowed.length === 0) return `${head} ${format(c.final, { status: name(from) })}`;
      return `${head} ${format(c.onlyTo, { from: name(from), allowed: allowed.map(name).join(c.or) })}`;
    }
    return `${head} ${message}`;
  }
  return message || null;
}

// Schedule -------------------------------------------------------------------------

export type VillaSchedule = Schemas['VillaSchedule'];
export type VillaSlot = Schemas['VillaSlot'];
export interface SlotInput {
  title: string;
  kind: SlotKind;
  startsAt: string;
  endsAt: string;
  room: string;
  notes: string;
  /** Replaces the slot's artists and team members: one person cannot be in two overlapping slots (409 naming the clash). */
  artistIds: string[];
  staffIds: string[];
}
export const getSchedule = (villaId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/villas/{id}/schedule', { params: { path: { id: villaId } }, signal }));
export const createSlot = (villaId: string, body: SlotInput) => unwrap(api.POST('/api/villas/{id}/slots', { params: { path: { id: villaId } }, body }));
export const updateSlot = (villaId: string, slotId: string, body: SlotInput) =>
  unwrap(api.PATCH('/api/villas/{id}/slots/{slotId}', { params: { path: { id: villaId, slotId } }, body }));
export const deleteSlot = (villaId: string, slotId: string) =>
  unwrap(api.DELETE('/api/villas/{id}/slots/{slotId}', { params: { path: { id: villaId, slotId } } }));

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

/** A local date (YYYY-MM-DD) and time (HH:MM) in a time zone, as an ISO instant (UTC). */
export function zonedToIso(date: string, time: string, timeZone: string): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The local time (HH:MM) of an instant in a time zone. */
export function zonedTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(iso));
}

// Sponsors -------------------------------------------------------------------------

export type Sponsorship = Schemas['Sponsorship'];
export const listVillaSponsorships = (villaId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/villas/{id}/sponsorships', { params: { path: { id: villaId } }, signal })).then((r) => r.items);
export const cancelSponsorship = (id: string) => unwrap(api.POST('/api/sponsorships/{id}/cancel', { params: { path: { id } } }));
export interface DeliveryInput {
  metric: DeliverableMetric;
  amount: number;
  occurredAt: string;
  note?: string;
}
export const recordDelivery = (id: string, body: DeliveryInput) => unwrap(api.POST('/api/sponsorships/{id}/deliveries', { params: { path: { id } }, body }));
/** Sets the promised deliverables of a deal: metrics left out are no longer promised. */
export const replaceDeliverables = (id: string, deliverables: Partial<Record<DeliverableMetric, number>>) =>
  unwrap(api.PUT('/api/sponsorships/{id}/deliverables', { params: { path: { id } }, body: { deliverables } }));

// Sponsor companies (team) ------------------------------------------------------------

export type Sponsor = Schemas['Sponsor'];
export type CreatedSponsor = Schemas['CreatedSponsor'];
export const listSponsors = (signal?: AbortSignal) => unwrap(api.GET('/api/sponsors', { signal })).then((r) => r.items);
/** With `account`, a sponsor login is created for the contact; its temporary password comes back once. */
export const createSponsor = (body: Required<SponsorProfileInput> & { account?: { email: string; name: string } }) =>
  unwrap(api.POST('/api/sponsors', { body }));
export const updateSponsor = (id: string, body: Required<SponsorProfileInput>) => unwrap(api.PATCH('/api/sponsors/{id}', { params: { path: { id } }, body }));
