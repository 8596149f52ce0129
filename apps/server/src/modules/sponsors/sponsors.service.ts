import { isTeamRole, MAX_SPONSORS_PER_VILLA, type DeliverableMetric } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { AppError, conflict, forbidden, isUniqueViolation, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { toUserDto, type UsersService } from '../users/users.service.ts';
import { addDays, buildReport } from './report.ts';
import { renderReportPdf } from './report.pdf.ts';
import type { SponsorPackageRow, SponsorRow, SponsorValues, SponsorsRepository, SponsorshipRecord } from './sponsors.repository.ts';
import type {
  CreatedSponsorDto,
  CreateSponsorInput,
  CreateSponsorshipInput,
  DeliveryInput,
  DeliveryRecordDto,
  ReplaceDeliverablesInput,
  SponsorDto,
  SponsorInput,
  SponsorPackageDto,
  SponsorReportDto,
  SponsorshipDto,
  UpdatePackageInput,
  UpdateSponsorInput,
} from './sponsors.schemas.ts';

const fieldError = (path: string, message: string) => new AppError(400, 'validation_failed', message, { issues: [{ path, message }] });

export function toSponsorDto(row: SponsorRow): SponsorDto {
  return {
    id: row.id,
    userId: row.userId,
    companyName: row.companyName,
    sector: row.sector,
    contactName: row.contactName,
    contactEmail: row.contactEmail,
    website: row.website,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPackageDto(row: SponsorPackageRow): SponsorPackageDto {
  return {
    code: row.code,
    name: row.name,
    priceCents: row.priceCents,
    sectorExclusive: row.sectorExclusive,
    deliverables: row.deliverables,
    position: row.position,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Why a purchase is refused, or null: checked against the villa's active deals
 * while the villa row is locked. Exported for unit tests.
 */
export function purchaseRefusal(
  villa: { status: string; archivedAt: Date | null },
  active: { packageCode: string; exclusiveSector: string | null }[],
  wanted: { packageCode: string; exclusiveSector: string | null },
  maxSponsors = MAX_SPONSORS_PER_VILLA,
): string | null {
  if (villa.archivedAt) return 'this villa is archived';
  if (villa.status === 'completed') return 'this villa is completed';
  if (active.length >= maxSponsors) return `this villa already has ${maxSponsors} sponsors`;
  if (wanted.packageCode === 'principal' && active.some((s) => s.packageCode === 'principal')) return 'this villa already has a principal sponsor';
  if (wanted.exclusiveSector && active.some((s) => s.exclusiveSector === wanted.exclusiveSector))
    return `the ${wanted.exclusiveSector} category is already taken for this villa`;
  return null;
}

const REFUSED_PREFIX = 'Cannot sponsor this villa: ';

/** Sponsors, the package catalogue, deals, their deliveries and the sponsor report. */
export class SponsorsService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: SponsorsRepository;
      users: UsersRepository;
      /** Creates the sponsor accounts staff open with a company (password generation and hashing live there). */
      accounts: Pick<UsersService, 'temporaryCredentials' | 'insert'>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  // Sponsor profiles

  async ownSponsor(caller: Caller): Promise<SponsorDto> {
    if (caller.role !== 'sponsor') throw forbidden('Only a sponsor account has a company profile');
    const row = await this.deps.repo.findSponsorByUser(caller.id);
    if (!row) throw notFound('No company profile yet: create it with PUT /api/me/sponsor');
    return toSponsorDto(row);
  }

  /** Creates the signed-in sponsor's company profile, or replaces its fields. */
  async saveOwnSponsor(caller: Caller, input: SponsorInput): Promise<{ sponsor: SponsorDto; created: boolean }> {
    if (caller.role !== 'sponsor') throw forbidden('Only a sponsor account has a company profile');
    const values = {
      companyName: input.companyName,
      sector: input.sector,
      contactName: input.contactName ?? '',
      contactEmail: input.contactEmail ?? null,
      website: input.website ?? null,
    };
    const existing = await this.deps.repo.findSponsorByUser(caller.id);
    if (existing) return { sponsor: toSponsorDto((await this.deps.repo.updateSponsor(existing.id, values))!), created: false };
    try {
      return { sponsor: toSponsorDto(await this.deps.repo.insertSponsor({ ...values, userId: caller.id })), created: true };
    } catch (error) {
      // Two first saves at once: the second updates the profile the first created.
      if (!isUniqueViolation(error)) throw error;
      const row = (await this.deps.repo.findSponsorByUser(caller.id))!;
      return { sponsor: toSponsorDto((await this.deps.repo.updateSponsor(row.id, values))!), created: false };
    }
  }

  /**
   * Creates a sponsor company. With `userId` it is linked to an existing
   * sponsor account; with `account` a sponsor account is created with it, in
   * the same transaction, under a generated temporary password returned once:
   * a taken email is a 409 on account.email and nothing is created.
   */
  async createSponsor(caller: Caller, input: CreateSponsorInput): Promise<CreatedSponsorDto> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team creates sponsors');
    if (input.userId && input.account) throw fieldError('account', 'Either link an existing account (userId) or create one (account), not both');
    if (input.userId) {
      const user = await this.deps.users.findById(input.userId);
      if (!user) throw fieldError('userId', 'No account with this id');
      if (user.role !== 'sponsor') throw fieldError('userId', 'Only a sponsor account can be linked to a sponsor');
      if (await this.deps.repo.findSponsorByUser(user.id)) throw conflict('This account already has a company profile');
    }
    const { account } = input;
    // Hashed before the transaction, so it holds no connection while argon2 works.
    const credentials = account ? await this.deps.accounts.temporaryCredentials() : null;
    const values = {
      companyName: input.companyName,
      sector: input.sector,
      contactName: input.contactName ?? account?.name ?? '',
      contactEmail: input.contactEmail ?? account?.email ?? null,
      website: input.website ?? null,
    };
    try {
      return await this.deps.db.transaction(async (tx) => {
        const user =
          account && credentials
            ? await this.deps.accounts.insert(
                { email: account.email, name: account.name, role: 'sponsor', passwordHash: credentials.passwordHash },
                { tx, emailPath: 'account.email' },
              )
            : null;
        const row = await this.deps.repo.insertSponsor({ ...values, userId: user?.id ?? input.userId ?? null }, tx);
        return { ...toSponsorDto(row), account: user && credentials ? { user: toUserDto(user), temporaryPassword: credentials.temporaryPassword } : null };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('This account already has a company profile');
      throw error;
    }
  }

  /** Changes the fields given of a sponsor's company profile (team). */
  async updateSponsor(caller: Caller, id: string, input: UpdateSponsorInput): Promise<SponsorDto> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team edits sponsors');
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<SponsorValues>;
    const row = Object.keys(changes).length ? await this.deps.repo.updateSponsor(id, changes) : await this.deps.repo.findSponsor(id);
    if (!row) throw notFound('Sponsor not found');
    return toSponsorDto(row);
  }

  async listSponsors(caller: Caller): Promise<SponsorDto[]> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team lists sponsors');
    return (await this.deps.repo.listSponsors()).map(toSponsorDto);
  }

  async getSponsor(caller: Caller, id: string): Promise<SponsorDto> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team reads sponsors');
    const row = await this.deps.repo.findSponsor(id);
    if (!row) throw notFound('Sponsor not found');
    return toSponsorDto(row);
  }

  // Catalogue

  async listPackages(): Promise<SponsorPackageDto[]> {
    return (await this.deps.repo.listPackages()).map(toPackageDto);
  }

  async updatePackage(caller: Caller, code: SponsorPackageRow['code'], input: UpdatePackageInput): Promise<SponsorPackageDto> {
    if (caller.role !== 'admin') throw forbidden('Only an admin changes the catalogue');
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const row = Object.keys(changes).length ? await this.deps.repo.updatePackage(code, changes) : await this.deps.repo.findPackage(code);
    if (!row) throw notFound('Package not found');
    return toPackageDto(row);
  }

  // Deals

  /**
   * Buys a package for a villa. In one transaction holding the villa row lock,
   * so purchases for a villa are serialised: the villa must not be completed or
   * archived, it has at most MAX_SPONSORS_PER_VILLA active deals, one principal,
   * and one deal per exclusive sector. The partial unique indexes are the last
   * guard; their violation is the same 409. Price and promised deliverables are
   * copied from the catalogue.
   */
  async buy(caller: Caller, villaId: string, input: CreateSponsorshipInput): Promise<SponsorshipDto> {
    const sponsor = await this.buyer(caller, input.sponsorId);
    const pkg = await this.deps.repo.findPackage(input.packageCode);
    if (!pkg) throw notFound('Package not found');
    if (!pkg.sectorExclusive && input.exclusiveSector) throw fieldError('exclusiveSector', `The ${pkg.name} package is not exclusive to a sector`);
    const exclusiveSector = pkg.sectorExclusive ? (input.exclusiveSector ?? sponsor.sector) : null;
    const wanted = { packageCode: pkg.code, exclusiveSector };
    let id: string;
    try {
      id = await this.deps.db.transaction(async (tx) => {
        const villa = await this.deps.repo.lockVilla(tx, villaId);
        if (!villa) throw notFound('Villa not found');
        const active = await this.deps.repo.activeSponsorshipsOfVilla(tx, villaId);
        const refusal = purchaseRefusal(villa, active, wanted);
        if (refusal) throw conflict(REFUSED_PREFIX + refusal, { reason: refusal });
        const deal = await this.deps.repo.insertSponsorship(tx, {
          villaId,
          sponsorId: sponsor.id,
          packageCode: pkg.code,
          priceCents: pkg.priceCents,
          exclusiveSector,
          createdBy: caller.id,
        });
        await this.deps.repo.insertDeliverables(tx, deal.id, pkg.deliverables);
        return deal.id;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const refusal =
        pkg.code === 'principal' ? 'this villa already has a principal sponsor' : `the ${exclusiveSector} category is already taken for this villa`;
      throw conflict(REFUSED_PREFIX + refusal, { reason: refusal });
    }
    return this.getSponsorship(caller, id);
  }

  /** The sponsor a purchase is for: the team names it; a sponsor account buys for its own company. */
  private async buyer(caller: Caller, sponsorId: string | undefined): Promise<SponsorRow> {
    if (isTeamRole(caller.role)) {
      if (!sponsorId) throw fieldError('sponsorId', 'Choose the sponsor the package is for');
      const sponsor = await this.deps.repo.findSponsor(sponsorId);
      if (!sponsor) throw notFound('Sponsor not found');
      return sponsor;
    }
    if (caller.role !== 'sponsor') throw forbidden('Only the team or a sponsor buys packages');
    const own = await this.deps.repo.findSponsorByUser(caller.id);
    if (!own) throw conflict('Create your company profile before buying a package');
    if (sponsorId && sponsorId !== own.id) throw forbidden('A sponsor buys only for its own company');
    return own;
  }

  /** The team reads any deal; a sponsor only its own (another's is 404, like a missing id). */
  private async readable(caller: Caller, id: string): Promise<SponsorshipRecord> {
    const deal = await this.deps.repo.findSponsorship(id);
    if (!deal) throw notFound('Sponsorship not found');
    if (isTeamRole(caller.role)) return deal;
    if (caller.role !== 'sponsor') throw forbidden();
    if (deal.sponsorUserId !== caller.id) throw notFound('Sponsorship not found');
    return deal;
  }

  private async team(caller: Caller, id: string): Promise<SponsorshipRecord> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team manages sponsorships');
    const deal = await this.deps.repo.findSponsorship(id);
    if (!deal) throw notFound('Sponsorship not found');
    return deal;
  }

  async getSponsorship(caller: Caller, id: string): Promise<SponsorshipDto> {
    return this.toDto(await this.readable(caller, id));
  }

  async listOfVilla(caller: Caller, villaId: string): Promise<SponsorshipDto[]> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team lists the sponsors of a villa');
    if (!(await this.deps.repo.findVilla(villaId))) throw notFound('Villa not found');
    return Promise.all((await this.deps.repo.listSponsorships({ villaId })).map((d) => this.toDto(d)));
  }

  /** The signed-in sponsor's deals; none before its company profile exists. */
  async listOwn(caller: Caller): Promise<SponsorshipDto[]> {
    if (caller.role !== 'sponsor') throw forbidden('Only a sponsor account has sponsorships');
    const own = await this.deps.repo.findSponsorByUser(caller.id);
    if (!own) return [];
    return Promise.all((await this.deps.repo.listSponsorships({ sponsorId: own.id })).map((d) => this.toDto(d)));
  }

  async cancel(caller: Caller, id: string): Promise<SponsorshipDto> {
    const deal = await this.team(caller, id);
    if (deal.status !== 'active' || !(await this.deps.repo.cancelSponsorship(id))) throw conflict('This sponsorship is already cancelled');
    return this.getSponsorship(caller, id);
  }

  /** Sets the deal's promised deliverables; a metric with recorded deliveries cannot be removed. */
  async replaceDeliverables(caller: Caller, id: string, input: ReplaceDeliverablesInput): Promise<SponsorshipDto> {
    const deal = await this.team(caller, id);
    if (deal.status !== 'active') throw conflict('This sponsorship is cancelled');
    const withRecords = await this.deps.repo.metricsWithRecords(id);
    const removed = withRecords.filter((m) => input.deliverables[m] === undefined);
    if (removed.length) throw conflict(`Cannot remove ${removed.join(', ')}: deliveries are recorded for it`, { metrics: removed });
    await this.deps.repo.replaceDeliverables(id, input.deliverables);
    return this.getSponsorship(caller, id);
  }

  // Deliveries

  async recordDelivery(caller: Caller, id: string, input: DeliveryInput): Promise<DeliveryRecordDto> {
    const deal = await this.team(caller, id);
    if (deal.status !== 'active') throw conflict('This sponsorship is cancelled');
    const deliverable = await this.deps.repo.findDeliverable(id, input.metric);
    if (!deliverable) throw fieldError('metric', `This deal does not promise ${input.metric}`);
    const row = (await this.deps.repo.insertRecord({
      deliverableId: deliverable.id,
      amount: input.amount,
      occurredAt: new Date(input.occurredAt),
      source: 'manual',
      note: input.note ?? '',
      recordedBy: caller.id,
    }))!;
    return {
      id: row.id,
      metric: deliverable.metric,
      amount: row.amount,
      occurredAt: row.occurredAt.toISOString(),
      source: row.source,
      note: row.note,
      createdAt: row.createdAt.toISOString(),
    };
  }

  /**
   * For the streaming bridge: records a measured amount as a 'stream' delivery.
   * Idempotent on externalKey: a re-sent measurement (same deal, metric and key)
   * is stored once; `recorded` is false for the repeat. Throws 404 when the deal
   * does not promise the metric.
   */
  async recordFromStream(input: {
    sponsorshipId: string;
    metric: DeliverableMetric;
    amount: number;
    occurredAt: Date;
    streamId: string | null;
    externalKey: string;
  }): Promise<{ recorded: boolean }> {
    if (!(input.amount >= 0)) throw fieldError('amount', 'Give an amount of 0 or more');
    const deliverable = await this.deps.repo.findDeliverable(input.sponsorshipId, input.metric);
    if (!deliverable) throw notFound(`Sponsorship ${input.sponsorshipId} does not promise ${input.metric}`);
    const row = await this.deps.repo.insertRecord({
      deliverableId: deliverable.id,
      amount: input.amount,
      occurredAt: input.occurredAt,
      source: 'stream',
      streamId: input.streamId,
      externalKey: input.externalKey,
    });
    return { recorded: row !== undefined };
  }

  // Report

  async report(caller: Caller, id: string): Promise<SponsorReportDto> {
    const deal = await this.readable(caller, id);
    return this.reportOf(deal);
  }

  /** The PDF of the final report; before J+30 it is 409 with the date it becomes available. */
  async reportPdf(caller: Caller, id: string): Promise<{ pdf: Buffer; filename: string }> {
    const deal = await this.readable(caller, id);
    const report = await this.reportOf(deal);
    if (!report.final)
      throw conflict(`The final report is available from ${report.finalFrom} (30 days after the villa ends); until then read the live report`, {
        availableFrom: report.finalFrom,
      });
    const pdf = await renderReportPdf(report);
    const slug = `${deal.companyName}-${deal.villaName}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return { pdf, filename: `sponsor-report-${slug || deal.id}.pdf` };
  }

  private async reportOf(deal: SponsorshipRecord): Promise<SponsorReportDto> {
    const [deliverables, records] = await Promise.all([this.deps.repo.deliverables(deal.id), this.deps.repo.records(deal.id)]);
    const now = this.now();
    const data = buildReport({ arrivalOn: deal.arrivalOn, timeZone: deal.timeZone, now, deliverables, records });
    return {
      sponsorship: this.dtoOf(deal, data.deliverables),
      timeZone: deal.timeZone,
      final: data.final,
      finalFrom: data.finalFrom.toISOString(),
      generatedAt: now.toISOString(),
      days: data.days,
    };
  }

  private async toDto(deal: SponsorshipRecord): Promise<SponsorshipDto> {
    const [deliverables, records] = await Promise.all([this.deps.repo.deliverables(deal.id), this.deps.repo.records(deal.id)]);
    const data = buildReport({ arrivalOn: deal.arrivalOn, timeZone: deal.timeZone, now: this.now(), deliverables, records });
    return this.dtoOf(deal, data.deliverables);
  }

  private dtoOf(deal: SponsorshipRecord, deliverables: ReturnType<typeof buildReport>['deliverables']): SponsorshipDto {
    return {
      id: deal.id,
      villa: { id: deal.villaId, name: deal.villaName, place: deal.villaPlace, arrivalOn: deal.arrivalOn, endsOn: addDays(deal.arrivalOn, 7) },
      sponsor: { id: deal.sponsorId, companyName: deal.companyName, sector: deal.sponsorSector },
      packageCode: deal.packageCode,
      packageName: deal.packageName,
      priceCents: deal.priceCents,
      exclusiveSector: deal.exclusiveSector,
      status: deal.status,
      createdAt: deal.createdAt.toISOString(),
      cancelledAt: deal.cancelledAt ? deal.cancelledAt.toISOString() : null,
      deliverables,
    };
  }
}
