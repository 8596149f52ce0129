import { z } from 'zod';
import { PIPELINE_STAGES, TIERS } from '@mona/shared';
import { artistSchema } from '../artists/artists.schemas.ts';

const stage = z.enum(PIPELINE_STAGES);
const isoDateTime = z.iso.datetime({ offset: true });

export const moveStageBody = z.strictObject({
  to: stage.describe('The next stage, or any earlier one'),
  reason: z.string().trim().max(500).optional().describe('Kept in the stage history'),
});

export const stageMoveSchema = z
  .object({
    id: z.uuid(),
    artistId: z.uuid(),
    fromStage: stage.nullable().describe('null for the entry into the pipeline'),
    toStage: stage,
    reason: z.string(),
    movedAt: z.string(),
    movedBy: z.object({ id: z.uuid(), name: z.string() }).nullable().describe('null when the account was deleted'),
  })
  .meta({ id: 'StageMove' });
export type StageMoveDto = z.infer<typeof stageMoveSchema>;

export const moveStageResponse = z.object({ artist: artistSchema, move: stageMoveSchema });
export const stageHistoryResponse = z.object({ moves: z.array(stageMoveSchema).describe('Newest first') });

export const boardQuery = z.strictObject({
  perStage: z.coerce.number().int().min(1).max(500).default(200).describe('Cards per column; `total` gives the full count'),
});

export const boardCardSchema = z.object({
  id: z.uuid(),
  stageName: z.string(),
  tier: z.enum(TIERS),
  scoreTotal: z.number().int(),
  assigneeId: z.uuid().nullable(),
  stageChangedAt: z.string(),
});

export const boardResponse = z
  .object({
    columns: z.array(
      z.object({
        stage,
        total: z.number().int().describe('Active artists in the stage, beyond the cards shown too'),
        artists: z.array(boardCardSchema).describe('Most recently moved first'),
      }),
    ),
  })
  .meta({ id: 'PipelineBoard' });

export const statsQuery = z
  .strictObject({
    from: isoDateTime.optional().describe('Start of the period, inclusive; default 90 days before `to`'),
    to: isoDateTime.optional().describe('End of the period, exclusive; default now'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });

export const statsResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    counts: z.array(z.object({ stage, count: z.number().int() })).describe('Active artists in each stage now'),
    conversions: z
      .array(
        z.object({
          fromStage: stage,
          toStage: stage,
          inStage: z.number().int().describe('Distinct artists in fromStage at some time in the period'),
          converted: z.number().int().describe('Distinct artists moved fromStage → toStage in the period'),
          rate: z.number().nullable().describe('converted ÷ inStage, 0–1; null when inStage is 0'),
        }),
      )
      .describe('Between consecutive stages'),
    timeInStage: z
      .array(
        z.object({
          stage,
          medianHours: z.number().nullable().describe('null without a completed stay in the period'),
          samples: z.number().int().describe('Completed stays measured'),
        }),
      )
      .describe('Stays whose entering and leaving moves both fall in the period'),
  })
  .meta({ id: 'PipelineStats' });
export type PipelineStatsDto = z.infer<typeof statsResponse>;
