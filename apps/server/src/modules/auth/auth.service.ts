import { randomUUID } from 'node:crypto';
import type { SelfSignupRole } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { rateLimited, unauthorized } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RateLimiter, RateLimiterFactory } from '../../platform/rate-limit.ts';
import type { ArtistsRepository, SqlTx } from '../artists/artists.repository.ts';
import type { DomainEvents } from '../events/events.service.ts';
import type { PipelineService } from '../pipeline/pipeline.service.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { UserDto } from '../users/users.schemas.ts';
import { toUserDto, weakPassword, type UsersService } from '../users/users.service.ts';
import type { UserRow } from '../users/users.tables.ts';
import type { RefreshTokensRepository } from './auth.repository.ts';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { hashToken, newRefreshToken, type TokenSigner } from './tokens.ts';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserDto;
}

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

const INVALID_CREDENTIALS = 'Email or password is incorrect';

export class AuthService {
  private readonly perIp: RateLimiter;
  private readonly perAccount: RateLimiter;

  constructor(
    private readonly deps: {
      users: UsersRepository;
      usersService: UsersService;
      tokens: RefreshTokensRepository;
      signer: TokenSigner;
      refreshTtlDays: number;
      rateLimits: RateLimiterFactory;
      limits: { perIp: number; perAccount: number; windowSeconds: number };
      logger: Logger;
      /** An artist's sign-up links or creates their artist record and records `artist.signed_up`, with the account. */
      signup: { db: Db; artists: ArtistsRepository; pipeline: Pick<PipelineService, 'recordEntry'>; events: DomainEvents };
      /** After an artist's successful login (engagement points); must not throw. */
      onLogin?: (user: UserRow) => Promise<void>;
    },
  ) {
    this.perIp = deps.rateLimits({ name: 'login-ip', points: deps.limits.perIp, durationSeconds: deps.limits.windowSeconds });
    this.perAccount = deps.rateLimits({ name: 'login-account', points: deps.limits.perAccount, durationSeconds: deps.limits.windowSeconds });
  }

  /**
   * Opens an account. An artist's account is tied to an artist record in the
   * same transaction: the record with the same email that has no account yet
   * (staff added or imported them), else a new prospect record; then
   * `artist.signed_up` is recorded (the welcome sequence starts from it).
   */
  async register(
    input: { email: string; password: string; name: string; role: SelfSignupRole; consentMarketing?: boolean | undefined },
    client: ClientInfo,
  ): Promise<Session> {
    const problem = passwordProblem(input.password, [input.email, input.name]);
    if (problem) throw weakPassword(problem);
    const passwordHash = await hashPassword(input.password);
    const { db, events } = this.deps.signup;
    const eventIds: string[] = [];
    const { row, artistId } = await db.transaction(async (tx) => {
      const user = await this.deps.usersService.insert({ email: input.email, name: input.name, role: input.role, passwordHash }, { tx });
      if (user.role !== 'artist') return { row: user, artistId: null };
      const linked = await this.linkArtist(tx, user, input.consentMarketing === true, eventIds);
      eventIds.push(await events.record(tx, 'artist.signed_up', linked, { artistId: linked, userId: user.id }));
      return { row: user, artistId: linked };
    });
    await events.dispatch(eventIds);
    this.deps.logger.info({ userId: row.id, role: row.role, artistId }, 'account registered');
    return this.openSession(row, randomUUID(), client);
  }

