import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { EnrolmentStatus, ExitReason, SequenceStatus, SequenceTrigger } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { artists } from '../artists/artists.tables.ts';
import { notificationTemplates } from '../notifications/notifications.tables.ts';
import { sequenceEnrolments, sequences, sequenceSteps, type ExitRule, type TriggerConfig } from './sequences.tables.ts';
import type { Q } from './templates.repository.ts';

export type SequenceRow = typeof sequences.$inferSelect;
export type StepRow = typeof sequenceSteps.$inferSelect;
export type EnrolmentRow = typeof sequenceEnrolments.$inferSelect;

/** A step with the template it sends. */
export interface StepRecord extends StepRow {
  templateCode: string;
  templateName: string;
  kind: (typeof notificationTemplates.$inferSelect)['kind'];
}

export interface EnrolmentRecord extends EnrolmentRow {
  artistName: string;
  sequenceName: string;
}

export interface SequenceChanges {
  name?: string;
  description?: string;
  trigger?: SequenceTrigger;
  triggerConfig?: TriggerConfig;
  exitRules?: ExitRule[];
  status?: SequenceStatus;
  pausedAt?: Date | null;
}

export interface NewStep {
  channel: StepRow['channel'];
  templateId: string;
  delayMinutes: number;
  windowRule: StepRow['windowRule'];
}

export interface EnrolmentCounts {
  enrolled: number;
  active: number;
  completed: number;
  exited: number;
  byReason: Partial<Record<ExitReason, number>>;
}

export interface MessageCounts {
  byStatus: Record<string, number>;
  sent: number;
  emailsSent: number;
  opened: number;
  clicked: number;
}

const stepColumns = {
  step: sequenceSteps,
  templateCode: notificationTemplates.code,
  templateName: notificationTemplates.name,
  kind: notificationTemplates.kind,
};
const toStep = (r: { step: StepRow; templateCode: string; templateName: string; kind: StepRecord['kind'] }): StepRecord => ({
  ...r.step,
  templateCode: r.templateCode,
  templateName: r.templateName,
  kind: r.kind,
});

const enrolmentColumns = { enrolment: sequenceEnrolments, artistName: artists.stageName, sequenceName: sequences.name };
const toEnrolment = (r: { enrolment: EnrolmentRow; artistName: string; sequenceName: string }): EnrolmentRecord => ({
  ...r.enrolment,
  artistName: r.artistName,
  sequenceName: r.sequenceName,
});

