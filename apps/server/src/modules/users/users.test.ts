import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { bearer, newAccount, register, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { users } from './users.tables.ts';

type CreatedUser = { user: { id: string; email: string; role: string; name: string }; temporaryPassword: string | null };

describe('users (admin-created accounts)', () => {
  let system: TestSystem;
  let adminToken: string;
  before(async () => {
    system = await startTestSystem();
    adminToken = (await signInAs(system, 'admin')).accessToken;
  });
  after(async () => system.close());

  const createUser = (token: string, payload: Record<string, unknown>) =>
    system.app.inject({ method: 'POST', url: '/api/users', headers: bearer(token), payload });
  const login = (email: string, password: string) => system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const emailExists = async (email: string) => (await system.ctx.repos.users.findByEmail(email)) !== undefined;

  test('an admin creates staff with a temporary password, which signs in', async () => {
    const { email, name } = newAccount();
    const res = await createUser(adminToken, { email: email.toUpperCase(), name, role: 'staff' });
    assert.equal(res.statusCode, 201);
    const created = res.json<CreatedUser>();
    assert.equal(created.user.email, email, 'stored lower-cased');
    assert.equal(created.user.role, 'staff');
    assert.ok(created.temporaryPassword && created.temporaryPassword.length >= 20);
    assert.equal(JSON.stringify(created).includes('passwordHash'), false);

    const signedIn = await login(email, created.temporaryPassword);
    assert.equal(signedIn.statusCode, 200);
    assert.equal(signedIn.json<{ user: { role: string } }>().user.role, 'staff');
  });

  test('an admin creates an expert with a chosen password; no temporary password is returned', async () => {
    const account = newAccount();
    const res = await createUser(adminToken, { email: account.email, name: account.name, role: 'expert', password: account.password });
    assert.equal(res.statusCode, 201);
    const created = res.json<CreatedUser>();
    assert.equal(created.user.role, 'expert');
    assert.equal(created.temporaryPassword, null);
    assert.equal((await login(account.email, account.password)).statusCode, 200);

    const list = await system.app.inject({ method: 'GET', url: '/api/users', headers: bearer(adminToken) });
    assert.equal(list.statusCode, 200);
    const users = list.json<{ users: { email: string; role: string }[] }>().users;
    assert.ok(users.some((u) => u.email === account.email && u.role === 'expert'));
  });

  test('a weak chosen password is refused on the password field, and nothing is created', async () => {
    const { email, name } = newAccount();
    const res = await createUser(adminToken, { email, name, role: 'staff', password: 'password123' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details.issues[0].path, 'password');
    assert.equal(await emailExists(email), false);
  });

  test('artists and staff get 403 on listing and creating, and nothing is created', async () => {
    const artist = await register(system.app);
    const staff = await signInAs(system, 'staff');
    for (const token of [artist.accessToken, staff.accessToken]) {
      const { email, name } = newAccount();
      const created = await createUser(token, { email, name, role: 'staff' });
      assert.equal(created.statusCode, 403);
      assert.equal(created.json().error.code, 'forbidden');
      assert.equal(await emailExists(email), false);
      const list = await system.app.inject({ method: 'GET', url: '/api/users', headers: bearer(token) });
      assert.equal(list.statusCode, 403);
      assert.equal(list.json().error.code, 'forbidden');
    }
    // And without a token at all: 401.
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/users' })).statusCode, 401);
    const { email, name } = newAccount();
    assert.equal((await system.app.inject({ method: 'POST', url: '/api/users', payload: { email, name, role: 'staff' } })).statusCode, 401);
    assert.equal(await emailExists(email), false);
  });

  test('this route cannot make admins, artists or sponsors (400 on role)', async () => {
    for (const role of ['admin', 'artist', 'sponsor', 'root']) {
      const { email, name } = newAccount();
      const res = await createUser(adminToken, { email, name, role });
      assert.equal(res.statusCode, 400, role);
      assert.equal(res.json().error.details.issues[0].path, 'role');
      assert.equal(await emailExists(email), false, role);
    }
  });

  test('a taken email is 409 on the email field, whatever its case', async () => {
    const artist = await register(system.app);
    const res = await createUser(adminToken, { email: artist.email.toUpperCase(), name: 'Someone Else', role: 'staff' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'conflict');
    assert.equal(res.json().error.details.issues[0].path, 'email');
    // The existing account is untouched.
    const row = await system.ctx.repos.users.findByEmail(artist.email);
    assert.equal(row?.role, 'artist');
    assert.equal((await login(artist.email, artist.password)).statusCode, 200);
  });

  test('two concurrent creations of one email: exactly one 201 and one 409', async () => {
    const { email } = newAccount();
    const results = await Promise.all(['First', 'Second'].map((name) => createUser(adminToken, { email, name: `${name} Person`, role: 'expert' })));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409]);
    const loser = results.find((r) => r.statusCode === 409)!;
    assert.equal(loser.json().error.details.issues[0].path, 'email');
    const winner = results.find((r) => r.statusCode === 201)!.json<CreatedUser>();
    const list = await system.app.inject({ method: 'GET', url: '/api/users', headers: bearer(adminToken) });
    const matching = list.json<{ users: { email: string; id: string }[] }>().users.filter((u) => u.email === email);
    assert.deepEqual(
      matching.map((u) => u.id),
      [winner.user.id],
    );
    // The winner's temporary password is the one that works.
    assert.equal((await login(email, winner.temporaryPassword!)).statusCode, 200);
  });

  test('the team list: active admin and staff names for pickers, readable by staff, not by others', async () => {
    const staff = await signInAs(system, 'staff');
    const active = newAccount();
    const disabled = newAccount();
    const expert = newAccount();
    const made: Record<string, string> = {};
    for (const [account, role] of [
      [active, 'staff'],
      [disabled, 'staff'],
      [expert, 'expert'],
    ] as const) {
      const res = await createUser(adminToken, { email: account.email, name: account.name, role });
      assert.equal(res.statusCode, 201, res.body);
      made[account.email] = res.json<CreatedUser>().user.id;
    }
    await system.ctx.platform.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, made[disabled.email]!));

    const res = await system.app.inject({ method: 'GET', url: '/api/users/team', headers: bearer(staff.accessToken) });
    assert.equal(res.statusCode, 200, res.body);
    const members = res.json<{ members: { id: string; name: string; role: string }[] }>().members;
    const ids = new Set(members.map((m) => m.id));
    assert.ok(ids.has(made[active.email]!), 'an active staff member');
    assert.ok(!ids.has(made[disabled.email]!), 'not a disabled one');
    assert.ok(!ids.has(made[expert.email]!), 'not an expert');
    assert.ok(members.some((m) => m.role === 'admin'));
    assert.ok(members.every((m) => m.role === 'admin' || m.role === 'staff'));
    assert.equal(JSON.stringify(members).includes('@'), false, 'no e-mail addresses');

    const expertsRes = await system.app.inject({ method: 'GET', url: '/api/users/experts', headers: bearer(staff.accessToken) });
    assert.equal(expertsRes.statusCode, 200, expertsRes.body);
    const experts = expertsRes.json<{ members: { id: string; role: string }[] }>().members;
    assert.ok(
      experts.some((m) => m.id === made[expert.email]),
      'the expert, for the assignment picker',
    );
    assert.ok(experts.every((m) => m.role === 'expert'));

    const artist = await register(system.app);
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/users/team', headers: bearer(artist.accessToken) })).statusCode, 403);
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/users/team' })).statusCode, 401);
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/users/experts', headers: bearer(artist.accessToken) })).statusCode, 403);
  });
});