  /** The artist record of a new artist account: the unlinked one with its email, or a new prospect. Returns its id. */
  private async linkArtist(tx: SqlTx, user: UserRow, consentMarketing: boolean, eventIds: string[]): Promise<string> {
    const { artists, pipeline } = this.deps.signup;
    // Serialises with staff creating or editing a record with this email (ArtistsService takes the same lock).
    await artists.lockEmail(tx, user.email);
    const consent = consentMarketing ? { consentMarketing: true, consentUpdatedAt: new Date() } : {};
    const existing = await artists.findUnlinkedByEmail(tx, user.email);
    if (existing) {
      await artists.update(tx, existing.id, { userId: user.id, ...consent });
      return existing.id;
    }
    // A record linked to another account may hold this email: the new record then has none (one email, one record).
    const emailTaken = await artists.findOtherByEmail(tx, user.email);
    const created = await artists.insert(tx, {
      // The account's creation time marks the record its sign-up opened (ArtistsService.linkUser relies on it).
      createdAt: user.createdAt,
      stageName: user.name,
      email: emailTaken ? null : user.email,
      userId: user.id,
      stage: 'prospect',
      consentMarketing,
      consentUpdatedAt: consentMarketing ? new Date() : null,
    });
    eventIds.push(await pipeline.recordEntry(tx, created.id, 'prospect', user.id, 'signed up'));
    return created.id;
  }

  /**
   * Every attempt counts against the IP; failures count against the account,
   * and a success clears the account's count. The answer never tells whether
   * the email exists (same message, same hashing work).
   */
  async login(input: { email: string; password: string }, client: ClientInfo): Promise<Session> {
    const ipDecision = await this.perIp.consume(client.ip);
    if (!ipDecision.allowed) throw rateLimited(ipDecision.retryAfterSeconds);
    const accountDecision = await this.perAccount.peek(input.email);
    if (!accountDecision.allowed) throw rateLimited(accountDecision.retryAfterSeconds);

    const row = await this.deps.users.findByEmail(input.email);
    const ok =
      row && !row.disabledAt
        ? await verifyPassword(row.passwordHash, input.password)
        : await verifyPassword(await dummyPasswordHash(), input.password).then(() => false);
    if (!ok || !row) {
      const after = await this.perAccount.consume(input.email);
      if (!after.allowed) throw rateLimited(after.retryAfterSeconds);
      throw unauthorized(INVALID_CREDENTIALS, 'invalid_credentials');
    }
    await this.perAccount.reset(input.email);
    await this.deps.users.touchLogin(row.id);
    if (row.role === 'artist') await this.deps.onLogin?.(row);
    return this.openSession(row, randomUUID(), client);
  }

  /** Rotates a refresh token. A token used twice revokes its whole family. */
  async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<Session> {
    if (!refreshToken) throw unauthorized('No refresh token');
    const tokenHash = hashToken(refreshToken);
    const consumed = await this.deps.tokens.consume(tokenHash);
    if (!consumed) {
      const known = await this.deps.tokens.findByHash(tokenHash);
      if (known?.usedAt && !known.revokedAt) {
        const revoked = await this.deps.tokens.revokeFamily(known.familyId);
        this.deps.logger.warn({ userId: known.userId, familyId: known.familyId, revoked, ip: client.ip }, 'refresh token reused: session family revoked');
        throw unauthorized('This session was ended because its refresh token was used twice; sign in again', 'token_reused');
      }
      throw unauthorized('Session expired; sign in again');
    }
    const row = await this.deps.users.findById(consumed.userId);
    if (!row || row.disabledAt) throw unauthorized('Session expired; sign in again');
    return this.openSession(row, consumed.familyId, client);
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    const known = await this.deps.tokens.findByHash(hashToken(refreshToken));
    if (known) await this.deps.tokens.revokeFamily(known.familyId);
  }

  async me(userId: string): Promise<UserDto> {
    const row = await this.deps.users.findById(userId);
    if (!row || row.disabledAt) throw unauthorized('Account not found or disabled');
    return toUserDto(row);
  }

  private async openSession(row: UserRow, familyId: string, client: ClientInfo): Promise<Session> {
    const refreshToken = newRefreshToken();
    await this.deps.tokens.insert({
      userId: row.id,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + this.deps.refreshTtlDays * 86_400_000),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
    });
    const accessToken = await this.deps.signer.sign({ sub: row.id, role: row.role });
    return { accessToken, refreshToken, expiresIn: this.deps.signer.accessTtlSeconds, user: toUserDto(row) };
  }
}
