import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Channel, NotificationKind } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { notificationTemplateContents, notificationTemplates } from '../notifications/notifications.tables.ts';
import { sequences, sequenceSteps } from './sequences.tables.ts';
import type { Locale } from './templates.schemas.ts';

export type TemplateRow = typeof notificationTemplates.$inferSelect;
export type TemplateContentRow = typeof notificationTemplateContents.$inferSelect;
export type Q = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

export interface TemplateRecord extends TemplateRow {
  contents: TemplateContentRow[];
  usedBy: { id: string; name: string }[];
}

/** Staff-side SQL on notification templates and their wording (the notifications service reads them to compose). */
export class TemplatesRepository {
  constructor(private readonly db: Db) {}

  async list(filter: { channel?: Channel | undefined } = {}): Promise<TemplateRecord[]> {
    const rows = await this.db
      .select()
      .from(notificationTemplates)
      .where(filter.channel ? eq(notificationTemplates.channel, filter.channel) : undefined)
      .orderBy(asc(notificationTemplates.code));
    return this.withDetails(rows);
  }

  async find(id: string, tx: Pick<Db, 'select' | 'selectDistinct'> = this.db): Promise<TemplateRecord | undefined> {
    const [row] = await tx.select().from(notificationTemplates).where(eq(notificationTemplates.id, id)).limit(1);
    return row ? (await this.withDetails([row], tx))[0] : undefined;
  }

  async findByIds(ids: string[], tx: Pick<Db, 'select'> = this.db): Promise<TemplateRow[]> {
    if (ids.length === 0) return [];
    return tx.select().from(notificationTemplates).where(inArray(notificationTemplates.id, ids));
  }

  async findByCodes(codes: string[], tx: Pick<Db, 'select'> = this.db): Promise<TemplateRow[]> {
    if (codes.length === 0) return [];
    return tx.select().from(notificationTemplates).where(inArray(notificationTemplates.code, codes));
  }

  /** Inserts the templates whose code is free and returns them (an existing code is left as it is). */
  async insertMany(tx: Q, values: { code: string; channel: Channel; kind: NotificationKind; name: string }[]): Promise<TemplateRow[]> {
    if (values.length === 0) return [];
    return tx.insert(notificationTemplates).values(values).onConflictDoNothing({ target: notificationTemplates.code }).returning();
  }

  async insertContents(tx: Q, values: { templateId: string; locale: Locale; subject: string; body: string }[]): Promise<void> {
    if (values.length === 0) return;
    await tx.insert(notificationTemplateContents).values(values);
  }

  /** Inserts a template; undefined when the code is taken (nothing changes then). */
  async insert(tx: Q, values: { code: string; channel: Channel; kind: NotificationKind; name: string }): Promise<TemplateRow | undefined> {
    const [row] = await tx.insert(notificationTemplates).values(values).onConflictDoNothing({ target: notificationTemplates.code }).returning();
    return row;
  }

  async rename(tx: Q, id: string, name: string): Promise<TemplateRow | undefined> {
    const [row] = await tx
      .update(notificationTemplates)
      .set({ name, updatedAt: sql`now()` })
      .where(eq(notificationTemplates.id, id))
      .returning();
    return row;
  }

  /** Writes the wording of one locale, replacing what was there. */
  async putContent(tx: Q, templateId: string, locale: Locale, content: { subject: string; body: string }): Promise<void> {
    await tx
      .insert(notificationTemplateContents)
      .values({ templateId, locale, subject: content.subject, body: content.body })
      .onConflictDoUpdate({
        target: [notificationTemplateContents.templateId, notificationTemplateContents.locale],
        set: { subject: content.subject, body: content.body, updatedAt: sql`now()` },
      });
  }

  private async withDetails(rows: TemplateRow[], tx: Pick<Db, 'select' | 'selectDistinct'> = this.db): Promise<TemplateRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const contents = await tx.select().from(notificationTemplateContents).where(inArray(notificationTemplateContents.templateId, ids));
    const uses = await tx
      .selectDistinct({ templateId: sequenceSteps.templateId, id: sequences.id, name: sequences.name })
      .from(sequenceSteps)
      .innerJoin(sequences, eq(sequences.id, sequenceSteps.sequenceId))
      .where(inArray(sequenceSteps.templateId, ids))
      .orderBy(asc(sequences.name));
    return rows.map((row) => ({
      ...row,
      contents: contents.filter((c) => c.templateId === row.id),
      usedBy: uses.filter((u) => u.templateId === row.id).map((u) => ({ id: u.id, name: u.name })),
    }));
  }
}
