import { randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Channel, NotificationKind } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { TestSystem } from '../../test/harness.ts';
import { artists } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';
import { DEFAULT_NOTIFICATIONS_SETTINGS, type NotificationsSettings } from './notifications.schemas.ts';
import { notificationMessageEvents, notificationMessages, notificationTemplateContents, notificationTemplates } from './notifications.tables.ts';

// Shared by the notifications test files: rows made directly, so each test sets exactly the recipient it needs.

const unique = () => randomBytes(4).toString('hex');

export async function makeTemplate(
  db: Db,
  template: { channel: Channel; kind: NotificationKind; fr?: { subject: string; body: string }; en?: { subject: string; body: string }; code?: string },
): Promise<string> {
  const code = template.code ?? `test.${template.channel}.${template.kind}.${unique()}`;
  const [row] = await db
    .insert(notificationTemplates)
    .values({ code, channel: template.channel, kind: template.kind, name: code })
    .returning({ id: notificationTemplates.id });
  const contents = (['fr', 'en'] as const).filter((l) => template[l]).map((locale) => ({ templateId: row!.id, locale, ...template[locale]! }));
  if (contents.length) await db.insert(notificationTemplateContents).values(contents);
  return code;
}

export async function makeUser(db: Db, values: { locale?: 'fr' | 'en'; role?: 'artist' | 'staff'; name?: string } = {}) {
  const [row] = await db
    .insert(users)
    .values({
      email: `u-${unique()}@example.com`,
      name: values.name ?? `User ${unique()}`,
      role: values.role ?? 'artist',
      passwordHash: 'x',
      locale: values.locale ?? 'fr',
    })
    .returning();
  return row!;
}

export async function makeArtist(
  db: Db,
  values: { email?: string | null; phone?: string | null; consent?: boolean; userId?: string | null; stageName?: string; archived?: boolean } = {},
) {
  const [row] = await db
    .insert(artists)
    .values({
      stageName: values.stageName ?? `Artist ${unique()}`,
      email: values.email === undefined ? `a-${unique()}@example.com` : values.email,
      phone: values.phone ?? null,
      consentMarketing: values.consent ?? false,
      userId: values.userId ?? null,
      ...(values.archived ? { archivedAt: new Date() } : {}),
    })
    .returning();
  return row!;
}

export async function setNotificationSettings(system: TestSystem, changes: Partial<NotificationsSettings>): Promise<void> {
  const admin = { id: (await makeUser(system.ctx.platform.database.db, { role: 'staff' })).id, role: 'admin' as const };
  await system.ctx.services.settings.set(admin, 'notifications', { ...DEFAULT_NOTIFICATIONS_SETTINGS, ...changes });
}

export async function messageRows(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(notificationMessages).where(inArray(notificationMessages.id, ids));
}

export async function messageRow(db: Db, id: string) {
  const [row] = await db.select().from(notificationMessages).where(eq(notificationMessages.id, id));
  return row!;
}

export async function historyOf(db: Db, id: string) {
  const rows = await db
    .select()
    .from(notificationMessageEvents)
    .where(eq(notificationMessageEvents.messageId, id))
    .orderBy(notificationMessageEvents.at, notificationMessageEvents.id);
  return rows.map((r) => ({ status: r.status, detail: r.detail }));
}

export async function countRows(db: Db, table: string, where = sql`true`): Promise<number> {
  const result = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`);
  return result.rows[0]!.n;
}
