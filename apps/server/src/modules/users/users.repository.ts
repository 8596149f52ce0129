import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Role } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { users, type UserRow } from './users.tables.ts';

export class UsersRepository {
  constructor(private readonly db: Db) {}

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email)).limit(1);
    return row;
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id)).limit(1);
    return row;
  }

  /** Throws a unique violation (23505) when the email is taken. Inside `tx` when given (an account created with another record). */
  async create(
    input: { email: string; name: string; role: Role; passwordHash: string; locale?: 'fr' | 'en' },
    tx: Pick<Db, 'insert'> = this.db,
  ): Promise<UserRow> {
    const [row] = await tx.insert(users).values(input).returning();
    return row!;
  }

  async list(): Promise<UserRow[]> {
    return this.db.select().from(users).orderBy(asc(users.createdAt));
  }

  async countByRole(role: Role): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.role, role));
    return row?.n ?? 0;
  }

  async touchLogin(id: string): Promise<void> {
    await this.db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, id));
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id));
  }

  /** Active (not disabled) accounts of the given roles, by name: who can be picked as an assignee. */
  async listActiveByRoles(roles: readonly Role[]): Promise<Pick<UserRow, 'id' | 'name' | 'role'>[]> {
    return this.db
      .select({ id: users.id, name: users.name, role: users.role })
      .from(users)
      .where(and(inArray(users.role, [...roles]), isNull(users.disabledAt)))
      .orderBy(asc(users.name), asc(users.id));
  }
}
