import { STAFF_ACCOUNTS, weekStart } from '../data.ts';
import type { DemoAccount, Seed, SeedStep } from '../types.ts';

/** The demo team: three staff accounts; the first is the one to sign in with, the others are assignees. */
export const accountsStep: SeedStep = {
  name: 'staff accounts',
  async run(seed) {
    for (const account of STAFF_ACCOUNTS) {
      seed.state.staff.push(await ensureAccount(seed, { ...account, role: 'staff' }));
    }
    const [first] = seed.state.staff;
    const row = await seed.ctx.repos.users.findById(first!.id);
    // The timeline hangs from the week the demo team was created: a rerun, even months later, replays the same dates.
    seed.state.anchor = weekStart(row!.createdAt);
  },
};

/** Finds the account by email, or creates it through the users service. */
export async function ensureAccount(seed: Seed, account: { email: string; name: string; role: DemoAccount['role'] }): Promise<DemoAccount> {
  const existing = await seed.ctx.repos.users.findByEmail(account.email);
  if (existing) {
    if (existing.role !== account.role) throw new Error(`${account.email} exists with the role ${existing.role}, not ${account.role}`);
    return { id: existing.id, email: existing.email, name: existing.name, role: account.role, password: null };
  }
  const { user } = await seed.ctx.services.users.create('cli', { ...account, password: seed.options.password });
  seed.count('users');
  return { id: user.id, email: user.email, name: user.name, role: account.role, password: seed.options.password };
}
