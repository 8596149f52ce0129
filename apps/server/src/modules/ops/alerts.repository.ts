import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { SqlTx } from '../artists/artists.repository.ts';
import { users } from '../users/users.tables.ts';
import { opsAlerts } from './ops.tables.ts';

export type OpsAlertRow = typeof opsAlerts.$inferSelect;

export interface IncomingAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
  generatorUrl: string | null;
}

export class AlertsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records one alert of an episode (fingerprint + start). Returns the row when
   * the episode is new or changed status (firing → resolved), null otherwise
   * (a repeat, or a late "firing" for an episode already resolved).
   */
  async record(
    alert: IncomingAlert,
    source: OpsAlertRow['source'],
    now: Date,
    /** Runs in the same transaction when the episode is new or changed (the notifications), so a failure leaves no trace. */
    onChange: (tx: SqlTx, row: OpsAlertRow) => Promise<void>,
  ): Promise<OpsAlertRow | null> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(opsAlerts)
        .values({
          fingerprint: alert.fingerprint,
          alertname: alert.labels.alertname ?? 'unknown',
          status: alert.status,
          severity: alert.labels.severity ?? 'warning',
          labels: alert.labels,
          annotations: alert.annotations,
          startsAt: alert.startsAt,
          endsAt: alert.status === 'resolved' ? alert.endsAt : null,
          source,
          generatorUrl: alert.generatorUrl,
          receivedAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [opsAlerts.fingerprint, opsAlerts.startsAt] })
        .returning();
      if (inserted[0]) {
        await onChange(tx, inserted[0]);
        return inserted[0];
      }
      if (alert.status !== 'resolved') return null;
      // Firing → resolved, once: the conditional update is the lock (of two deliveries, one changes the row).
      const [resolved] = await tx
        .update(opsAlerts)
        .set({ status: 'resolved', endsAt: alert.endsAt ?? now, annotations: alert.annotations, updatedAt: now })
        .where(and(eq(opsAlerts.fingerprint, alert.fingerprint), eq(opsAlerts.startsAt, alert.startsAt), eq(opsAlerts.status, 'firing')))
        .returning();
      if (resolved) await onChange(tx, resolved);
      return resolved ?? null;
    });
  }

  firing(limit = 200): Promise<OpsAlertRow[]> {
    return this.db
      .select()
      .from(opsAlerts)
      .where(eq(opsAlerts.status, 'firing'))
      .orderBy(sql`case when ${opsAlerts.severity} = 'critical' then 0 else 1 end`, desc(opsAlerts.startsAt))
      .limit(limit);
  }

  resolvedSince(since: Date, limit: number): Promise<OpsAlertRow[]> {
    return this.db
      .select()
      .from(opsAlerts)
      .where(and(eq(opsAlerts.status, 'resolved'), gte(opsAlerts.updatedAt, since)))
      .orderBy(desc(opsAlerts.updatedAt))
      .limit(limit);
  }

  /** Firing alerts raised by a source (the in-process evaluator resolves its own). */
  firingFrom(source: OpsAlertRow['source']): Promise<OpsAlertRow[]> {
    return this.db
      .select()
      .from(opsAlerts)
      .where(and(eq(opsAlerts.status, 'firing'), eq(opsAlerts.source, source)));
  }

  /** The accounts notified of alerts: active admins (`db`: the caller's transaction). */
  async adminIds(db: Pick<Db, 'select'> = this.db): Promise<string[]> {
    const rows = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)));
    return rows.map((r) => r.id);
  }
}
