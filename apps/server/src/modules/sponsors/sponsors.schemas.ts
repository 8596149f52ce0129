import { z } from 'zod';
import { DELIVERABLE_METRICS, SPONSORSHIP_STATUSES, SPONSOR_PACKAGES } from '@mona/shared';
import { emailSchema, nameSchema, userSchema } from '../users/users.schemas.ts';

export const idParams = z.strictObject({ id: z.uuid() });
export const packageParams = z.strictObject({ code: z.enum(SPONSOR_PACKAGES) });

const metric = z.enum(DELIVERABLE_METRICS);
const amount = z.number().min(0, 'Give an amount of 0 or more').max(1e12);
/** Promised values per deliverable metric (hours, counts, people). */
export const promisedMap = z.partialRecord(metric, amount).describe('Promised value per deliverable metric; metrics left out are not promised');

const sector = z
  .string()
  .trim()
  .min(1, 'Sector is required')
  .max(80)
  .transform((s) => s.toLowerCase())
  .describe('Business sector, stored lower-case (e.g. "beverages"): a category package is exclusive per sector in a villa');

export const sponsorBody = z.strictObject({
  companyName: z.string().trim().min(1, 'Company name is required').max(200),
  sector,
  contactName: z.string().trim().max(200).optional(),
  contactEmail: z.email('Give a valid email').max(320).nullable().optional(),
  website: z.url('Give a full URL, e.g. https://example.com').max(500).nullable().optional(),
});
export type SponsorInput = z.infer<typeof sponsorBody>;

export const sponsorAccountBody = z
  .strictObject({ email: emailSchema, name: nameSchema })
  .describe("A login for the sponsor's contact: a sponsor account with a generated temporary password");

export const createSponsorBody = sponsorBody
  .extend({
    userId: z.uuid().optional().describe('An existing sponsor account to link; left out, the sponsor has no account yet'),
    account: sponsorAccountBody
      .optional()
      .describe('Creates a sponsor account with the company, in one transaction; contactName and contactEmail default to its name and email. Not with userId.'),
  })
  .describe('Staff create a sponsor, with or without an account');
export type CreateSponsorInput = z.infer<typeof createSponsorBody>;

export const updateSponsorBody = sponsorBody.partial().describe('Only the fields given change; null clears contactEmail or website.');
export type UpdateSponsorInput = z.infer<typeof updateSponsorBody>;

export const sponsorSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid().nullable().describe('The sponsor account, null when the sponsor has none'),
    companyName: z.string(),
    sector: z.string(),
    contactName: z.string(),
    contactEmail: z.string().nullable(),
    website: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Sponsor' });
export type SponsorDto = z.infer<typeof sponsorSchema>;

export const createdSponsorSchema = sponsorSchema
  .extend({
    account: z
      .object({ user: userSchema, temporaryPassword: z.string().describe('Shown once: it is not stored in clear and cannot be read again') })
      .nullable()
      .describe('The account created with the sponsor (body.account), else null'),
  })
  .meta({ id: 'CreatedSponsor' });
export type CreatedSponsorDto = z.infer<typeof createdSponsorSchema>;
export const sponsorListResponse = z.object({ items: z.array(sponsorSchema).describe('By company name') });

export const sponsorPackageSchema = z
  .object({
    code: z.enum(SPONSOR_PACKAGES),
    name: z.string(),
    priceCents: z.number().int(),
    sectorExclusive: z.boolean().describe('The category package: one per sector in a villa'),
    deliverables: promisedMap,
    position: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SponsorPackage' });
export type SponsorPackageDto = z.infer<typeof sponsorPackageSchema>;
export const sponsorPackageListResponse = z.object({ items: z.array(sponsorPackageSchema).describe('By position') });

export const updatePackageBody = z
  .strictObject({
    name: z.string().trim().min(1, 'Name is required').max(120),
    priceCents: z.number().int('Give an amount in integer cents').min(0).max(1_000_000_000),
    deliverables: promisedMap,
  })
  .partial()
  .describe('Only the fields given change. Existing deals keep their price and promised deliverables.');
export type UpdatePackageInput = z.infer<typeof updatePackageBody>;

export const createSponsorshipBody = z.strictObject({
  packageCode: z.enum(SPONSOR_PACKAGES),
  sponsorId: z.uuid().optional().describe('Required for the team; a sponsor account buys for its own company (left out, or its own id)'),
  exclusiveSector: sector.optional().describe("Only for a sector-exclusive (category) package; defaults to the sponsor's sector"),
});
export type CreateSponsorshipInput = z.infer<typeof createSponsorshipBody>;

const deliverableSchema = z.object({
  metric,
  promised: z.number(),
  delivered: z.number().describe('Sum of the delivery records'),
  percent: z.number().nullable().describe('delivered / promised × 100, one decimal, may pass 100; null when 0 is promised'),
});

export const sponsorshipSchema = z
  .object({
    id: z.uuid(),
    villa: z.object({ id: z.uuid(), name: z.string(), place: z.string(), arrivalOn: z.string().describe('J-1'), endsOn: z.string().describe('J7') }),
    sponsor: z.object({ id: z.uuid(), companyName: z.string(), sector: z.string() }),
    packageCode: z.enum(SPONSOR_PACKAGES),
    packageName: z.string(),
    priceCents: z.number().int().describe('Copied from the catalogue when bought'),
    exclusiveSector: z.string().nullable(),
    status: z.enum(SPONSORSHIP_STATUSES),
    createdAt: z.string(),
    cancelledAt: z.string().nullable(),
    deliverables: z.array(deliverableSchema),
  })
  .meta({ id: 'Sponsorship' });
export type SponsorshipDto = z.infer<typeof sponsorshipSchema>;
export const sponsorshipListResponse = z.object({ items: z.array(sponsorshipSchema).describe('Newest first') });

export const replaceDeliverablesBody = z.strictObject({ deliverables: promisedMap });
export type ReplaceDeliverablesInput = z.infer<typeof replaceDeliverablesBody>;

export const deliveryBody = z.strictObject({
  metric,
  amount,
  occurredAt: z.iso.datetime({ offset: true, message: 'Give an ISO date-time' }),
  note: z.string().trim().max(1000).optional(),
});
export type DeliveryInput = z.infer<typeof deliveryBody>;

export const deliveryRecordSchema = z
  .object({
    id: z.uuid(),
    metric,
    amount: z.number(),
    occurredAt: z.string(),
    source: z.enum(['manual', 'stream']),
    note: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'DeliveryRecord' });
export type DeliveryRecordDto = z.infer<typeof deliveryRecordSchema>;

export const sponsorReportSchema = z
  .object({
    sponsorship: sponsorshipSchema,
    timeZone: z.string(),
    final: z.boolean().describe('True from finalFrom on; before, the report is live'),
    finalFrom: z.string().describe("Local midnight (villa time zone) starting arrivalOn + 38 days: 30 days after the villa's end (end of J7)"),
    generatedAt: z.string(),
    days: z
      .array(
        z.object({
          day: z.number().int().describe('0 = J-1 … 7 = J7, 8 = after J7'),
          label: z.string(),
          date: z.string().nullable(),
          delivered: promisedMap.describe('Cumulative delivered per metric up to the end of that day (villa time zone)'),
        }),
      )
      .describe('Progress per villa day; deliveries before J-1 count on J-1'),
  })
  .meta({ id: 'SponsorReport' });
export type SponsorReportDto = z.infer<typeof sponsorReportSchema>;
