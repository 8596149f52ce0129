import { z } from 'zod';
import { APPLICATION_STATUSES, JURY_CRITERIA, JURY_CRITERION_MAX, TIERS, VILLA_STATUSES, type JuryCriterion } from '@mona/shared';

export const idParams = z.strictObject({ id: z.uuid() });

const status = z.enum(APPLICATION_STATUSES);
const httpUrl = z.url({ protocol: /^https?$/, message: 'Give an http or https link' }).max(500);

export const applyBody = z.strictObject({
  artistId: z
    .uuid()
    .optional()
    .describe('The artist applied for: the team names one; an artist applies for their own record (leave it out or give their own id)'),
  motivation: z.string().trim().min(30, 'Tell the committee a little more: at least 30 characters').max(5000, 'At most 5000 characters'),
  portfolioLinks: z.array(httpUrl).max(10, 'At most 10 links').default([]),
  genre: z
    .string()
    .trim()
    .min(1, 'Choose the genre you apply under')
    .max(40)
    .transform((g) => g.toLowerCase())
    .describe("One of the artist's genres; the genre mix rule counts it"),
});
export type ApplyInput = z.infer<typeof applyBody>;

const criterion = z.number().int(`Give a whole number from 0 to ${JURY_CRITERION_MAX}`).min(0).max(JURY_CRITERION_MAX, `At most ${JURY_CRITERION_MAX}`);
const scoresShape = Object.fromEntries(JURY_CRITERIA.map((c) => [c, criterion])) as Record<JuryCriterion, typeof criterion>;
const juryScores = z.strictObject(scoresShape);

export const scoreBody = z.strictObject({
  scores: juryScores.describe(`Each criterion of the jury grid, 0–${JURY_CRITERION_MAX}`),
  comment: z.string().trim().max(2000).optional(),
});
export type ScoreInput = z.infer<typeof scoreBody>;

export const applicationTransitionBody = z.strictObject({
  to: status.describe(
    'pending → shortlisted | accepted | waitlisted | rejected; shortlisted → accepted | waitlisted | rejected; waitlisted → accepted | rejected; any but rejected → withdrawn',
  ),
  reason: z.string().trim().max(500).optional().describe('Kept as the decision reason'),
});
export type ApplicationTransitionInput = z.infer<typeof applicationTransitionBody>;

export const listApplicationsQuery = z.strictObject({ status: status.optional() });

const juryScoreSchema = z
  .object({
    juror: z.object({ id: z.uuid(), name: z.string() }),
    scores: z.object(Object.fromEntries(JURY_CRITERIA.map((c) => [c, z.number().int()])) as Record<JuryCriterion, z.ZodNumber>),
    total: z.number().describe('Sum of the criteria'),
    comment: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'JuryScore' });
export type JuryScoreDto = z.infer<typeof juryScoreSchema>;

export const applicationSchema = z
  .object({
    id: z.uuid(),
    villaId: z.uuid(),
    villaName: z.string(),
    artistId: z.uuid(),
    artistName: z.string().describe("The artist's stage name"),
    genre: z.string(),
    motivation: z.string(),
    portfolioLinks: z.array(z.string()),
    status,
    scoreAtApplication: z.number().int().describe('MONA score when applying'),
    tierAtApplication: z.enum(TIERS),
    sparkReady: z.boolean().describe('SPARK-ready when applying: listed first for the committee'),
    decisionReason: z.string(),
    decidedAt: z.string().nullable(),
    waitlistedAt: z.string().nullable().describe('When it joined the waiting list; the first waitlisted is promoted first'),
    createdAt: z.string(),
    updatedAt: z.string(),
    jury: z
      .object({
        scores: z.array(juryScoreSchema).describe("Each juror's scores"),
        meanTotal: z.number().nullable().describe('Mean of the jurors’ totals (2 decimals); null before any score'),
      })
      .nullable()
      .describe('The team only; null for the artist'),
  })
  .meta({ id: 'VillaApplication' });
export type ApplicationDto = z.infer<typeof applicationSchema>;

export const villaCallSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(VILLA_STATUSES),
    capacity: z.number().int(),
    maxPerGenre: z.number().int(),
    accepted: z.number().int().describe('Accepted applications (participants)'),
  })
  .meta({ id: 'VillaCall' });
export type VillaCallDto = z.infer<typeof villaCallSchema>;

export const villaApplicationsResponse = z.object({
  villa: villaCallSchema,
  items: z.array(applicationSchema).describe('SPARK-ready first, then by MONA score at application (highest first), then oldest first'),
});
export const applicationListResponse = z.object({ items: z.array(applicationSchema).describe('Newest first') });

export const participantSchema = z
  .object({
    applicationId: z.uuid(),
    artistId: z.uuid(),
    stageName: z.string(),
    genre: z.string(),
    tier: z.enum(TIERS).nullable().describe("The artist's current tier; null when a fellow participant reads the list"),
    acceptedAt: z.string().nullable(),
  })
  .meta({ id: 'VillaParticipant' });
export type ParticipantDto = z.infer<typeof participantSchema>;
export const participantsResponse = z.object({ villa: villaCallSchema, items: z.array(participantSchema).describe('First accepted first') });
