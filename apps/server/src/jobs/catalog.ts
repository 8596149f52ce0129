import type { JobDefinition, JobHandler } from './registry.ts';
import { JobRegistry } from './registry.ts';
import { authJobHandlers, purgeRefreshTokensJob } from '../modules/auth/auth.jobs.ts';
import { evaluateAlertsJob, opsJobHandlers, pruneServiceInstancesJob } from '../modules/ops/ops.jobs.ts';
import type { AlertEvaluator } from '../modules/ops/evaluator.ts';
import type { RefreshTokensRepository } from '../modules/auth/auth.repository.ts';
import type { ServiceInstancesRepository } from '../modules/ops/ops.repository.ts';
import { eventsJobHandlers, relayDomainEventsJob } from '../modules/events/events.jobs.ts';
import type { DomainEvents } from '../modules/events/events.service.ts';
import { recomputeAllScoresJob, recomputeArtistScoreJob, scoringJobHandlers } from '../modules/scoring/scoring.jobs.ts';
import type { ScoringService } from '../modules/scoring/scoring.service.ts';
import { dispatchNotificationsJob, notificationsJobHandlers, type Dispatcher } from '../modules/notifications/notifications.jobs.ts';
import { sequenceEventJob, sequenceInactivityJob, sequencesJobHandlers, sequenceTickJob } from '../modules/sequences/sequences.jobs.ts';
import type { SequenceEngine } from '../modules/sequences/engine.ts';
import { backupJobHandlers, scheduledBackupJob } from '../modules/backup/backup.jobs.ts';
import type { BackupService } from '../modules/backup/backup.service.ts';

/** Every job of the system. A module adds its definitions here and its handlers below. */
export const JOB_DEFINITIONS: readonly JobDefinition<never>[] = [
  purgeRefreshTokensJob,
  pruneServiceInstancesJob,
  evaluateAlertsJob,
  relayDomainEventsJob,
  recomputeAllScoresJob,
  recomputeArtistScoreJob,
  dispatchNotificationsJob,
  sequenceEventJob,
  sequenceTickJob,
  sequenceInactivityJob,
  scheduledBackupJob,
] as JobDefinition<never>[];

export interface JobDependencies {
  refreshTokens: RefreshTokensRepository;
  serviceInstances: ServiceInstancesRepository;
  /** Lazy: the in-process alert evaluation is built with the services. */
  alertEvaluator: () => AlertEvaluator;
  /** Lazy: the event bus needs the registry this builds. */
  events: () => DomainEvents;
  /** Lazy: the scoring service records domain events, so it is built after the registry. */
  scoring: () => ScoringService;
  /** Lazy: the dispatcher is built with the services. */
  notifications: () => Dispatcher;
  /** Lazy: the sequence engine composes through the notifications service. */
  sequences: () => SequenceEngine;
  /** Lazy: built with the services. */
  backups: () => BackupService;
}

export function jobHandlers(deps: JobDependencies): Record<string, JobHandler<never>> {
  return {
    ...authJobHandlers(deps.refreshTokens),
    ...opsJobHandlers(deps.serviceInstances, deps.alertEvaluator),
    ...eventsJobHandlers(deps.events),
    ...scoringJobHandlers(deps.scoring),
    ...notificationsJobHandlers(deps.notifications),
    ...sequencesJobHandlers(deps.sequences),
    ...backupJobHandlers(deps.backups),
  };
}

export function buildJobRegistry(
  deps: JobDependencies,
  extra?: { definitions: JobDefinition<never>[]; handlers: Record<string, JobHandler<never>> },
): JobRegistry {
  return new JobRegistry([...JOB_DEFINITIONS, ...(extra?.definitions ?? [])], { ...jobHandlers(deps), ...(extra?.handlers ?? {}) });
}
