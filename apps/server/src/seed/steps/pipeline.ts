import { and, count, eq, isNotNull } from 'drizzle-orm';
import { pipelineMoves } from '../../modules/pipeline/pipeline.tables.ts';
import { backdateMove } from '../backdate.ts';
import type { SeedStep } from '../types.ts';

/**
 * Each artist's path through the pipeline, one move at a time through the
 * pipeline service (its rules, history and stage-change events). On a rerun,
 * the moves already made are counted and only the rest are made.
 */
export const pipelineStep: SeedStep = {
  name: 'pipeline moves',
  async run(seed) {
    const { db } = seed.ctx.platform.database;
    for (const artist of seed.state.artists) {
      const [done] = await db
        .select({ n: count() })
        .from(pipelineMoves)
        .where(and(eq(pipelineMoves.artistId, artist.id), isNotNull(pipelineMoves.fromStage)));
      for (const move of artist.plan.moves.slice(done!.n)) {
        const result = await seed.ctx.services.pipeline.move(seed.caller(artist.plan.assignee), artist.id, { to: move.to, reason: move.reason });
        await backdateMove(db, artist.id, result.move.id, move.at);
        seed.count('pipeline moves');
      }
    }
  },
};
