import { z } from 'zod';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import type { BackupService } from './backup.service.ts';

/**
 * Checks every 10 minutes whether the day's backup is due (BACKUP_SCHEDULE,
 * UTC) and not made yet, and makes it. One attempt per tick: a failed backup
 * is retried at the next ticks, at most three times a day (see runScheduled).
 */
export const scheduledBackupJob = defineJob({
  name: 'backup.scheduled',
  family: 'maintenance',
  payload: z.object({}),
  everyMs: 600_000,
  attempts: 1,
});

export function backupJobHandlers(backups: () => BackupService) {
  const run: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const result = await backups().runScheduled();
    if (!('skipped' in result)) logger.info(result, 'scheduled backup made');
    return result;
  };
  return { [scheduledBackupJob.name]: run };
}
