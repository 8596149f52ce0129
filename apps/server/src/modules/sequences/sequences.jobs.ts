import { z } from 'zod';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import type { DomainEvent, DomainEventName } from '../events/events.types.ts';
import type { SequenceEngine } from './engine.ts';

/** The events that start or end enrolments. */
export const SEQUENCE_EVENTS = [
  'artist.signed_up',
  'order.paid',
  'artist.tier_changed',
  'artist.stage_changed',
  'artist.unsubscribed',
] as const satisfies readonly DomainEventName[];

const domainEventSchema = z.object({
  id: z.uuid(),
  name: z.enum(SEQUENCE_EVENTS),
  aggregateId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});

/** Each event once (its id is in the job id): exits first, then the enrolments it triggers. Idempotent. */
export const sequenceEventJob = defineJob({
  name: 'sequences.on-event',
  family: 'notifications',
  payload: domainEventSchema,
  subscribes: SEQUENCE_EVENTS,
  attempts: 8,
  backoffMs: 2000,
});

/** Composes the messages of due steps; every 30 s. Two ticks at once share the work (SKIP LOCKED). */
export const sequenceTickJob = defineJob({
  name: 'sequences.tick',
  family: 'notifications',
  payload: z.object({}),
  everyMs: 30_000,
  attempts: 1,
});

/** Enrols inactive artists in the inactivity sequences; daily. */
export const sequenceInactivityJob = defineJob({
  name: 'sequences.inactivity',
  family: 'notifications',
  payload: z.object({}),
  everyMs: 24 * 3_600_000,
  attempts: 3,
  backoffMs: 60_000,
});

export function sequencesJobHandlers(engine: () => SequenceEngine) {
  const onEvent: JobHandler<z.infer<typeof domainEventSchema>> = async (event) => {
    const outcome = await engine().handleEvent(event as unknown as DomainEvent);
    return { exited: outcome.exited.length, enrolled: outcome.enrolled.length };
  };
  const tick: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const result = await engine().tick();
    if (result.composed || result.completed || result.failed) logger.info(result, 'sequence tick');
    return result;
  };
  const inactivity: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const result = await engine().enrolInactive();
    logger.info({ result }, 'inactivity enrolments');
    return result;
  };
  return { [sequenceEventJob.name]: onEvent, [sequenceTickJob.name]: tick, [sequenceInactivityJob.name]: inactivity };
}
