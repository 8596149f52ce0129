import { z } from 'zod';
import { CHANNELS, NOTIFICATION_KINDS } from '@mona/shared';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const templateParams = z.strictObject({ id: z.uuid() });

const contentInput = z.strictObject({
  subject: z.string().trim().max(200).default('').describe('Email subject, push or in-app title; unused for SMS'),
  body: z.string().trim().min(1, 'The text is required').max(20_000).describe('Handlebars variables such as {{name}}; Markdown for email'),
});
const contentsInput = z.strictObject({ fr: contentInput, en: contentInput }).describe('The wording in French and in English');

export const createTemplateBody = z.strictObject({
  code: z
    .string()
    .trim()
    .min(3)
    .max(120)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Lower-case letters, digits, dots, dashes and underscores, e.g. promo.spring.email'),
  channel: z.enum(CHANNELS),
  kind: z
    .enum(['activity', 'marketing'])
    .describe('marketing: needs consent, sent in the send windows, with an unsubscribe link; activity: on unless the person turned the channel off'),
  name: z.string().trim().min(1, 'Name is required').max(200),
  contents: contentsInput,
});
export type CreateTemplateInput = z.infer<typeof createTemplateBody>;

export const updateTemplateBody = z.strictObject({
  name: z.string().trim().min(1, 'Name is required').max(200),
  contents: contentsInput,
});
export type UpdateTemplateInput = z.infer<typeof updateTemplateBody>;

const contentSchema = z.object({ subject: z.string(), body: z.string() });

export const templateSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    channel: z.enum(CHANNELS),
    kind: z.enum(NOTIFICATION_KINDS),
    name: z.string(),
    contents: z.object({ fr: contentSchema.nullable(), en: contentSchema.nullable() }),
    usedBy: z.array(z.object({ id: z.uuid(), name: z.string() })).describe('Sequences with a step using it'),
    updatedAt: z.string(),
  })
  .meta({ id: 'NotificationTemplate' });
export type TemplateDto = z.infer<typeof templateSchema>;

export const listTemplatesQuery = z.strictObject({ channel: z.enum(CHANNELS).optional() });
export const templateListResponse = z.object({ items: z.array(templateSchema).describe('Ordered by code') });

export const previewBody = z.strictObject({
  locale: z.enum(LOCALES),
  artistId: z.uuid().optional().describe("Render with this artist's name; an example name otherwise"),
  subject: z.string().max(200).optional().describe('Unsaved wording to preview instead of the stored one'),
  body: z.string().max(20_000).optional(),
});
export type PreviewInput = z.infer<typeof previewBody>;

export const previewSchema = z
  .object({
    channel: z.enum(CHANNELS),
    kind: z.enum(NOTIFICATION_KINDS),
    locale: z.enum(LOCALES),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable().describe('Email only'),
  })
  .meta({ id: 'NotificationTemplatePreview' });
export type PreviewDto = z.infer<typeof previewSchema>;