/** All SQL on sequences, their steps and enrolments. */
export class SequencesRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<SequenceRow[]> {
    return this.db.select().from(sequences).orderBy(asc(sequences.createdAt), asc(sequences.id));
  }

  async find(id: string, tx: Pick<Db, 'select'> = this.db): Promise<SequenceRow | undefined> {
    const [row] = await tx.select().from(sequences).where(eq(sequences.id, id)).limit(1);
    return row;
  }

  /** The sequence, locked until the transaction ends (status changes, step replacement). */
  async lock(tx: Q, id: string): Promise<SequenceRow | undefined> {
    const [row] = await tx.select().from(sequences).where(eq(sequences.id, id)).for('update');
    return row;
  }

  async insert(tx: Q, values: Omit<typeof sequences.$inferInsert, 'id'>): Promise<SequenceRow> {
    const [row] = await tx.insert(sequences).values(values).returning();
    return row!;
  }

  /** Inserts those whose code does not exist yet and returns them (the default installer never overwrites). */
  async insertManyIfAbsent(tx: Q, values: Omit<typeof sequences.$inferInsert, 'id'>[]): Promise<SequenceRow[]> {
    if (values.length === 0) return [];
    return tx.insert(sequences).values(values).onConflictDoNothing({ target: sequences.code }).returning();
  }

  /** Which of these codes name a sequence. */
  async codesPresent(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows = await this.db.select({ code: sequences.code }).from(sequences).where(inArray(sequences.code, codes));
    return rows.flatMap((r) => (r.code ? [r.code] : []));
  }

  async update(tx: Q, id: string, changes: SequenceChanges): Promise<SequenceRow | undefined> {
    const [row] = await tx
      .update(sequences)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(sequences.id, id))
      .returning();
    return row;
  }

  async activeByTrigger(trigger: SequenceTrigger, tx: Pick<Db, 'select'> = this.db): Promise<SequenceRow[]> {
    return tx
      .select()
      .from(sequences)
      .where(and(eq(sequences.trigger, trigger), eq(sequences.status, 'active')));
  }

  // Steps.

  async steps(sequenceIds: string[], tx: Pick<Db, 'select'> = this.db): Promise<StepRecord[]> {
    if (sequenceIds.length === 0) return [];
    const rows = await tx
      .select(stepColumns)
      .from(sequenceSteps)
      .innerJoin(notificationTemplates, eq(notificationTemplates.id, sequenceSteps.templateId))
      .where(inArray(sequenceSteps.sequenceId, sequenceIds))
      .orderBy(asc(sequenceSteps.sequenceId), asc(sequenceSteps.position));
    return rows.map(toStep);
  }

  async insertSteps(tx: Q, steps: (NewStep & { sequenceId: string; position: number })[]): Promise<void> {
    if (steps.length === 0) return;
    await tx.insert(sequenceSteps).values(steps);
  }

  async replaceSteps(tx: Q, sequenceId: string, steps: NewStep[]): Promise<void> {
    await tx.delete(sequenceSteps).where(eq(sequenceSteps.sequenceId, sequenceId));
    if (steps.length === 0) return;
    await tx.insert(sequenceSteps).values(steps.map((s, position) => ({ ...s, sequenceId, position })));
  }

  // Enrolments.

  async countActive(sequenceIds: string[]): Promise<Map<string, number>> {
    if (sequenceIds.length === 0) return new Map();
    const rows = await this.db
      .select({ sequenceId: sequenceEnrolments.sequenceId, n: sql<number>`count(*)::int` })
      .from(sequenceEnrolments)
      .where(and(inArray(sequenceEnrolments.sequenceId, sequenceIds), eq(sequenceEnrolments.status, 'active')))
      .groupBy(sequenceEnrolments.sequenceId);
    return new Map(rows.map((r) => [r.sequenceId, r.n]));
  }

  /**
   * Enrols, unless the artist already has an active enrolment in the sequence
   * or this trigger event already enrolled them (both unique indexes): then
   * undefined, and nothing changes.
   */
  async enrol(
    tx: Q,
    values: { sequenceId: string; artistId: string; startedAt: Date; nextRunAt: Date | null; triggerEventId?: string | null; enrolledBy?: string | null },
  ): Promise<EnrolmentRow | undefined> {
    const [row] = await tx
      .insert(sequenceEnrolments)
      .values({ ...values, status: 'active', nextPosition: 0, createdAt: values.startedAt, updatedAt: values.startedAt })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async findEnrolment(id: string, tx: Pick<Db, 'select'> = this.db): Promise<EnrolmentRecord | undefined> {
    const [row] = await tx
      .select(enrolmentColumns)
      .from(sequenceEnrolments)
      .innerJoin(artists, eq(artists.id, sequenceEnrolments.artistId))
      .innerJoin(sequences, eq(sequences.id, sequenceEnrolments.sequenceId))
      .where(eq(sequenceEnrolments.id, id))
      .limit(1);
    return row ? toEnrolment(row) : undefined;
  }

  async listEnrolments(filter: { sequenceId?: string; artistId?: string; status?: EnrolmentStatus | undefined }, limit: number): Promise<EnrolmentRecord[]> {
    const conditions: SQL[] = [];
    if (filter.sequenceId) conditions.push(eq(sequenceEnrolments.sequenceId, filter.sequenceId));
    if (filter.artistId) conditions.push(eq(sequenceEnrolments.artistId, filter.artistId));
    if (filter.status) conditions.push(eq(sequenceEnrolments.status, filter.status));
    const rows = await this.db
      .select(enrolmentColumns)
      .from(sequenceEnrolments)
      .innerJoin(artists, eq(artists.id, sequenceEnrolments.artistId))
      .innerJoin(sequences, eq(sequences.id, sequenceEnrolments.sequenceId))
      .where(and(...conditions))
      .orderBy(desc(sequenceEnrolments.createdAt), desc(sequenceEnrolments.id))
      .limit(limit);
    return rows.map(toEnrolment);
  }

  /**
   * Claims the next due enrolment of an active sequence: locked FOR UPDATE
   * SKIP LOCKED (another tick takes the next one), with the sequence row
   * share-locked so a pause cannot commit while this step is composed.
   * `exclude` skips enrolments that failed earlier in the same run.
   */
  async claimDue(tx: Q, now: Date, exclude: readonly string[]): Promise<EnrolmentRow | undefined> {
    const excluded = exclude.length
      ? sql`and e.id not in (${sql.join(
          exclude.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : sql``;
    const result = await tx.execute<{ id: string }>(sql`
      select e.id
      from sequence_enrolments e
      join sequences s on s.id = e.sequence_id
      where e.status = 'active' and s.status = 'active' and e.next_run_at <= ${now.toISOString()}::timestamptz ${excluded}
      order by e.next_run_at, e.id
      limit 1
      for update of e skip locked
      for share of s skip locked`);
    const id = result.rows[0]?.id;
    if (!id) return undefined;
    const [row] = await tx.select().from(sequenceEnrolments).where(eq(sequenceEnrolments.id, id));
    return row;
  }

  /** Moves an active enrolment on; conditional on its status so a concurrent exit wins. */
  async advance(
    tx: Q,
    id: string,
    changes: { nextPosition: number; nextRunAt: Date | null; status?: 'active' | 'completed'; endedAt?: Date | null },
    now: Date,
  ): Promise<EnrolmentRow | undefined> {
    const [row] = await tx
      .update(sequenceEnrolments)
      .set({ ...changes, updatedAt: now })
      .where(and(eq(sequenceEnrolments.id, id), eq(sequenceEnrolments.status, 'active')))
      .returning();
    return row;
  }

  /** The artist's active enrolments with their sequence's exit rules, locked (an exit and a tick never interleave). */
  async activeOfArtistForExit(tx: Q, artistId: string): Promise<{ id: string; sequenceId: string; triggerEventId: string | null; exitRules: ExitRule[] }[]> {
    const result = await tx.execute<{ id: string; sequence_id: string; trigger_event_id: string | null; exit_rules: ExitRule[] }>(sql`
      select e.id, e.sequence_id, e.trigger_event_id, s.exit_rules
      from sequence_enrolments e
      join sequences s on s.id = e.sequence_id
      where e.artist_id = ${artistId} and e.status = 'active'
      order by e.id
      for update of e`);
    return result.rows.map((r) => ({ id: r.id, sequenceId: r.sequence_id, triggerEventId: r.trigger_event_id, exitRules: r.exit_rules }));
  }

  /** Ends an active enrolment early; undefined when it is not active any more. */
  async exit(tx: Q, id: string, reason: ExitReason, now: Date): Promise<EnrolmentRow | undefined> {
    const [row] = await tx
      .update(sequenceEnrolments)
      .set({ status: 'exited', exitReason: reason, endedAt: now, nextRunAt: null, updatedAt: now })
      .where(and(eq(sequenceEnrolments.id, id), eq(sequenceEnrolments.status, 'active')))
      .returning();
    return row;
  }

  /** Resuming a sequence: its active enrolments' clocks move forward by the pause. */
  async shiftActive(tx: Q, sequenceId: string, byMs: number, now: Date): Promise<number> {
    const interval = `${Math.max(0, Math.round(byMs))} milliseconds`;
    const rows = await tx
      .update(sequenceEnrolments)
      .set({
        startedAt: sql`${sequenceEnrolments.startedAt} + ${interval}::interval`,
        nextRunAt: sql`${sequenceEnrolments.nextRunAt} + ${interval}::interval`,
        updatedAt: now,
      })
      .where(and(eq(sequenceEnrolments.sequenceId, sequenceId), eq(sequenceEnrolments.status, 'active')))
      .returning({ id: sequenceEnrolments.id });
    return rows.length;
  }

  /** Steps were replaced: active enrolments wait for the step now at their position. */
  async rescheduleActive(tx: Q, sequenceId: string, nextRunAt: (row: EnrolmentRow) => Date | null, now: Date): Promise<void> {
    const rows = await tx
      .select()
      .from(sequenceEnrolments)
      .where(and(eq(sequenceEnrolments.sequenceId, sequenceId), eq(sequenceEnrolments.status, 'active')))
      .for('update');
    for (const row of rows) {
      await tx
        .update(sequenceEnrolments)
        .set({ nextRunAt: nextRunAt(row), updatedAt: now })
        .where(eq(sequenceEnrolments.id, row.id));
    }
  }

  /**
   * Enrols, in one statement, up to `limit` artists with no activity since
   * `cutoff` (the latest of: record created, last login of the linked account,
   * last interaction, last engagement event, last order made or paid), who
   * can be reached (email, phone or account), are not archived, and whose
   * previous enrolment in this sequence (if any) started before `cutoff`.
   */
  async enrolInactive(tx: Q, input: { sequenceId: string; cutoff: Date; startedAt: Date; nextRunAt: Date | null; limit: number }): Promise<number> {
    const cutoff = input.cutoff.toISOString();
    const started = input.startedAt.toISOString();
    const result = await tx.execute<{ id: string }>(sql`
      insert into sequence_enrolments (sequence_id, artist_id, status, started_at, next_position, next_run_at, created_at, updated_at)
      select ${input.sequenceId}::uuid, a.id, 'active', ${started}::timestamptz, 0, ${input.nextRunAt?.toISOString() ?? null}::timestamptz,
             ${started}::timestamptz, ${started}::timestamptz
      from artists a
      left join users u on u.id = a.user_id
      where a.archived_at is null
        and (a.email is not null or a.phone is not null or a.user_id is not null)
        and greatest(
              a.created_at,
              u.last_login_at,
              (select max(i.occurred_at) from interactions i where i.artist_id = a.id),
              (select max(g.occurred_at) from engagement_events g where g.artist_id = a.id),
              (select max(greatest(o.created_at, o.paid_at)) from orders o where o.artist_id = a.id)
            ) < ${cutoff}::timestamptz
        and not exists (
              select 1 from sequence_enrolments e
              where e.sequence_id = ${input.sequenceId}::uuid and e.artist_id = a.id
                and (e.status = 'active' or e.started_at >= ${cutoff}::timestamptz))
      order by a.id
      limit ${input.limit}
      on conflict do nothing
      returning id`);
    return result.rows.length;
  }

  // Stats.

  async enrolmentCounts(sequenceId: string): Promise<EnrolmentCounts> {
    const rows = await this.db
      .select({ status: sequenceEnrolments.status, reason: sequenceEnrolments.exitReason, n: sql<number>`count(*)::int` })
      .from(sequenceEnrolments)
      .where(eq(sequenceEnrolments.sequenceId, sequenceId))
      .groupBy(sequenceEnrolments.status, sequenceEnrolments.exitReason);
    const counts: EnrolmentCounts = { enrolled: 0, active: 0, completed: 0, exited: 0, byReason: {} };
    for (const r of rows) {
      counts.enrolled += r.n;
      counts[r.status] += r.n;
      if (r.status === 'exited' && r.reason) counts.byReason[r.reason] = (counts.byReason[r.reason] ?? 0) + r.n;
    }
    return counts;
  }

  async messageCounts(sequenceId: string): Promise<MessageCounts> {
    const result = await this.db.execute<{ status: string; channel: string; n: number; opened: number; clicked: number }>(sql`
      select m.status, m.channel, count(*)::int as n,
             count(m.opened_at)::int as opened, count(m.clicked_at)::int as clicked
      from notification_messages m
      join sequence_enrolments e on e.id = m.enrolment_id
      where e.sequence_id = ${sequenceId}
      group by m.status, m.channel`);
    const counts: MessageCounts = { byStatus: {}, sent: 0, emailsSent: 0, opened: 0, clicked: 0 };
    for (const r of result.rows) {
      const n = Number(r.n);
      counts.byStatus[r.status] = (counts.byStatus[r.status] ?? 0) + n;
      if (r.status !== 'sent' && r.status !== 'delivered') continue;
      counts.sent += n;
      counts.clicked += Number(r.clicked);
      if (r.channel === 'email') {
        counts.emailsSent += n;
        counts.opened += Number(r.opened);
      }
    }
    return counts;
  }
}
