/**
 * The ops page: alerts (from Alertmanager's webhook or the in-process
 * evaluation) and backups, through `@mona/sdk`. Admins only.
 */
import { unwrap, type Schemas } from '@mona/sdk';
import { api } from './session.ts';

export type OpsAlert = Schemas['OpsAlert'];
export type OpsAlerts = Schemas['OpsAlerts'];
export type BackupsOverview = Schemas['BackupsOverview'];
export type BackupRun = Schemas['BackupRun'];
export type BackupSummary = Schemas['BackupSummary'];

export const fetchAlerts = (signal?: AbortSignal) => unwrap(api.GET('/api/ops/alerts', { params: { query: { days: 7, limit: 50 } }, signal }));
export const fetchBackups = (signal?: AbortSignal) => unwrap(api.GET('/api/ops/backups', { signal }));

/** 1536 → "1.5 KB" (decimal units, as the platforms' dashboards show sizes). */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
