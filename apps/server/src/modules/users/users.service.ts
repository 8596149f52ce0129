import { randomBytes } from 'node:crypto';
import { isTeamRole, type Role } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { AppError, conflict, forbidden, isUniqueViolation } from '../../platform/errors.ts';
import { hashPassword, passwordProblem, type PasswordProblem } from '../auth/passwords.ts';
import type { UserRow } from './users.tables.ts';
import type { UsersRepository } from './users.repository.ts';
import type { TeamMemberDto, UserDto } from './users.schemas.ts';

export interface Caller {
  id: string;
  role: Role;
}

export function toUserDto(row: UserRow): UserDto {
  return { id: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale === 'en' ? 'en' : 'fr', createdAt: row.createdAt.toISOString() };
}

/** A readable one-time password: 4 groups of 5 base32 characters. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && i % 5 === 0) out += '-';
    out += alphabet[bytes[i]! % alphabet.length];
  }
  return out;
}

export function weakPassword(problem: PasswordProblem): AppError {
  return new AppError(400, 'validation_failed', problem.message, { issues: [{ path: 'password', ...problem }] });
}

export class UsersService {
  constructor(private readonly repo: UsersRepository) {}

  /**
   * Creates an account. Self sign-up goes through AuthService; this path is
   * for admins (staff, expert) and the CLI (admin).
   */
  async create(
    caller: Caller | 'cli',
    input: { email: string; name: string; role: Role; password?: string | undefined },
  ): Promise<{ user: UserDto; temporaryPassword: string | null }> {
    if (caller !== 'cli' && caller.role !== 'admin') throw forbidden('Only an admin can create accounts');
    if (input.password) {
      const problem = passwordProblem(input.password, [input.email, input.name]);
      if (problem) throw weakPassword(problem);
      const row = await this.insert({ email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
      return { user: toUserDto(row), temporaryPassword: null };
    }
    const { temporaryPassword, passwordHash } = await this.temporaryCredentials();
    const row = await this.insert({ email: input.email, name: input.name, role: input.role, passwordHash });
    return { user: toUserDto(row), temporaryPassword };
  }

  /**
   * A generated one-time password and its hash, for an account created on
   * someone's behalf. Hash before opening a transaction: hashing is slow.
   */
  async temporaryCredentials(): Promise<{ temporaryPassword: string; passwordHash: string }> {
    const temporaryPassword = generatePassword();
    return { temporaryPassword, passwordHash: await hashPassword(temporaryPassword) };
  }

  /**
   * Inserts, turning a taken email into a 409 (the concurrent second insert
   * loses cleanly) whose issue names `emailPath`. Inside `tx` when given.
   */
  async insert(
    input: { email: string; name: string; role: Role; passwordHash: string },
    options: { tx?: Pick<Db, 'insert'>; emailPath?: string } = {},
  ): Promise<UserRow> {
    try {
      return await this.repo.create(input, options.tx);
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict('An account with this email already exists', {
          issues: [{ path: options.emailPath ?? 'email', message: 'An account with this email already exists', code: 'email_taken' }],
        });
      throw error;
    }
  }

  async list(caller: Caller): Promise<UserDto[]> {
    if (caller.role !== 'admin') throw forbidden('Only an admin can list accounts');
    return (await this.repo.list()).map(toUserDto);
  }

  /**
   * The active team (admin and staff accounts): names only, for assignee and
   * owner pickers. Any team member may read it; e-mails stay admin-only.
   */
  async team(caller: Caller): Promise<TeamMemberDto[]> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team can list its members');
    return this.repo.listActiveByRoles(['admin', 'staff']);
  }

  /** Active experts, names only, for the mission assignment picker. */
  async experts(caller: Caller): Promise<TeamMemberDto[]> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team can list the experts');
    return this.repo.listActiveByRoles(['expert']);
  }

  /** Creates the first admin when there is none; returns its one-time password, or null when an admin exists. */
  async ensureFirstAdmin(email: string): Promise<{ email: string; password: string } | null> {
    if ((await this.repo.countByRole('admin')) > 0) return null;
    const password = generatePassword();
    try {
      await this.repo.create({ email, name: 'Admin', role: 'admin', passwordHash: await hashPassword(password) });
    } catch (error) {
      if (isUniqueViolation(error)) return null; // another instance made it at the same time
      throw error;
    }
    return { email, password };
  }
}
