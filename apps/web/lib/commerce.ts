/**
 * Offers, orders, the marketplace and the artist's own pages: typed calls to
 * the API through `@mona/sdk`, and the money helpers they share.
 */
import { ApiError, unwrap, type Schemas } from '@mona/sdk';
import { MISSION_TRANSITIONS, ORDER_TRANSITIONS, type BlockFormat, type MissionStatus, type OrderStatus } from '@mona/shared';
import { api } from './session.ts';
import { format, type Locale, type Messages } from './i18n.ts';

export type Offer = Schemas['Offer'];
export type Order = Schemas['Order'];
export type OrderDetail = Schemas['OrderDetail'];
export type ServiceBlock = Schemas['ServiceBlock'];
export type Mission = Schemas['Mission'];
export type MissionDetail = Schemas['MissionDetail'];
export type Deliverable = Schemas['MissionDeliverable'];
export type Commission = Schemas['ExpertCommission'];
export type ArtistRecord = Schemas['Artist'];
export type MonaScore = Schemas['MonaScore'];
export type ScoringEvent = Schemas['ScoringEvent'];

// Money -------------------------------------------------------------------------

/** Integer cents as euros in the reader's locale ("1 200,00 €" / "€1,200.00"). */
export function formatCents(cents: number, locale: Locale): string {
  const whole = Number.isInteger(cents / 100);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(cents / 100);
}

/** Cents as a plain euro amount for an input ("1200" or "1200,50" in French). */
export function centsToInput(cents: number, locale: Locale): string {
  const euros = Math.trunc(cents / 100);
  const rest = cents % 100;
  if (rest === 0) return String(euros);
  return `${euros}${locale === 'fr' ? ',' : '.'}${String(rest).padStart(2, '0')}`;
}

/**
 * Parses a euro amount typed by a person into integer cents, exactly (string
 * arithmetic, no floating point): "1200", "1 200,5", "1200.50", "1,200.50".
 * Returns null when it is not an amount with at most two decimals.
 */
export function parseEurosToCents(input: string): number | null {
  let text = input.replace(/[\s\u00a0\u202f€]/g, '');
  if (!text) return null;
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // Both: the last one is the decimal separator, the other groups thousands.
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    text = text.split(group).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    const parts = text.split(',');
    // "1,200" (thousands) vs "12,5" (decimals): three digits after a single comma group thousands.
    text = parts.length > 2 || (parts.length === 2 && parts[1]!.length === 3 && parts[0] !== '0') ? parts.join('') : text.replace(',', '.');
  }
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const euros = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return euros * 100 + fraction;
}

/** Checks a euro field: a message, or the cents. */
export function checkEuros(value: string, m: Messages, { min = 0 }: { min?: number } = {}): { cents: number } | { error: string } {
  if (!value.trim()) return { error: m.commerce.money.required };
  const cents = parseEurosToCents(value);
  if (cents === null) return { error: m.commerce.money.invalid };
  if (cents > 100_000_000) return { error: m.commerce.money.tooBig };
  if (cents < min) return { error: m.commerce.money.tooSmall };
  return { cents };
}

// Conflicts -----------------------------------------------------------------------

/**
 * A refused status change (409) in the reader's language: why, from the
 * `from` / `to` the API names and the transitions it allows.
 */
export function describeTransitionConflict(error: unknown, m: Messages, kind: 'order' | 'mission'): string | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const c = m.commerce.conflicts;
  const details = (error.details ?? {}) as Record<string, unknown>;
  const from = typeof details.from === 'string' ? details.from : null;
  const to = typeof details.to === 'string' ? details.to : null;
  const labels: Record<string, string> = kind === 'order' ? m.commerce.orderStatus : m.commerce.missionStatus;
  const name = (s: string) => labels[s] ?? s;
  if (/changed meanwhile/.test(error.message)) return c.changedMeanwhile;
  if (/at least one deliverable/.test(error.message)) return c.deliverableFirst;
  if (/already assigned/.test(error.message)) return c.alreadyAssigned;
  if (/is archived/.test(error.message)) return c.archived;
  if (/no longer sold|not offered any more/.test(error.message)) return c.inactive;
  if (typeof details.status === 'string') return format(c.deliverablesWhileInProgress, { status: name(details.status) });
  if (from && to) {
    if (from === to) return format(c.already, { status: name(to) });
    const allowed: readonly string[] = kind === 'order' ? (ORDER_TRANSITIONS[from as OrderStatus] ?? []) : (MISSION_TRANSITIONS[from as MissionStatus] ?? []);
    const head = format(c.cannot, { from: name(from), to: name(to) });
    if (allowed.length === 0) return `${head} ${format(c.final, { status: name(from) })}`;
    return `${head} ${format(c.onlyTo, { from: name(from), allowed: allowed.map(name).join(c.or) })}`;
  }
  return error.message || null;
}

// Offers and orders -----------------------------------------------------------------

export const listOffers = (includeInactive: boolean, signal?: AbortSignal) =>
  unwrap(api.GET('/api/offers', { params: { query: { includeInactive: includeInactive ? 'true' : 'false' } }, signal })).then((r) => r.items);

export interface OfferChanges {
  name?: string;
  description?: string;
  includes?: string[];
  priceCents?: number;
  active?: boolean;
}
export const updateOffer = (id: string, body: OfferChanges) => unwrap(api.PATCH('/api/offers/{id}', { params: { path: { id } }, body }));

