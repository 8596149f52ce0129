import { z } from 'zod';
import { PIPELINE_STAGES, PLATFORMS, TIERS, type Platform } from '@mona/shared';
import { emailSchema } from '../users/users.schemas.ts';

export const artistParams = z.strictObject({ id: z.uuid() });

const isoDateTime = z.iso.datetime({ offset: true });
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const MAX_GENRES = 5;

/** Genres are matched exactly by the `genre` filter, so they are stored trimmed and lower-cased, without repeats. */
export const genresSchema = z
  .array(z.string().trim().min(1, 'A genre cannot be empty').max(40))
  .max(MAX_GENRES, `At most ${MAX_GENRES} genres`)
  .transform((genres) => [...new Set(genres.map((g) => g.toLowerCase()))]);

export const linkSchema = z
  .strictObject({
    handle: z.string().trim().min(1).max(100).optional(),
    url: z
      .url({ protocol: /^https?$/, message: 'Enter an http(s) URL' })
      .max(500)
      .optional(),
  })
  .refine((link) => link.handle !== undefined || link.url !== undefined, 'Give a handle, a URL or both');
export type LinkInput = z.infer<typeof linkSchema>;

/** One optional entry per platform, typed key by key so the SDK gets named fields. */
export const linksSchema = z
  .strictObject(Object.fromEntries(PLATFORMS.map((p) => [p, linkSchema.optional()])) as Record<Platform, z.ZodOptional<typeof linkSchema>>)
  .describe('Handle and/or URL per platform');
export type LinksInput = z.infer<typeof linksSchema>;

// Phone numbers come in every national format; only the characters are checked.
const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{5,30}$/, 'Enter a phone number (digits, spaces, + . - ( ))');

/** Fields the team edits; shared by create, PATCH and each CSV import row. */
const editableFields = {
  stageName: z.string().trim().min(1, 'Stage name is required').max(120),
  genres: genresSchema,
  city: optionalText(120),
  bio: z.string().trim().max(5000),
  email: emailSchema.nullable(),
  phone: phoneSchema.nullable(),
  links: linksSchema,
  consentMarketing: z.boolean(),
  consentAnalytics: z.boolean(),
  ndaSignedAt: isoDateTime.nullable(),
  assigneeId: z.uuid().nullable().describe('A staff or admin account'),
};

export const createArtistBody = z.strictObject({
  ...editableFields,
  genres: editableFields.genres.optional(),
  city: editableFields.city,
  bio: editableFields.bio.optional(),
  email: editableFields.email.optional(),
  phone: editableFields.phone.optional(),
  links: editableFields.links.optional(),
  consentMarketing: editableFields.consentMarketing.optional(),
  consentAnalytics: editableFields.consentAnalytics.optional(),
  ndaSignedAt: editableFields.ndaSignedAt.optional(),
  assigneeId: editableFields.assigneeId.optional(),
  stage: z.enum(PIPELINE_STAGES).optional().describe('Entry stage; prospect when left out'),
});
export type CreateArtistInput = z.infer<typeof createArtistBody>;

// The stage is not here: it changes only through POST /api/artists/:id/stage, which applies the pipeline rules.
export const updateArtistBody = z
  .strictObject(editableFields)
  .partial()
  .describe('Only the fields given change; `links` replaces the whole set of links; null clears a field');
export type UpdateArtistInput = z.infer<typeof updateArtistBody>;

/** What an artist may change on their own record. */
export const updateOwnArtistBody = z
  .strictObject({ links: linksSchema, consentMarketing: z.boolean(), consentAnalytics: z.boolean() })
  .partial()
  .describe('An artist changes only their links (the whole set) and consent flags');
export type UpdateOwnArtistInput = z.infer<typeof updateOwnArtistBody>;

export const linkUserBody = z.strictObject({ userId: z.uuid().describe('An account with the artist role') });

export const ARTIST_SORTS = ['createdAt', 'stageName', 'score'] as const;
export type ArtistSort = (typeof ARTIST_SORTS)[number];

const filterFields = {
  stage: z.enum(PIPELINE_STAGES).optional(),
  tier: z.enum(TIERS).optional(),
  genre: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .transform((g) => g.toLowerCase())
    .optional(),
  city: z.string().trim().min(1).max(120).optional().describe('Case-insensitive exact match'),
  assigneeId: z.uuid().optional(),
  q: z.string().max(200).optional().describe('Words matched as prefixes against stage name and bio, all required'),
  archived: z.enum(['false', 'true', 'all']).default('false').describe('false (default): active artists only'),
  sort: z.enum(ARTIST_SORTS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
};

export const listArtistsQuery = z.strictObject({
  ...filterFields,
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1000).optional().describe('nextCursor of the previous page, with the same filters and sort'),
});
export type ListArtistsQuery = z.infer<typeof listArtistsQuery>;
export type ArtistFilters = Omit<ListArtistsQuery, 'limit' | 'cursor'>;

export const exportArtistsQuery = z.strictObject(filterFields);

export const artistSchema = z
  .object({
    id: z.uuid(),
    stageName: z.string(),
    genres: z.array(z.string()),
    city: z.string().nullable(),
    bio: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    links: z.object(Object.fromEntries(PLATFORMS.map((p) => [p, z.object({ handle: z.string().optional(), url: z.string().optional() }).optional()]))),
    consentMarketing: z.boolean(),
    consentAnalytics: z.boolean(),
    consentUpdatedAt: z.string().nullable().describe('When a consent flag last changed'),
    ndaSignedAt: z.string().nullable(),
    stage: z.enum(PIPELINE_STAGES),
    stageChangedAt: z.string(),
    assigneeId: z.uuid().nullable(),
    userId: z.uuid().nullable().describe('The linked artist account, if any'),
    scoreTotal: z.number().int(),
    tier: z.enum(TIERS),
    createdAt: z.string(),
    updatedAt: z.string(),
    archivedAt: z.string().nullable(),
  })
  .meta({ id: 'Artist' });
export type ArtistDto = z.infer<typeof artistSchema>;

export const artistListResponse = z.object({
  items: z.array(artistSchema),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
});

/** The import body is large by nature; its route alone accepts up to this many bytes. */
export const IMPORT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;

export const importArtistsBody = z.strictObject({
  csv: z
    .string()
    .min(1)
    .describe(
      `CSV text with a header row, as GET /api/artists/export.csv writes it (request body up to ${IMPORT_BODY_LIMIT_BYTES / 1024 / 1024} MiB, ${IMPORT_MAX_ROWS} rows)`,
    ),
});
export const importArtistsResponse = z.object({
  imported: z.number().int(),
  errors: z.array(z.object({ line: z.number().int().describe('Line of the CSV where the row starts; the header is line 1'), reason: z.string() })),
});
