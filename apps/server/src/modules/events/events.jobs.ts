import { z } from 'zod';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import type { DomainEvents } from './events.service.ts';

export const relayDomainEventsJob = defineJob({
  name: 'events.relay-pending',
  family: 'maintenance',
  payload: z.object({}),
  everyMs: 60_000,
  attempts: 3,
});

export function eventsJobHandlers(events: () => DomainEvents) {
  const relay: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const relayed = await events().relayPending(30_000);
    if (relayed > 0) logger.info({ relayed }, 'relayed domain events left undispatched');
    return { relayed };
  };
  return { [relayDomainEventsJob.name]: relay };
}