export interface OrderFilters {
  status?: OrderStatus;
  offerId?: string;
  artistId?: string;
}
export const listOrders = (filters: OrderFilters, signal?: AbortSignal) =>
  unwrap(api.GET('/api/orders', { params: { query: { ...filters, limit: 200 } }, signal })).then((r) => r.items);

export const listMyOrders = (signal?: AbortSignal) => unwrap(api.GET('/api/me/orders', { signal })).then((r) => r.items);

export const getOrder = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/orders/{id}', { params: { path: { id } }, signal }));

export interface CreateOrderInput {
  artistId: string;
  offerId: string;
  priceCents?: number;
  note?: string;
}
export const createOrder = (body: CreateOrderInput) => unwrap(api.POST('/api/orders', { body }));

export const transitionOrder = (id: string, to: OrderStatus, reason?: string) =>
  unwrap(api.POST('/api/orders/{id}/status', { params: { path: { id } }, body: { to, ...(reason ? { reason } : {}) } }));

// Marketplace -------------------------------------------------------------------------

export const listBlocks = (includeInactive: boolean, signal?: AbortSignal) =>
  unwrap(api.GET('/api/marketplace/blocks', { params: { query: { includeInactive: includeInactive ? 'true' : 'false' } }, signal })).then((r) => r.items);

export interface BlockChanges {
  name?: string;
  description?: string;
  diagnosticCents?: number;
  oneShotCents?: number;
  monthlyCents?: number;
  active?: boolean;
}
export const updateBlock = (id: string, body: BlockChanges) => unwrap(api.PATCH('/api/marketplace/blocks/{id}', { params: { path: { id } }, body }));

export interface BlockRequestInput {
  blockId: string;
  format: BlockFormat;
  brief?: string;
}
export const requestBlock = (artistId: string, body: BlockRequestInput) => unwrap(api.POST('/api/marketplace/requests', { body: { ...body, artistId } }));
export const requestOwnBlock = (body: BlockRequestInput) => unwrap(api.POST('/api/me/marketplace/requests', { body }));

export interface MissionFilters {
  status?: MissionStatus;
  blockId?: string;
  expertId?: string;
  artistId?: string;
}
export const listMissions = (filters: MissionFilters, signal?: AbortSignal) =>
  unwrap(api.GET('/api/marketplace/missions', { params: { query: { ...filters, limit: 200 } }, signal })).then((r) => r.items);

export const getMission = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/marketplace/missions/{id}', { params: { path: { id } }, signal }));

export const assignExpert = (id: string, expertId: string) =>
  unwrap(api.POST('/api/marketplace/missions/{id}/assign', { params: { path: { id } }, body: { expertId } }));

export const transitionMission = (id: string, to: MissionStatus, reason?: string) =>
  unwrap(api.POST('/api/marketplace/missions/{id}/status', { params: { path: { id } }, body: { to, ...(reason ? { reason } : {}) } }));

export interface DeliverableInput {
  title: string;
  url?: string;
  note?: string;
}
export const addDeliverable = (id: string, body: DeliverableInput) =>
  unwrap(api.POST('/api/marketplace/missions/{id}/deliverables', { params: { path: { id } }, body }));

export const fetchCommission = (expertId: string, month: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/marketplace/experts/{id}/commission', { params: { path: { id: expertId }, query: { month } }, signal }));

/** The price of a block in a format. */
export function blockPrice(block: ServiceBlock, fmt: BlockFormat): number {
  return fmt === 'diagnostic' ? block.diagnosticCents : fmt === 'one_shot' ? block.oneShotCents : block.monthlyCents;
}

// Experts and artists ----------------------------------------------------------------

export interface ExpertOption {
  id: string;
  name: string;
}

/** Active expert accounts: only an admin can list accounts (GET /api/users). */
export const listExpertAccounts = (signal?: AbortSignal) =>
  unwrap(api.GET('/api/users/experts', { signal })).then((r) => r.members.map((u) => ({ id: u.id, name: u.name })));

export const searchArtists = (q: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists', { params: { query: { q, limit: 10, sort: 'stageName', order: 'asc' } }, signal })).then((r) => r.items);

// The artist's own pages -------------------------------------------------------------

export const fetchOwnArtist = (signal?: AbortSignal) => unwrap(api.GET('/api/me/artist', { signal }));

export type OwnLinks = NonNullable<Schemas['Artist']['links']>;
export interface OwnArtistChanges {
  links?: Record<string, { handle?: string; url?: string }>;
  consentMarketing?: boolean;
  consentAnalytics?: boolean;
}
export const updateOwnArtist = (body: OwnArtistChanges) => unwrap(api.PATCH('/api/me/artist', { body }));

export const fetchScore = (artistId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/score', { params: { path: { id: artistId } }, signal }));

export const fetchScoreHistory = (artistId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/score/history', { params: { path: { id: artistId }, query: { limit: 100 } }, signal })).then((r) => r.events);

/** YYYY-MM of a date in Europe/Paris (the month the commission statement counts in). */
export function parisMonth(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).formatToParts(date);
  const year = parts.find((p) => p.type === 'year')?.value ?? String(date.getUTCFullYear());
  const month = parts.find((p) => p.type === 'month')?.value ?? String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${year}-${month}`;
}

/** The last `count` months, newest first, as YYYY-MM. */
export function recentMonths(now: Date, count: number): string[] {
  const [y, mo] = parisMonth(now).split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const index = y * 12 + (mo - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

export function formatMonth(month: string, locale: Locale): string {
  const [y, mo] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, 15));
}
