import { metricsBody, ratingsBody } from '../../modules/scoring/scoring.schemas.ts';
import { backdateLatestScoringEvent } from '../backdate.ts';
import { METRIC_WEEKS, type SnapshotPlan } from '../data.ts';
import type { DemoArtist, Seed, SeedStep } from '../types.ts';

const HOUR_MS = 3_600_000;
/** The metrics arrive month by month (about 4 weeks of snapshots at a time), so the score history shows the growth. */
const METRIC_BATCHES = 6;

type Operation = { at: Date; kind: 'metrics'; snapshots: SnapshotPlan[] } | { at: Date; kind: 'ratings' };

function operations(artist: DemoArtist): Operation[] {
  const { snapshots, ratings } = artist.plan;
  const times = [...new Set(snapshots.map((s) => s.capturedAt.getTime()))].sort((a, b) => a - b);
  const ops: Operation[] = [];
  let start = 0;
  for (let batch = 1; batch <= METRIC_BATCHES; batch++) {
    const end = Math.round((batch * METRIC_WEEKS) / METRIC_BATCHES);
    const weeks = new Set(times.slice(start, end));
    start = end;
    if (weeks.size === 0) continue;
    const last = Math.max(...weeks);
    ops.push({ kind: 'metrics', at: new Date(last + 3 * HOUR_MS), snapshots: snapshots.filter((s) => weeks.has(s.capturedAt.getTime())) });
  }
  if (ratings) ops.push({ kind: 'ratings', at: ratings.at });
  return ops.sort((a, b) => a.at.getTime() - b.at.getTime());
}

async function apply(seed: Seed, artist: DemoArtist, op: Operation): Promise<boolean> {
  const { scoring } = seed.ctx.services;
  const caller = seed.caller(artist.plan.assignee);
  if (op.kind === 'metrics') {
    const body = metricsBody.parse({ snapshots: op.snapshots.map((s) => ({ ...s, capturedAt: s.capturedAt.toISOString() })) });
    const result = await scoring.ingestMetrics(caller, artist.id, body.snapshots);
    return result.changed;
  }
  const { values, reason } = artist.plan.ratings!;
  const result = await scoring.rate(caller, artist.id, ratingsBody.parse({ ...values, reason }));
  return result.changed;
}

/**
 * Six months of weekly metrics per platform and the team's check-up ratings,
 * in the order they happened, through the scoring service: it computes every
 * score, tier and scoring event. Rerun, the same numbers change nothing.
 */
export const scoresStep: SeedStep = {
  name: 'metrics and scores',
  async run(seed) {
    const { db } = seed.ctx.platform.database;
    for (const artist of seed.state.artists) {
      for (const op of operations(artist)) {
        if (await apply(seed, artist, op)) {
          await backdateLatestScoringEvent(db, artist.id, op.at);
          seed.count('scoring events');
        }
      }
    }
  },
};
