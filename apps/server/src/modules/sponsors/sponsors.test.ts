import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { bearer, register, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { streams } from '../streams/streams.tables.ts';
import { villas } from '../villas/villas.tables.ts';
import { addDays, localDate } from './report.ts';
import type { SponsorsRepository } from './sponsors.repository.ts';
import { SponsorsService } from './sponsors.service.ts';
import { deliveryRecords } from './sponsors.tables.ts';

interface SponsorJson {
  id: string;
  userId: string | null;
  companyName: string;
  sector: string;
  contactName: string;
  contactEmail: string | null;
  website: string | null;
}
interface CreatedSponsorJson extends SponsorJson {
  account: { user: { id: string; email: string; name: string; role: string }; temporaryPassword: string } | null;
}
interface DeliverableJson {
  metric: string;
  promised: number;
  delivered: number;
  percent: number | null;
}
interface SponsorshipJson {
  id: string;
  villa: { id: string; name: string; place: string; arrivalOn: string; endsOn: string };
  sponsor: { id: string; companyName: string; sector: string };
  packageCode: string;
  priceCents: number;
  exclusiveSector: string | null;
  status: string;
  cancelledAt: string | null;
  deliverables: DeliverableJson[];
}
interface ReportJson {
  sponsorship: SponsorshipJson;
  final: boolean;
  finalFrom: string;
  days: { day: number; label: string; date: string | null; delivered: Record<string, number> }[];
}
interface ErrorJson {
  error: { code: string; message: string; details?: { issues?: { path: string }[]; reason?: string; availableFrom?: string } };
}

const today = () => localDate(new Date(), 'Europe/Paris');

describe('sponsors, packages, deals and the sponsor report', () => {
  let system: TestSystem;
  let admin: { accessToken: string };
  let staff: { accessToken: string };
  let expert: { accessToken: string };
  let artist: Awaited<ReturnType<typeof register>>;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string, payload?: unknown) =>
    system.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function villa(values: Partial<typeof villas.$inferInsert> = {}): Promise<string> {
    const [row] = await system.ctx.platform.database.db
      .insert(villas)
      .values({ name: 'Villa Sunset', place: 'Marseille', arrivalOn: today(), capacity: 10, status: 'open', ...values })
      .returning();
    return row!.id;
  }

  /** A sponsor account with its company profile. */
  async function sponsorAccount(companyName: string, sector: string) {
    const session = await register(system.app, 'sponsor');
    const res = await call('PUT', '/api/me/sponsor', session.accessToken, { companyName, sector, contactName: 'Alex' });
    assert.equal(res.statusCode, 201, res.body);
    return { ...session, sponsor: res.json<SponsorJson>() };
  }

  const buy = (token: string, villaId: string, body: Record<string, unknown>) => call('POST', `/api/villas/${villaId}/sponsorships`, token, body);

  before(async () => {
    system = await startTestSystem();
    admin = await signInAs(system, 'admin');
    staff = await signInAs(system, 'staff');
    expert = await signInAs(system, 'expert');
    artist = await register(system.app, 'artist');
  });
  after(async () => system.close());

  test('a sponsor account creates and edits its company profile; staff create and list sponsors', async () => {
    const session = await register(system.app, 'sponsor');
    assert.equal((await call('GET', '/api/me/sponsor', session.accessToken)).statusCode, 404);
    const bad = await call('PUT', '/api/me/sponsor', session.accessToken, { companyName: ' ', sector: 'x', website: 'not a url' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad
        .json<ErrorJson>()
        .error.details?.issues?.map((i) => i.path)
        .sort(),
      ['companyName', 'website'],
    );

    const created = await call('PUT', '/api/me/sponsor', session.accessToken, {
      companyName: 'Fizz Co',
      sector: ' Beverages ',
      contactName: 'Sam',
      contactEmail: 'sam@fizz.example',
      website: 'https://fizz.example',
    });
    assert.equal(created.statusCode, 201, created.body);
    const profile = created.json<SponsorJson>();
    assert.equal(profile.sector, 'beverages');
    assert.equal(profile.userId, session.user.id);
    const edited = await call('PUT', '/api/me/sponsor', session.accessToken, { companyName: 'Fizz & Co', sector: 'beverages' });
    assert.equal(edited.statusCode, 200);
    assert.equal(edited.json<SponsorJson>().id, profile.id);
    assert.equal(edited.json<SponsorJson>().companyName, 'Fizz & Co');
    assert.equal(edited.json<SponsorJson>().website, null);
    assert.equal((await call('GET', '/api/me/sponsor', session.accessToken)).json<SponsorJson>().companyName, 'Fizz & Co');
    assert.equal((await call('GET', '/api/me/sponsor', artist.accessToken)).statusCode, 403);
    assert.equal((await call('PUT', '/api/me/sponsor', staff.accessToken, { companyName: 'X', sector: 'y' })).statusCode, 403);

    // Staff: without an account, and linking an account (sponsor accounts only, once).
    const noAccount = await call('POST', '/api/sponsors', staff.accessToken, { companyName: 'Telco', sector: 'telecom' });
    assert.equal(noAccount.statusCode, 201, noAccount.body);
    assert.equal(noAccount.json<SponsorJson>().userId, null);
    const other = await register(system.app, 'sponsor');
    const linked = await call('POST', '/api/sponsors', staff.accessToken, { companyName: 'Linked', sector: 'bank', userId: other.user.id });
    assert.equal(linked.statusCode, 201);
    assert.equal((await call('GET', '/api/me/sponsor', other.accessToken)).json<SponsorJson>().companyName, 'Linked');
    assert.equal((await call('POST', '/api/sponsors', staff.accessToken, { companyName: 'Again', sector: 'bank', userId: other.user.id })).statusCode, 409);
    const notSponsor = await call('POST', '/api/sponsors', staff.accessToken, { companyName: 'A', sector: 'b', userId: artist.user.id });
    assert.equal(notSponsor.statusCode, 400);
    assert.deepEqual(
      notSponsor.json<ErrorJson>().error.details?.issues?.map((i) => i.path),
      ['userId'],
    );
    assert.equal((await call('POST', '/api/sponsors', session.accessToken, { companyName: 'A', sector: 'b' })).statusCode, 403);

    const list = await call('GET', '/api/sponsors', staff.accessToken);
    assert.equal(list.statusCode, 200);
    assert.ok(list.json<{ items: SponsorJson[] }>().items.some((s) => s.companyName === 'Telco'));
    assert.equal((await call('GET', `/api/sponsors/${profile.id}`, admin.accessToken)).json<SponsorJson>().companyName, 'Fizz & Co');
    assert.equal((await call('GET', `/api/sponsors/${crypto.randomUUID()}`, admin.accessToken)).statusCode, 404);
    assert.equal((await call('GET', '/api/sponsors', session.accessToken)).statusCode, 403);
  });

  test('staff create a sponsor with a login for its contact; the temporary password signs in to that company', async () => {
    const email = `Contact.${crypto.randomUUID().slice(0, 8)}@Sunbrew.Example`;
    const res = await call('POST', '/api/sponsors', staff.accessToken, {
      companyName: 'Sunbrew',
      sector: 'Beverages',
      website: 'https://sunbrew.example',
      account: { email, name: ' Maya Contact ' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json<CreatedSponsorJson>();
    assert.ok(created.account, 'the account is returned');
    assert.equal(created.account.user.email, email.toLowerCase());
    assert.equal(created.account.user.name, 'Maya Contact');
    assert.equal(created.account.user.role, 'sponsor');
    assert.equal(created.userId, created.account.user.id);
    assert.ok(created.account.temporaryPassword.length >= 20);
    assert.equal(JSON.stringify(created).includes('passwordHash'), false);
    // The contact defaults to the account.
    assert.equal(created.contactName, 'Maya Contact');
    assert.equal(created.contactEmail, email.toLowerCase());
    assert.equal(created.sector, 'beverages');

    // The contact signs in with the temporary password and finds the company.
    const login = await system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: created.account.temporaryPassword } });
    assert.equal(login.statusCode, 200, login.body);
    const session = login.json<{ accessToken: string; user: { role: string } }>();
    assert.equal(session.user.role, 'sponsor');
    const own = await call('GET', '/api/me/sponsor', session.accessToken);
    assert.equal(own.statusCode, 200);
    assert.equal(own.json<SponsorJson>().id, created.id);
    // The temporary password is returned once: the list and the sponsor carry no account secret.
    const listed = (await call('GET', '/api/sponsors', staff.accessToken)).json<{ items: SponsorJson[] }>().items.find((x) => x.id === created.id);
    assert.equal(listed?.userId, created.account.user.id);
    assert.equal(JSON.stringify(listed).includes(created.account.temporaryPassword), false);

    // Explicit contact fields win over the account's; without an account, account is null.
    const explicit = await call('POST', '/api/sponsors', admin.accessToken, {
      companyName: 'Moonbrew',
      sector: 'beverages',
      contactName: 'Front Desk',
      contactEmail: 'desk@moonbrew.example',
      account: { email: `owner.${crypto.randomUUID().slice(0, 8)}@moonbrew.example`, name: 'Owner' },
    });
    assert.equal(explicit.statusCode, 201, explicit.body);
    assert.equal(explicit.json<CreatedSponsorJson>().contactName, 'Front Desk');
    assert.equal(explicit.json<CreatedSponsorJson>().contactEmail, 'desk@moonbrew.example');
    const plain = await call('POST', '/api/sponsors', staff.accessToken, { companyName: 'No Login', sector: 'misc' });
    assert.equal(plain.statusCode, 201);
    assert.equal(plain.json<CreatedSponsorJson>().account, null);
    assert.equal(plain.json<CreatedSponsorJson>().userId, null);
  });

  test('creating a sponsor login: a taken email is 409 on account.email and nothing is created; bad input is 400; only the team', async () => {
    const sponsorsNamed = async (companyName: string) =>
      (await call('GET', '/api/sponsors', admin.accessToken)).json<{ items: SponsorJson[] }>().items.filter((x) => x.companyName === companyName);

    const taken = await call('POST', '/api/sponsors', staff.accessToken, {
      companyName: 'Taken Email Co',
      sector: 'misc',
      account: { email: artist.email.toUpperCase(), name: 'Someone' },
    });
    assert.equal(taken.statusCode, 409, taken.body);
    const error = taken.json<ErrorJson>().error;
    assert.equal(error.code, 'conflict');
    assert.deepEqual(
      error.details?.issues?.map((i) => i.path),
      ['account.email'],
    );
    assert.deepEqual(await sponsorsNamed('Taken Email Co'), [], 'no company without its login');
    const existing = await system.ctx.repos.users.findByEmail(artist.email);
    assert.equal(existing?.role, 'artist', 'the existing account is untouched');

    const both = await call('POST', '/api/sponsors', staff.accessToken, {
      companyName: 'Both Co',
      sector: 'misc',
      userId: artist.user.id,
      account: { email: `both.${crypto.randomUUID().slice(0, 8)}@example.com`, name: 'Both' },
    });
    assert.equal(both.statusCode, 400);
    assert.deepEqual(
      both.json<ErrorJson>().error.details?.issues?.map((i) => i.path),
      ['account'],
    );
    const invalid = await call('POST', '/api/sponsors', staff.accessToken, {
      companyName: 'Bad Co',
      sector: 'misc',
      account: { email: 'not-an-email', name: ' ' },
    });
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(
      invalid
        .json<ErrorJson>()
        .error.details?.issues?.map((i) => i.path)
        .sort(),
      ['account.email', 'account.name'],
    );
    assert.deepEqual(await sponsorsNamed('Both Co'), []);
    assert.deepEqual(await sponsorsNamed('Bad Co'), []);

    const sponsorSession = await register(system.app, 'sponsor');
    for (const token of [expert.accessToken, artist.accessToken, sponsorSession.accessToken]) {
      const email = `nope.${crypto.randomUUID().slice(0, 8)}@example.com`;
      const res = await call('POST', '/api/sponsors', token, { companyName: 'Nope Co', sector: 'misc', account: { email, name: 'Nope' } });
      assert.equal(res.statusCode, 403);
      assert.equal(await system.ctx.repos.users.findByEmail(email), undefined);
    }
    assert.deepEqual(await sponsorsNamed('Nope Co'), []);
  });

  test('two concurrent creations with one login email: one 201, one 409, one company', async () => {
    const email = `race.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const results = await Promise.all(
      ['Race One', 'Race Two'].map((companyName) =>
        call('POST', '/api/sponsors', staff.accessToken, { companyName, sector: 'racing', account: { email, name: companyName } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409]);
    const winner = results.find((r) => r.statusCode === 201)!.json<CreatedSponsorJson>();
    const loser = results.find((r) => r.statusCode === 409)!;
    assert.equal(loser.json<ErrorJson>().error.details?.issues?.[0]?.path, 'account.email');
    const items = (await call('GET', '/api/sponsors', staff.accessToken)).json<{ items: SponsorJson[] }>().items.filter((x) => x.sector === 'racing');
    assert.deepEqual(
      items.map((x) => x.id),
      [winner.id],
    );
    const login = await system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: winner.account!.temporaryPassword } });
    assert.equal(login.statusCode, 200);
  });

  test('service: a failure after the account is inserted rolls the account back', async () => {
    const { repos, services, platform } = system.ctx;
    // The company insert fails inside the transaction (a user id that does not exist breaks the foreign key).
    const failing = Object.create(repos.sponsors) as SponsorsRepository;
    failing.insertSponsor = (values, tx) => repos.sponsors.insertSponsor({ ...values, userId: crypto.randomUUID() }, tx);
    const service = new SponsorsService({ db: platform.database.db, repo: failing, users: repos.users, accounts: services.users });
    const email = `rollback.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const caller = { id: crypto.randomUUID(), role: 'staff' as const };
    await assert.rejects(service.createSponsor(caller, { companyName: 'Rollback Co', sector: 'misc', account: { email, name: 'Rolled Back' } }));
    assert.equal(await repos.users.findByEmail(email), undefined, 'no account without its company');
    assert.equal(
      (await repos.sponsors.listSponsors()).some((x) => x.companyName === 'Rollback Co'),
      false,
    );

    // The same input through the real service succeeds: the email was not left taken.
    const created = await services.sponsors.createSponsor(caller, { companyName: 'Rollback Co', sector: 'misc', account: { email, name: 'Rolled Back' } });
    assert.equal(created.account?.user.email, email);
    await assert.rejects(services.sponsors.createSponsor({ id: caller.id, role: 'expert' }, { companyName: 'X', sector: 'y' }), /Only the team/);
  });

  test('staff edit a sponsor company: only the fields given change; null clears; 404, 400 and 403', async () => {
    const created = (
      await call('POST', '/api/sponsors', staff.accessToken, { companyName: 'Edit Me', sector: 'food', contactName: 'Ana', website: 'https://a.example' })
    ).json<CreatedSponsorJson>();
    const url = `/api/sponsors/${created.id}`;
    const edited = await call('PATCH', url, staff.accessToken, { companyName: 'Edited', sector: ' Fine Food ', website: null });
    assert.equal(edited.statusCode, 200, edited.body);
    const body = edited.json<SponsorJson>();
    assert.deepEqual([body.companyName, body.sector, body.contactName, body.website], ['Edited', 'fine food', 'Ana', null]);
    assert.equal((await call('GET', url, staff.accessToken)).json<SponsorJson>().companyName, 'Edited');
    const unchanged = await call('PATCH', url, admin.accessToken, {});
    assert.equal(unchanged.statusCode, 200);
    assert.equal(unchanged.json<SponsorJson>().companyName, 'Edited');
    const bad = await call('PATCH', url, staff.accessToken, { companyName: ' ', website: 'nope' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad
        .json<ErrorJson>()
        .error.details?.issues?.map((i) => i.path)
        .sort(),
      ['companyName', 'website'],
    );
    assert.equal((await call('PATCH', `/api/sponsors/${crypto.randomUUID()}`, staff.accessToken, { companyName: 'Ghost' })).statusCode, 404);
    const sponsorSession = await register(system.app, 'sponsor');
    assert.equal((await call('PATCH', url, sponsorSession.accessToken, { companyName: 'Hijack' })).statusCode, 403);
    assert.equal((await call('GET', url, staff.accessToken)).json<SponsorJson>().companyName, 'Edited');
  });

  test('the catalogue: four seeded packages for anyone signed in; only an admin edits it', async () => {
    const res = await call('GET', '/api/sponsor-packages', artist.accessToken);
    assert.equal(res.statusCode, 200);
    const items = res.json<{ items: { code: string; priceCents: number; sectorExclusive: boolean; deliverables: Record<string, number> }[] }>().items;
    assert.deepEqual(
      items.map((p) => [p.code, p.priceCents, p.sectorExclusive]),
      [
        ['principal', 2_500_000, false],
        ['category', 1_500_000, true],
        ['activation', 800_000, false],
        ['event', 500_000, false],
      ],
    );
    assert.equal(items[2]!.deliverables.mentions, 12);
    assert.equal((await call('GET', '/api/sponsor-packages', '')).statusCode, 401);
    assert.equal((await call('PATCH', '/api/sponsor-packages/event', staff.accessToken, { priceCents: 1 })).statusCode, 403);
    const bad = await call('PATCH', '/api/sponsor-packages/event', admin.accessToken, { priceCents: 10.5, deliverables: { mentions: -1 } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad
        .json<ErrorJson>()
        .error.details?.issues?.map((i) => i.path)
        .sort(),
      ['deliverables.mentions', 'priceCents'],
    );
    assert.equal((await call('PATCH', '/api/sponsor-packages/gold', admin.accessToken, { priceCents: 1 })).statusCode, 400);
    const patched = await call('PATCH', '/api/sponsor-packages/event', admin.accessToken, {
      priceCents: 550_000,
      deliverables: { logo_hours: 4, mentions: 6 },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json<{ deliverables: unknown }>().deliverables, { logo_hours: 4, mentions: 6 });

    // A deal made now copies the new price and deliverables.
    const villaId = await villa();
    const { sponsor } = await sponsorAccount('Eventy', 'events');
    const deal = await buy(staff.accessToken, villaId, { packageCode: 'event', sponsorId: sponsor.id });
    assert.equal(deal.statusCode, 201, deal.body);
    assert.equal(deal.json<SponsorshipJson>().priceCents, 550_000);
    assert.deepEqual(
      deal.json<SponsorshipJson>().deliverables.map((d) => [d.metric, d.promised, d.delivered]),
      [
        ['logo_hours', 4, 0],
        ['mentions', 6, 0],
      ],
    );
  });

  test('buying: 4 sponsors a villa, one principal, one per category sector; cancelling frees the slot', async () => {
    const villaId = await villa({ name: 'Villa Rules' });
    const a = await sponsorAccount('Alpha Drinks', 'beverages');
    const b = await sponsorAccount('Beta Drinks', 'Beverages');
    const c = await sponsorAccount('Gamma Tel', 'telecom');
    const d = await sponsorAccount('Delta Bank', 'bank');
    const e = await sponsorAccount('Echo Cars', 'cars');

    assert.equal((await buy(artist.accessToken, villaId, { packageCode: 'event' })).statusCode, 403);
    assert.equal((await buy(expert.accessToken, villaId, { packageCode: 'event' })).statusCode, 403);
    const noProfile = await register(system.app, 'sponsor');
    assert.equal((await buy(noProfile.accessToken, villaId, { packageCode: 'event' })).statusCode, 409);
    assert.equal((await buy(a.accessToken, villaId, { packageCode: 'gold' })).statusCode, 400);
    assert.equal((await buy(a.accessToken, crypto.randomUUID(), { packageCode: 'event' })).statusCode, 404);
    assert.equal((await buy(a.accessToken, villaId, { packageCode: 'event', sponsorId: b.sponsor.id })).statusCode, 403);
    const noSponsor = await buy(staff.accessToken, villaId, { packageCode: 'event' });
    assert.equal(noSponsor.statusCode, 400);
    assert.deepEqual(
      noSponsor.json<ErrorJson>().error.details?.issues?.map((i) => i.path),
      ['sponsorId'],
    );
    const notExclusive = await buy(a.accessToken, villaId, { packageCode: 'event', exclusiveSector: 'x' });
    assert.equal(notExclusive.statusCode, 400);

    const category = await buy(a.accessToken, villaId, { packageCode: 'category' });
    assert.equal(category.statusCode, 201, category.body);
    const deal = category.json<SponsorshipJson>();
    assert.equal(deal.exclusiveSector, 'beverages');
    assert.equal(deal.priceCents, 1_500_000);
    assert.equal(deal.villa.endsOn, addDays(deal.villa.arrivalOn, 7));
    assert.equal(deal.deliverables.find((x) => x.metric === 'logo_hours')?.promised, 20);

    const taken = await buy(b.accessToken, villaId, { packageCode: 'category' });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.json<ErrorJson>().error.message, /the beverages category is already taken for this villa/);
    assert.equal(taken.json<ErrorJson>().error.details?.reason, 'the beverages category is already taken for this villa');
    // The same sponsor may take another package; another sector's category is free.
    assert.equal((await buy(b.accessToken, villaId, { packageCode: 'activation' })).statusCode, 201);
    assert.equal((await buy(staff.accessToken, villaId, { packageCode: 'principal', sponsorId: c.sponsor.id })).statusCode, 201);
    const secondPrincipal = await buy(d.accessToken, villaId, { packageCode: 'principal' });
    assert.equal(secondPrincipal.statusCode, 409);
    assert.match(secondPrincipal.json<ErrorJson>().error.message, /already has a principal sponsor/);
    const fourth = await buy(d.accessToken, villaId, { packageCode: 'category' });
    assert.equal(fourth.statusCode, 201);
    const fifth = await buy(e.accessToken, villaId, { packageCode: 'event' });
    assert.equal(fifth.statusCode, 409);
    assert.match(fifth.json<ErrorJson>().error.message, /this villa already has 4 sponsors/);

    // Cancelling (team) frees a slot and the sector.
    assert.equal((await call('POST', `/api/sponsorships/${deal.id}/cancel`, a.accessToken)).statusCode, 403);
    const cancelled = await call('POST', `/api/sponsorships/${deal.id}/cancel`, staff.accessToken);
    assert.equal(cancelled.statusCode, 200);
    assert.equal(cancelled.json<SponsorshipJson>().status, 'cancelled');
    assert.ok(cancelled.json<SponsorshipJson>().cancelledAt);
    assert.equal((await call('POST', `/api/sponsorships/${deal.id}/cancel`, staff.accessToken)).statusCode, 409);
    assert.equal((await buy(b.accessToken, villaId, { packageCode: 'category' })).statusCode, 201);

    const list = await call('GET', `/api/villas/${villaId}/sponsorships`, staff.accessToken);
    assert.equal(list.statusCode, 200);
    const items = list.json<{ items: SponsorshipJson[] }>().items;
    assert.equal(items.length, 5);
    assert.equal(items.filter((x) => x.status === 'active').length, 4);
    assert.equal((await call('GET', `/api/villas/${villaId}/sponsorships`, a.accessToken)).statusCode, 403);

    // Completed or archived villas are not sold.
    const done = await villa({ status: 'completed' });
    const closed = await buy(e.accessToken, done, { packageCode: 'event' });
    assert.equal(closed.statusCode, 409);
    assert.match(closed.json<ErrorJson>().error.message, /completed/);
    const archived = await villa({ archivedAt: new Date() });
    assert.equal((await buy(e.accessToken, archived, { packageCode: 'event' })).statusCode, 409);
  });

  test('concurrent purchases cannot overfill a villa or a category sector', async () => {
    const villaId = await villa({ name: 'Villa Rush' });
    const buyers = await Promise.all(Array.from({ length: 6 }, (_, i) => sponsorAccount(`Rush ${i}`, `sector-${i}`)));
    const results = await Promise.all(buyers.map((b) => buy(b.accessToken, villaId, { packageCode: 'activation' })));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 201, 201, 201, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) assert.match(r.json<ErrorJson>().error.message, /already has 4 sponsors/);

    const other = await villa({ name: 'Villa Sector' });
    const [x, y] = await Promise.all([sponsorAccount('Cola One', 'soda'), sponsorAccount('Cola Two', 'soda')]);
    const pair = await Promise.all([buy(x.accessToken, other, { packageCode: 'category' }), buy(y.accessToken, other, { packageCode: 'category' })]);
    assert.deepEqual(pair.map((r) => r.statusCode).sort(), [201, 409]);
    assert.match(pair.find((r) => r.statusCode === 409)!.json<ErrorJson>().error.message, /the soda category is already taken/);
  });

  test('deliveries, deliverables per deal, own sponsorships and the live report; other sponsors get 404', async () => {
    const villaId = await villa({ name: 'Villa Live', arrivalOn: addDays(today(), -2) });
    const owner = await sponsorAccount('Owner Inc', 'software');
    const stranger = await sponsorAccount('Stranger Ltd', 'fashion');
    const deal = (await buy(owner.accessToken, villaId, { packageCode: 'activation' })).json<SponsorshipJson>();
    const url = `/api/sponsorships/${deal.id}`;

    // Delivery records (team).
    const occurredAt = new Date().toISOString();
    assert.equal((await call('POST', `${url}/deliveries`, owner.accessToken, { metric: 'mentions', amount: 1, occurredAt })).statusCode, 403);
    const negative = await call('POST', `${url}/deliveries`, staff.accessToken, { metric: 'mentions', amount: -1, occurredAt });
    assert.equal(negative.statusCode, 400);
    assert.deepEqual(
      negative.json<ErrorJson>().error.details?.issues?.map((i) => i.path),
      ['amount'],
    );
    assert.equal((await call('POST', `${url}/deliveries`, staff.accessToken, { metric: 'mentions', amount: 1, occurredAt: 'yesterday' })).statusCode, 400);
    assert.equal(
      (await call('POST', `/api/sponsorships/${crypto.randomUUID()}/deliveries`, staff.accessToken, { metric: 'mentions', amount: 1, occurredAt })).statusCode,
      404,
    );
    const recorded = await call('POST', `${url}/deliveries`, staff.accessToken, { metric: 'mentions', amount: 5, occurredAt, note: 'J1 live' });
    assert.equal(recorded.statusCode, 201, recorded.body);
    assert.equal(recorded.json<{ source: string }>().source, 'manual');
    const j1 = new Date(`${addDays(today(), -1)}T18:00:00+02:00`).toISOString();
    assert.equal((await call('POST', `${url}/deliveries`, staff.accessToken, { metric: 'logo_hours', amount: 2, occurredAt: j1 })).statusCode, 201);

    // Deliverables per deal: metrics with deliveries cannot be removed.
    const keepMentions = await call('PUT', `${url}/deliverables`, staff.accessToken, { deliverables: { logo_hours: 10, reach: 5000 } });
    assert.equal(keepMentions.statusCode, 409);
    assert.match(keepMentions.json<ErrorJson>().error.message, /mentions/);
    const replaced = await call('PUT', `${url}/deliverables`, staff.accessToken, { deliverables: { logo_hours: 10, mentions: 20 } });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.deepEqual(replaced.json<SponsorshipJson>().deliverables, [
      { metric: 'logo_hours', promised: 10, delivered: 2, percent: 20 },
      { metric: 'mentions', promised: 20, delivered: 5, percent: 25 },
    ]);
    assert.equal((await call('PUT', `${url}/deliverables`, owner.accessToken, { deliverables: {} })).statusCode, 403);
    const unknownMetric = await call('POST', `${url}/deliveries`, staff.accessToken, { metric: 'reach', amount: 1, occurredAt });
    assert.equal(unknownMetric.statusCode, 400);
    assert.deepEqual(
      unknownMetric.json<ErrorJson>().error.details?.issues?.map((i) => i.path),
      ['metric'],
    );

    // The sponsor sees only its own.
    const mine = await call('GET', '/api/me/sponsorships', owner.accessToken);
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(
      mine.json<{ items: SponsorshipJson[] }>().items.map((s) => [s.id, s.villa.name]),
      [[deal.id, 'Villa Live']],
    );
    assert.deepEqual((await call('GET', '/api/me/sponsorships', stranger.accessToken)).json<{ items: unknown[] }>().items, []);
    assert.equal((await call('GET', '/api/me/sponsorships', artist.accessToken)).statusCode, 403);

    const report = await call('GET', `${url}/report`, owner.accessToken);
    assert.equal(report.statusCode, 200, report.body);
    const r = report.json<ReportJson>();
    assert.equal(r.final, false);
    assert.equal(r.sponsorship.sponsor.companyName, 'Owner Inc');
    assert.deepEqual(
      r.days.map((d) => d.delivered.logo_hours),
      [0, 2, 2, 2, 2, 2, 2, 2, 2],
    );
    assert.equal(r.days[2]!.delivered.mentions, 5);
    assert.equal(r.days[1]!.delivered.mentions, 0);
    assert.equal((await call('GET', `${url}/report`, staff.accessToken)).statusCode, 200);
    assert.equal((await call('GET', `${url}/report`, stranger.accessToken)).statusCode, 404);
    assert.equal((await call('GET', url, stranger.accessToken)).statusCode, 404);
    assert.equal((await call('GET', `${url}/report`, artist.accessToken)).statusCode, 403);
    assert.equal((await call('GET', `${url}/report`, expert.accessToken)).statusCode, 403);
    assert.equal((await call('GET', `/api/sponsorships/not-a-uuid/report`, owner.accessToken)).statusCode, 400);

    // The PDF waits for the final report.
    const early = await call('GET', `${url}/report.pdf`, owner.accessToken);
    assert.equal(early.statusCode, 409);
    assert.equal(early.json<ErrorJson>().error.details?.availableFrom, r.finalFrom);
    assert.match(early.json<ErrorJson>().error.message, new RegExp(`available from ${r.finalFrom}`));

    // A cancelled deal takes no more deliveries.
    await call('POST', `${url}/cancel`, staff.accessToken);
    assert.equal((await call('POST', `${url}/deliveries`, staff.accessToken, { metric: 'mentions', amount: 1, occurredAt })).statusCode, 409);
  });

  test('recordFromStream is idempotent on externalKey', async () => {
    const villaId = await villa({ name: 'Villa Stream' });
    const owner = await sponsorAccount('Streamed Co', 'audio');
    const deal = (await buy(owner.accessToken, villaId, { packageCode: 'event' })).json<SponsorshipJson>();
    const db = system.ctx.platform.database.db;
    const [stream] = await db
      .insert(streams)
      .values({ title: 'J1 live', villaId, scheduledStart: new Date(), scheduledEnd: new Date(Date.now() + 3_600_000) })
      .returning();
    const measurement = {
      sponsorshipId: deal.id,
      metric: 'logo_hours' as const,
      amount: 1.5,
      occurredAt: new Date(),
      streamId: stream!.id,
      externalKey: `twitch:${stream!.id}:logo:1`,
    };
    const { sponsors } = system.ctx.services;
    assert.deepEqual(await sponsors.recordFromStream(measurement), { recorded: true });
    assert.deepEqual(await sponsors.recordFromStream(measurement), { recorded: false });
    assert.deepEqual(await sponsors.recordFromStream({ ...measurement, amount: 99 }), { recorded: false });
    assert.deepEqual(await sponsors.recordFromStream({ ...measurement, externalKey: `twitch:${stream!.id}:logo:2`, amount: 0.5 }), { recorded: true });
    await assert.rejects(sponsors.recordFromStream({ ...measurement, metric: 'leads' }), /does not promise leads/);

    const report = (await call('GET', `/api/sponsorships/${deal.id}/report`, owner.accessToken)).json<ReportJson>();
    assert.equal(report.sponsorship.deliverables.find((d) => d.metric === 'logo_hours')?.delivered, 2);
    const rows = await db.select().from(deliveryRecords).where(eq(deliveryRecords.streamId, stream!.id));
    assert.equal(rows.length, 2);
    assert.ok(rows.every((row) => row.source === 'stream'));
  });

  test('the final report as a PDF: rendered to PNG, not blank, with the sponsor and its numbers', async (t) => {
    // Arrival 60 days ago: the report is final (from arrival + 38 days).
    const villaId = await villa({ name: 'Villa Past', place: 'Arles', arrivalOn: addDays(today(), -60), status: 'in_progress' });
    const owner = await sponsorAccount('Pdf Makers SARL', 'print');
    const deal = (await buy(owner.accessToken, villaId, { packageCode: 'activation' })).json<SponsorshipJson>();
    const occurredAt = new Date(`${addDays(today(), -58)}T12:00:00Z`).toISOString();
    await call('POST', `/api/sponsorships/${deal.id}/deliveries`, staff.accessToken, { metric: 'leads', amount: 37, occurredAt });
    await call('POST', `/api/sponsorships/${deal.id}/deliveries`, staff.accessToken, { metric: 'mentions', amount: 18, occurredAt });

    const report = (await call('GET', `/api/sponsorships/${deal.id}/report`, owner.accessToken)).json<ReportJson>();
    assert.equal(report.final, true);
    const res = await call('GET', `/api/sponsorships/${deal.id}/report.pdf`, owner.accessToken);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(String(res.headers['content-type']), /^application\/pdf/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="sponsor-report-pdf-makers-sarl-villa-past\.pdf"/);
    const pdf = res.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const stranger = await sponsorAccount('Nosy', 'misc');
    assert.equal((await call('GET', `/api/sponsorships/${deal.id}/report.pdf`, stranger.accessToken)).statusCode, 404);
    assert.equal((await call('GET', `/api/sponsorships/${deal.id}/report.pdf`, artist.accessToken)).statusCode, 403);

    // Rendering needs Debian's poppler-utils (.ci/run installs it; CI never skips this part).
    const poppler = spawnSync('pdftoppm', ['-v']).status === 0;
    if (!poppler && !process.env.CI) {
      t.diagnostic('poppler-utils is not installed: the PDF was checked but not rendered (apt-get install poppler-utils)');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sponsor-pdf-'));
    try {
      const file = path.join(dir, 'report.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(text, /Pdf Makers SARL/);
      assert.match(text, /Villa Past, Arles/);
      assert.match(text, /Final report/);
      assert.match(text, /Leads\s+80\s+37\s+46\.3\s?%/);
      assert.match(text, /Reach\s+100,000\s+0\s+0\s?%/);

      // Page 1 as an 8-bit grey PGM at 50 dpi: A4 is about 413 × 585 pixels.
      execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
      const pgm = readFileSync(path.join(dir, 'page-1.pgm'));
      const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'));
      assert.ok(header, 'a binary PGM header');
      const [width, height, max] = [Number(header[1]), Number(header[2]), Number(header[3])];
      assert.ok(Math.abs(width - 413) <= 2 && Math.abs(height - 585) <= 2, `${width}×${height}`);
      assert.equal(max, 255);
      const pixels = pgm.subarray(header[0].length);
      assert.equal(pixels.length, width * height);
      let sum = 0;
      let dark = 0;
      for (const p of pixels) {
        sum += p;
        if (p < 128) dark++;
      }
      const mean = sum / pixels.length;
      let variance = 0;
      for (const p of pixels) variance += (p - mean) ** 2;
      variance /= pixels.length;
      // Mostly white paper, with text and bars on it.
      assert.ok(mean > 200 && mean < 254, `mean ${mean}`);
      assert.ok(variance > 100, `variance ${variance}`);
      assert.ok(dark > 1000, `dark pixels ${dark}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
