import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { bearer, newAccount, register, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artists } from '../artists/artists.tables.ts';

describe('auth', () => {
  let system: TestSystem;
  before(async () => {
    system = await startTestSystem({ env: { LOGIN_MAX_PER_ACCOUNT: '3', LOGIN_MAX_PER_IP: '50' } });
  });
  after(async () => system.close());

  test('register signs the person in and sets an httpOnly refresh cookie', async () => {
    const body = newAccount('sponsor');
    const res = await system.app.inject({ method: 'POST', url: '/api/auth/register', payload: { ...body, email: body.email.toUpperCase() } });
    assert.equal(res.statusCode, 201);
    const session = res.json();
    assert.equal(session.user.email, body.email);
    assert.equal(session.user.role, 'sponsor');
    assert.ok(session.accessToken && session.refreshToken);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /mona_refresh=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const me = await system.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(session.accessToken) });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.id, session.user.id);
  });

  test('a common or short password is refused on the password field, and nothing is created', async () => {
    for (const password of ['password123', 'short']) {
      const body = { ...newAccount(), password };
      const res = await system.app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.details.issues[0].path, 'password');
      const login = await system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: body.email, password } });
      assert.equal(login.statusCode, 401);
    }
  });

  test('self sign-up cannot pick a staff role', async () => {
    const res = await system.app.inject({ method: 'POST', url: '/api/auth/register', payload: { ...newAccount(), role: 'admin' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details.issues[0].path, 'role');
  });

  test('a taken email gives 409 on the email field', async () => {
    const first = await register(system.app);
    const res = await system.app.inject({ method: 'POST', url: '/api/auth/register', payload: { ...newAccount(), email: first.email } });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.details.issues[0].path, 'email');
  });

  test('a failed login does not tell whether the email exists', async () => {
    const account = await register(system.app);
    const wrong = await system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: 'not-the-password-1' } });
    const unknown = await system.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody-here@example.com', password: 'not-the-password-1' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  test('login is limited per account with 429 and Retry-After, and a success resets the count', async () => {
    const account = await register(system.app);
    const attempt = (password: string) => system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password } });
    assert.equal((await attempt('wrong-password-1')).statusCode, 401);
    assert.equal((await attempt(account.password)).statusCode, 200);
    // LOGIN_MAX_PER_ACCOUNT=3: three failures are answered, the next attempt is blocked.
    for (let i = 0; i < 3; i++) assert.equal((await attempt('wrong-password-1')).statusCode, 401);
    const third = await attempt('wrong-password-1');
    assert.equal(third.statusCode, 429);
    assert.ok(Number(third.headers['retry-after']) > 0);
    assert.equal(third.json().error.code, 'rate_limited');
    // Even the right password is refused while the account is blocked.
    assert.equal((await attempt(account.password)).statusCode, 429);
  });

  test('refresh tokens rotate; reusing one revokes the whole family', async () => {
    const account = await register(system.app);
    const first = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: account.refreshToken } });
    assert.equal(first.statusCode, 200);
    const rotated = first.json().refreshToken as string;
    assert.notEqual(rotated, account.refreshToken);

    const reuse = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: account.refreshToken } });
    assert.equal(reuse.statusCode, 401);
    assert.equal(reuse.json().error.code, 'token_reused');
    // The token issued by the legitimate rotation is dead too.
    const after = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: rotated } });
    assert.equal(after.statusCode, 401);
  });

  test('refresh reads the cookie when the body has no token', async () => {
    const account = await register(system.app);
    const res = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { mona_refresh: account.refreshToken }, payload: {} });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().user.email, account.email);
  });

  test('two concurrent refreshes of one token: exactly one succeeds', async () => {
    const account = await register(system.app);
    const results = await Promise.all(
      [1, 2].map(() => system.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: account.refreshToken } })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 401]);
  });

  test('logout ends the session family and clears the cookie', async () => {
    const account = await register(system.app);
    const res = await system.app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: account.refreshToken } });
    assert.equal(res.statusCode, 204);
    assert.match(String(res.headers['set-cookie']), /mona_refresh=;/);
    const refresh = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: account.refreshToken } });
    assert.equal(refresh.statusCode, 401);
  });

  test('access tokens are short JWTs (at most 15 minutes)', async () => {
    const account = await register(system.app);
    const payload = JSON.parse(Buffer.from(account.accessToken.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number; role: string };
    assert.ok(payload.exp - payload.iat <= 900);
    assert.equal(payload.role, 'artist');
  });

  test("an artist's sign-up takes over the unlinked record with its email, or opens a prospect record; both record artist.signed_up", async () => {
    const staff = await signInAs(system, 'staff');
    const db = system.ctx.platform.database.db;
    // Imported by staff, without an account yet.
    const imported = newAccount();
    const created = await system.app.inject({
      method: 'POST',
      url: '/api/artists',
      headers: bearer(staff.accessToken),
      payload: { stageName: 'Imported Name', email: imported.email, phone: '+33611111111' },
    });
    assert.equal(created.statusCode, 201);
    const res = await system.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { ...imported, email: imported.email.toUpperCase(), consentMarketing: true },
    });
    assert.equal(res.statusCode, 201);
    const userId = res.json().user.id as string;
    const [linked] = await db.select().from(artists).where(eq(artists.userId, userId));
    assert.equal(linked!.id, created.json().id, 'the existing record is linked, not duplicated');
    assert.equal(linked!.stageName, 'Imported Name');
    assert.equal(linked!.consentMarketing, true, 'consent given at sign-up is kept on the record');
    assert.equal((await db.select().from(artists).where(eq(artists.email, imported.email))).length, 1);

    // Nobody known with this email: a prospect record in their name, entered in the pipeline.
    const fresh = newAccount();
    const second = await system.app.inject({ method: 'POST', url: '/api/auth/register', payload: fresh });
    assert.equal(second.statusCode, 201);
    const [prospect] = await db.select().from(artists).where(eq(artists.userId, second.json().user.id));
    assert.deepEqual([prospect!.stageName, prospect!.email, prospect!.stage, prospect!.consentMarketing], [fresh.name, fresh.email, 'prospect', false]);
    const history = await system.app.inject({ method: 'GET', url: `/api/artists/${prospect!.id}/stage-history`, headers: bearer(staff.accessToken) });
    assert.equal(history.json().moves.length, 1);

    const signedUp = await system.ctx.events.list({ name: 'artist.signed_up' });
    for (const [artistId, user] of [
      [linked!.id, userId],
      [prospect!.id, second.json().user.id],
    ]) {
      const events = signedUp.filter((e) => e.aggregateId === artistId);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.payload, { artistId, userId: user });
    }

    // The portal finds the record; a sponsor's sign-up creates no artist record and no event.
    const me = await system.app.inject({ method: 'GET', url: '/api/me/artist', headers: bearer(res.json().accessToken) });
    assert.equal(me.json().id, linked!.id);
    const sponsor = await register(system.app, 'sponsor');
    assert.equal((await db.select().from(artists).where(eq(artists.userId, sponsor.user.id))).length, 0);
    assert.equal((await system.ctx.events.list({ name: 'artist.signed_up' })).length, signedUp.length);
  });

  test('a sign-up that fails (email taken) leaves no artist record and no event behind', async () => {
    const first = await register(system.app);
    const before = (await system.ctx.events.list({ name: 'artist.signed_up', limit: 1000 })).length;
    const res = await system.app.inject({ method: 'POST', url: '/api/auth/register', payload: { ...newAccount(), email: first.email, name: 'Someone Else' } });
    assert.equal(res.statusCode, 409);
    const db = system.ctx.platform.database.db;
    assert.equal((await db.select().from(artists).where(eq(artists.stageName, 'Someone Else'))).length, 0);
    assert.equal((await system.ctx.events.list({ name: 'artist.signed_up', limit: 1000 })).length, before);
  });

  test('me without a token, or with a forged one, is 401', async () => {
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode, 401);
    const account = await register(system.app);
    const [h, p] = account.accessToken.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    const res = await system.app.inject({ method: 'GET', url: '/api/users', headers: bearer(`${h}.${forgedPayload}.${account.accessToken.split('.')[2]}`) });
    assert.equal(res.statusCode, 401);
  });
});
