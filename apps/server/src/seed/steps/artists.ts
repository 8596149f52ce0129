import { inArray } from 'drizzle-orm';
import { artists } from '../../modules/artists/artists.tables.ts';
import { createArtistBody } from '../../modules/artists/artists.schemas.ts';
import { backdateArtistCreation } from '../backdate.ts';
import { planArtist } from '../data.ts';
import type { SeedStep } from '../types.ts';

/** The artist records, created through the artists service (validated as the API validates them), found by their demo email on a rerun. */
export const artistsStep: SeedStep = {
  name: 'artists',
  async run(seed) {
    const { db } = seed.ctx.platform.database;
    const plans = Array.from({ length: seed.options.size }, (_, i) => planArtist(i + 1, seed.state.anchor));
    const found = await db
      .select({ id: artists.id, email: artists.email })
      .from(artists)
      .where(
        inArray(
          artists.email,
          plans.map((p) => p.email),
        ),
      );
    const byEmail = new Map(found.map((r) => [r.email, r.id]));
    for (const plan of plans) {
      const existing = byEmail.get(plan.email);
      if (existing) {
        seed.state.artists.push({ plan, id: existing, created: false });
        continue;
      }
      const input = createArtistBody.parse({
        stageName: plan.stageName,
        genres: plan.genres,
        city: plan.city,
        bio: plan.bio,
        email: plan.email,
        phone: plan.phone,
        links: plan.links,
        consentMarketing: plan.consentMarketing,
        consentAnalytics: plan.consentAnalytics,
        ...(plan.ndaSignedAt ? { ndaSignedAt: plan.ndaSignedAt.toISOString() } : {}),
        ...(plan.assignee !== null ? { assigneeId: seed.state.staff[plan.assignee]!.id } : {}),
      });
      const created = await seed.ctx.services.artists.create(seed.caller(plan.assignee), input);
      await backdateArtistCreation(db, created.id, plan.createdAt, plan.consentMarketing || plan.consentAnalytics);
      seed.count('artists');
      seed.count('pipeline moves');
      seed.state.artists.push({ plan, id: created.id, created: true });
    }
  },
};
