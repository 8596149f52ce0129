import { ARTIST_ACCOUNT_EMAIL, PORTAL_ARTIST } from '../data.ts';
import type { SeedStep } from '../types.ts';
import { ensureAccount } from './accounts.ts';

/** An artist account linked to one demo artist, to show the artist portal (own record, score and its history). */
export const artistAccountStep: SeedStep = {
  name: 'artist account',
  async run(seed) {
    const artist = seed.state.artists.find((a) => a.plan.n === PORTAL_ARTIST) ?? seed.state.artists[0];
    if (!artist) return;
    const account = await ensureAccount(seed, { email: ARTIST_ACCOUNT_EMAIL, name: artist.plan.stageName, role: 'artist' });
    seed.state.artistAccount = account;
    const linked = await seed.ctx.services.artists.get(seed.caller(), artist.id);
    if (linked.userId === account.id) return;
    await seed.ctx.services.artists.linkUser(seed.caller(), artist.id, account.id);
    seed.count('account links');
  },
};
