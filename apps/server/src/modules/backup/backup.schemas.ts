import { z } from 'zod';

export const backupRunSchema = z
  .object({
    id: z.uuid(),
    trigger: z.enum(['cli', 'schedule']),
    status: z.enum(['running', 'succeeded', 'failed']),
    startedAt: z.string().describe('ISO 8601'),
    finishedAt: z.string().nullable(),
    name: z.string().nullable().describe('The backup made (its manifest is <name>.manifest.json)'),
    sizeBytes: z.number().int().nullable().describe('Size of the dump'),
    remote: z.string().nullable().describe('s3:// URL of the uploaded manifest, when BACKUP_S3_BUCKET is set'),
    deleted: z.array(z.string()).describe('Backups retention deleted after this one'),
    error: z.string().nullable(),
    hostname: z.string().describe('The machine that ran it'),
  })
  .meta({ id: 'BackupRun' });

export const backupSummarySchema = z
  .object({
    name: z.string(),
    createdAt: z.string(),
    appVersion: z.string(),
    databaseKind: z.enum(['postgresql', 'embedded']),
    serverVersion: z.string(),
    migrationsApplied: z.number().int(),
    tables: z.number().int(),
    rows: z.number().int().describe('Rows in all tables at the dump'),
    file: z.string(),
    format: z.enum(['custom', 'sql']).describe('custom: pg_dump --format=custom; sql: plain SQL (embedded database)'),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    inDirectory: z.boolean().describe('In BACKUP_DIR of the machine that answered'),
    inBucket: z.boolean().describe('In the bucket (the newest 30 manifests there are read)'),
  })
  .meta({ id: 'BackupSummary' });

export const backupsResponse = z
  .object({
    enabled: z.boolean().describe('Whether the daily backup job runs (BACKUP_ENABLED)'),
    schedule: z.string().describe('e.g. "daily at 03:00 UTC" (BACKUP_SCHEDULE)'),
    retention: z.object({ daily: z.number().int(), weekly: z.number().int() }),
    directory: z.string().describe('BACKUP_DIR on the machine that answered'),
    bucket: z.string().nullable().describe('s3://bucket/prefix/ the backups are copied to, or null'),
    bucketError: z.string().nullable().describe('Why the bucket could not be listed, if it could not'),
    lastRun: backupRunSchema.nullable(),
    runs: z.array(backupRunSchema).describe('The 10 most recent runs, newest first'),
    backups: z.array(backupSummarySchema).describe('Backups in BACKUP_DIR and in the bucket (from their manifests), newest first'),
  })
  .meta({ id: 'BackupsOverview' });
