/**
 * Sequences (automation) and message templates for the team: typed calls
 * through `@mona/sdk`, the step delay as days and hours, and the API's
 * refusals (409) in the reader's language.
 */
import { ApiError, unwrap, type Schemas } from '@mona/sdk';
import type { Channel, EnrolmentStatus, ExitCondition, SequenceStatus, SequenceTrigger, WindowRule } from '@mona/shared';
import { format, type Messages } from './i18n.ts';
import { api } from './session.ts';

export type Sequence = Schemas['Sequence'];
export type SequenceStep = Schemas['SequenceStep'];
export type SequenceEnrolment = Schemas['SequenceEnrolment'];
export type SequenceStats = Schemas['SequenceStats'];
export type TriggerConfig = Schemas['SequenceTriggerConfig'];
export type ExitRule = Schemas['SequenceExitRule'];
export type Template = Schemas['NotificationTemplate'];
export type TemplatePreview = Schemas['NotificationTemplatePreview'];

// ---- Sequences ---------------------------------------------------------------

export const listSequences = (signal?: AbortSignal) => unwrap(api.GET('/api/sequences', { signal })).then((r) => r.items);
export const getSequence = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/sequences/{id}', { params: { path: { id } }, signal }));

export interface SequenceInput {
  name: string;
  description?: string;
  trigger: SequenceTrigger;
  triggerConfig?: TriggerConfig;
  exitRules?: ExitRule[];
}
export const createSequence = (body: SequenceInput) => unwrap(api.POST('/api/sequences', { body }));

export interface SequenceChanges {
  name?: string;
  description?: string;
  trigger?: SequenceTrigger;
  triggerConfig?: TriggerConfig;
  exitRules?: ExitRule[];
  status?: SequenceStatus;
}
export const updateSequence = (id: string, body: SequenceChanges) => unwrap(api.PATCH('/api/sequences/{id}', { params: { path: { id } }, body }));

export interface StepInput {
  channel: Channel;
  templateId: string;
  delayMinutes: number;
  windowRule: WindowRule;
}
export const replaceSteps = (id: string, steps: StepInput[]) => unwrap(api.PUT('/api/sequences/{id}/steps', { params: { path: { id } }, body: { steps } }));

export const listEnrolments = (id: string, status: EnrolmentStatus | '', signal?: AbortSignal) =>
  unwrap(api.GET('/api/sequences/{id}/enrolments', { params: { path: { id }, query: { limit: 200, ...(status ? { status } : {}) } }, signal })).then(
    (r) => r.items,
  );
export const enrolArtist = (id: string, artistId: string) =>
  unwrap(api.POST('/api/sequences/{id}/enrolments', { params: { path: { id } }, body: { artistId } }));
export const removeEnrolment = (id: string, enrolmentId: string) =>
  unwrap(api.DELETE('/api/sequences/{id}/enrolments/{enrolmentId}', { params: { path: { id, enrolmentId } } }));
export const getSequenceStats = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/sequences/{id}/stats', { params: { path: { id } }, signal }));
export const listArtistEnrolments = (artistId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/enrolments', { params: { path: { id: artistId } }, signal })).then((r) => r.items);

/** The status actions a sequence offers, by its status (the API refuses the others with 409). */
export function statusActions(status: SequenceStatus): { to: SequenceStatus; action: 'activate' | 'pause' | 'resume' }[] {
  if (status === 'draft') return [{ to: 'active', action: 'activate' }];
  if (status === 'active') return [{ to: 'paused', action: 'pause' }];
  return [{ to: 'active', action: 'resume' }];
}

/** Which parameter an exit condition takes. */
export const EXIT_PARAMETER: Record<ExitCondition, 'offerCode' | 'stage' | 'tier' | null> = {
  order_paid: 'offerCode',
  unsubscribed: null,
  stage_changed: 'stage',
  tier_changed: 'tier',
};

/** Which parameter a trigger takes. */
export const TRIGGER_PARAMETER: Record<SequenceTrigger, 'offerCode' | 'tier' | 'days' | null> = {
  signup: null,
  order_paid: 'offerCode',
  tier_changed: 'tier',
  inactivity: 'days',
  manual: null,
};

// ---- Delays: minutes from the start of the enrolment <-> days and hours ---------

export const MAX_DELAY_DAYS = 366;

export function splitDelay(minutes: number): { days: number; hours: number; minutes: number } {
  const days = Math.floor(minutes / 1440);
  const rest = minutes - days * 1440;
  return { days, hours: Math.floor(rest / 60), minutes: rest % 60 };
}

/** "J3", "J0 + 2 h", "J6 + 1 h 30" (the day counted from the start, then the time after it). */
export function delayLabel(minutes: number, m: Messages): string {
  const d = splitDelay(minutes);
  const s = m.notifications.sequences.steps;
  const day = format(s.dayLabel, { days: d.days });
  if (d.hours === 0 && d.minutes === 0) return day;
  const time =
    d.minutes === 0 ? format(s.hoursLabel, { hours: d.hours }) : format(s.hoursMinutesLabel, { hours: d.hours, minutes: String(d.minutes).padStart(2, '0') });
  return `${day} + ${time}`;
}

// ---- Templates ---------------------------------------------------------------

export const listTemplates = (channel: Channel | '', signal?: AbortSignal) =>
  unwrap(api.GET('/api/notification-templates', { params: { query: channel ? { channel } : {} }, signal })).then((r) => r.items);
export const getTemplate = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/notification-templates/{id}', { params: { path: { id } }, signal }));

export interface TemplateContents {
  fr: { subject: string; body: string };
  en: { subject: string; body: string };
}
export interface TemplateInput {
  code: string;
  channel: Channel;
  kind: 'activity' | 'marketing';
  name: string;
  contents: TemplateContents;
}
export const createTemplate = (body: TemplateInput) => unwrap(api.POST('/api/notification-templates', { body }));
export const updateTemplate = (id: string, body: { name: string; contents: TemplateContents }) =>
  unwrap(api.PUT('/api/notification-templates/{id}', { params: { path: { id } }, body }));
export const previewTemplate = (id: string, body: { locale: 'fr' | 'en'; artistId?: string; subject?: string; body?: string }, signal?: AbortSignal) =>
  unwrap(api.POST('/api/notification-templates/{id}/preview', { params: { path: { id } }, body, signal }));

// ---- Refusals ------------------------------------------------------------------

/** The reason the API refused a change of a sequence (409), in the reader's language; null for other errors. */
export function describeSequenceConflict(error: unknown, m: Messages): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const c = m.notifications.sequences.conflicts;
  const message = error.message;
  const details = (error.details ?? {}) as Record<string, unknown>;
  const statuses = m.notifications.sequences.statuses;
  const name = (s: unknown) => (typeof s === 'string' && s in statuses ? statuses[s as SequenceStatus] : String(s));
  if (/add at least one step/.test(message)) return c.needsStep;
  if (/cannot go back to draft/.test(message)) return c.noBackToDraft;
  if (/keeps at least one step/.test(message)) return c.keepsStep;
  if (/already going through/.test(message)) return c.alreadyEnrolled;
  if (/is archived/.test(message)) return c.archived;
  if (/activate it before enrolling/.test(message)) return format(c.notActive, { status: name(/The sequence is (\w+)/.exec(message)?.[1]) });
  if (/enrolment is already|ended meanwhile/.test(message)) return c.enrolmentEnded;
  if (typeof details.from === 'string' && typeof details.to === 'string') return format(c.transition, { from: name(details.from), to: name(details.to) });
  return c.generic;
}
