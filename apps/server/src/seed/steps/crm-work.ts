import { PIPELINE_STAGES } from '@mona/shared';
import { count, eq } from 'drizzle-orm';
import { interactions } from '../../modules/interactions/interactions.tables.ts';
import { orders } from '../../modules/offers/offers.tables.ts';
import { opportunities } from '../../modules/opportunities/opportunities.tables.ts';
import type { Db } from '../../platform/db/client.ts';
import type { SeedStep } from '../types.ts';

const DAY_MS = 86_400_000;

async function has(db: Db, table: typeof interactions | typeof opportunities | typeof orders, artistId: string): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(table).where(eq(table.artistId, artistId));
  return row!.n > 0;
}

/**
 * The team's work around the demo artists, through the real services: a contact
 * on the timeline of every artist past prospect (the latest with a next action due
 * in the coming days, so the tasks board and the calendar have follow-ups), deals
 * for artists from prescription on, and MONA orders for those in execution or
 * retention. An artist who already has rows of a kind is left as they are.
 */
export const crmWorkStep: SeedStep = {
  name: 'interactions, tasks, opportunities, orders',
  async run(seed) {
    const { db } = seed.ctx.platform.database;
    const offers = await seed.ctx.services.offers.listOffers(seed.caller(), false);
    const offer = (code: string) => offers.find((o) => o.code === code);
    const today = Date.now();

    for (const artist of seed.state.artists) {
      const { plan } = artist;
      const stageIndex = PIPELINE_STAGES.indexOf(plan.stage);
      if (stageIndex < 1) continue;
      const caller = seed.caller(plan.assignee);
      const assigneeId = caller.id;

      if (!(await has(db, interactions, artist.id))) {
        const firstMove = plan.moves[0]?.at ?? plan.createdAt;
        await seed.ctx.services.interactions.create(caller, artist.id, {
          kind: 'call',
          occurredAt: new Date(firstMove.getTime() - 2 * DAY_MS).toISOString(),
          summary: `Premier appel avec ${plan.stageName} : parcours, objectifs, réseaux.`,
          outcome: 'Intéressé·e par le check-up MONA 290.',
          assigneeId,
        });
        const active = plan.stage !== 'retention';
        await seed.ctx.services.interactions.create(caller, artist.id, {
          kind: stageIndex >= 2 ? 'meeting' : 'email',
          occurredAt: new Date(today - ((plan.n % 6) + 1) * DAY_MS).toISOString(),
          summary: stageIndex >= 2 ? `Point d'étape sur la prescription de ${plan.stageName}.` : `Envoi du questionnaire d'audit à ${plan.stageName}.`,
          outcome: 'À relancer',
          ...(active
            ? {
                nextAction: stageIndex >= 2 ? 'Envoyer le plan de carrière révisé' : 'Relancer pour le questionnaire',
                nextActionDueAt: new Date(today + ((plan.n % 9) + 1) * DAY_MS).toISOString(),
              }
            : {}),
          assigneeId,
        });
        seed.count('interactions', 2);
      }

      if (stageIndex >= 2 && !(await has(db, opportunities, artist.id))) {
        const closed = stageIndex >= 3;
        await seed.ctx.services.opportunities.create(caller, artist.id, {
          title: closed ? `Accompagnement MONA 390 – ${plan.stageName}` : `Proposition MONA 490+ – ${plan.stageName}`,
          valueCents: closed ? 39_000 : 49_000 + (plan.n % 4) * 10_000,
          stage: closed ? 'won' : plan.n % 2 ? 'proposal' : 'negotiation',
          expectedCloseOn: new Date(today + ((plan.n % 5) + 2) * 7 * DAY_MS).toISOString().slice(0, 10),
          notes: closed ? 'Signé après le check-up.' : 'En attente du retour sur le devis.',
        });
        seed.count('opportunities');
      }

      const checkup = offer('mona-290');
      const coaching = offer('mona-390');
      if (stageIndex >= 3 && checkup && coaching && !(await has(db, orders, artist.id))) {
        for (const [item, final] of [
          [checkup, 'fulfilled'],
          [coaching, plan.stage === 'retention' ? 'fulfilled' : 'paid'],
        ] as const) {
          const order = await seed.ctx.services.offers.createOrder(caller, { artistId: artist.id, offerId: item.id });
          await seed.ctx.services.offers.transition(caller, order.id, { to: 'paid', reason: 'Virement reçu' });
          if (final === 'fulfilled') await seed.ctx.services.offers.transition(caller, order.id, { to: 'fulfilled' });
          seed.count('orders');
        }
      }
    }
  },
};
