import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, register, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';

type ErrorJson = { error: { code: string; message: string; details?: { issues?: { path: string; message: string }[] } } };

/** The one error shape: `{ error: { code, message, details? } }` and nothing else at the top. */
function assertErrorShape(body: unknown, code: string): ErrorJson {
  assert.ok(typeof body === 'object' && body !== null, 'error body is an object');
  assert.deepEqual(Object.keys(body), ['error']);
  const { error } = body as ErrorJson;
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  return body as ErrorJson;
}

describe('HTTP edges', () => {
  let system: TestSystem;
  before(async () => {
    system = await startTestSystem({ env: { BODY_LIMIT_BYTES: '2048' } });
  });
  after(async () => system.close());

  const login = (payload: string | object, headers: Record<string, string> = {}) =>
    system.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload });

  test('malformed JSON is 400 invalid_json', async () => {
    const res = await login('{"email": "a@example.com", "password":', { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400);
    assertErrorShape(res.json(), 'invalid_json');
  });

  test('a field of the wrong type is 400 validation_failed naming the field', async () => {
    const res = await login({ email: 12, password: 'whatever-it-is' });
    assert.equal(res.statusCode, 400);
    const body = assertErrorShape(res.json(), 'validation_failed');
    assert.deepEqual(
      body.error.details?.issues?.map((i) => i.path),
      ['email'],
    );
  });

  test('an unknown field is refused, naming it', async () => {
    const res = await login({ email: 'a@example.com', password: 'whatever-it-is', role: 'admin' });
    assert.equal(res.statusCode, 400);
    const body = assertErrorShape(res.json(), 'validation_failed');
    assert.equal(body.error.details?.issues?.[0]?.path, 'role');
    assert.match(body.error.message, /role/);
  });

  test('an invalid query parameter is 400 naming it', async () => {
    const admin = await signInAs(system, 'admin');
    const res = await system.app.inject({ method: 'GET', url: '/api/ops/jobs?state=exploded', headers: bearer(admin.accessToken) });
    assert.equal(res.statusCode, 400);
    const body = assertErrorShape(res.json(), 'validation_failed');
    assert.equal(body.error.details?.issues?.[0]?.path, 'state');
  });

  test('a body over BODY_LIMIT_BYTES is 413 payload_too_large', async () => {
    const res = await login({ email: 'a@example.com', password: 'p'.repeat(4096) });
    assert.equal(res.statusCode, 413);
    assertErrorShape(res.json(), 'payload_too_large');
  });

  test('a body that is not JSON is 415', async () => {
    for (const type of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await login('email=a@example.com&password=x', { 'content-type': type });
      assert.equal(res.statusCode, 415, type);
      assertErrorShape(res.json(), 'unsupported_media_type');
    }
  });

  test('an optional body may be left out: refresh and logout with only the cookie', async () => {
    const account = await register(system.app);
    const refreshed = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { mona_refresh: account.refreshToken } });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    const rotated = refreshed.json<{ refreshToken: string }>().refreshToken;
    const logout = await system.app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { mona_refresh: rotated } });
    assert.equal(logout.statusCode, 204, logout.body);
    const afterLogout = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { mona_refresh: rotated } });
    assert.equal(afterLogout.statusCode, 401);
    assertErrorShape(afterLogout.json(), 'unauthorized');
    // A required body left out is still a validation error, not a crash.
    const noBody = await system.app.inject({ method: 'POST', url: '/api/auth/login' });
    assert.equal(noBody.statusCode, 400);
    assertErrorShape(noBody.json(), 'validation_failed');
  });

  test('an unknown route is 404 in the one error shape', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing-here?x=1'],
      ['POST', '/nope'],
      ['DELETE', '/api/users'],
    ] as const) {
      const res = await system.app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /application\/json/);
      const body = assertErrorShape(res.json(), 'not_found');
      assert.ok(!body.error.message.includes('?'), 'the query string is not echoed');
    }
  });

  test('every response carries x-request-id; a valid incoming one is echoed, an invalid one replaced', async () => {
    const ids = new Set<string>();
    for (const url of ['/health', '/api/nothing', '/api/status']) {
      const res = await system.app.inject({ method: 'GET', url });
      const id = res.headers['x-request-id'];
      assert.equal(typeof id, 'string', url);
      ids.add(id as string);
    }
    assert.equal(ids.size, 3, 'each request gets its own id');
    const failing = await login('{', { 'content-type': 'application/json' });
    assert.ok(failing.headers['x-request-id'], 'error answers carry it too');

    const echoed = await system.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'edge-proxy:4f1c.7' } });
    assert.equal(echoed.headers['x-request-id'], 'edge-proxy:4f1c.7');
    const hostile = await system.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id<script>' } });
    assert.notEqual(hostile.headers['x-request-id'], 'bad id<script>');
    assert.match(String(hostile.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('security headers are set (helmet)', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/status' });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  test('/health is 200 with service, version and uptime', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ status: string; service: string; version: string; uptimeSeconds: number }>();
    assert.equal(body.status, 'ok');
    assert.equal(body.service, 'api');
    assert.equal(body.version, system.config.version);
    assert.ok(Number.isInteger(body.uptimeSeconds) && body.uptimeSeconds >= 0);
  });

  test('/ready is 200 listing every dependency as up', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/ready' });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ status: string; failed: string[]; dependencies: { name: string; ok: boolean; mode: string }[] }>();
    assert.equal(body.status, 'ready');
    assert.deepEqual(body.failed, []);
    assert.deepEqual(body.dependencies.map((d) => d.name).sort(), ['database', 'redis']);
    assert.ok(body.dependencies.every((d) => d.ok));
    const redis = body.dependencies.find((d) => d.name === 'redis')!;
    assert.equal(redis.mode, process.env.REDIS_URL ? 'redis' : 'in-process');
  });

  test('/metrics exposes request latency by route, process, pool and queue metrics', async () => {
    await system.app.inject({ method: 'GET', url: '/health' });
    await system.app.inject({ method: 'GET', url: `/api/unknown-${Date.now()}` });
    const res = await system.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/plain/);
    const text = res.body;
    const bucket = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_bucket{') && l.includes('route="/health"'));
    assert.ok(bucket, 'a latency bucket for /health');
    assert.match(bucket, /method="GET"/);
    assert.match(bucket, /status_code="200"/);
    // Unmatched URLs share one label, so a scan cannot blow up the series count.
    assert.match(text, /route="unmatched"/);
    assert.doesNotMatch(text, /route="\/api\/unknown-/);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      assert.match(text, new RegExp(`^${name}\\{`, 'm'), name);
    }
    assert.match(text, /^db_pool_connections\{state="total"/m);
    assert.match(text, /^queue_jobs\{queue="maintenance",state="waiting"/m);
    assert.match(text, /^dependency_up\{dependency="database"[^}]*\} 1$/m);
  });

  test('/api/openapi.json documents the API; /api/docs serves the explorer', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/auth/login']?.post, 'POST /api/auth/login is documented');
    assert.ok(doc.paths['/api/users']?.post);
    assert.equal(doc.paths['/api/openapi.json'], undefined, 'hidden routes stay hidden');

    const docs = await system.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(docs.statusCode, 200);
    assert.match(String(docs.headers['content-type']), /text\/html/);
    assert.match(docs.body, /<html/i);
  });

  test('CORS in development allows the app and localhost', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/status', headers: { origin: 'http://localhost:3000' } });
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
  });
});

describe('CORS in production', () => {
  let system: TestSystem;
  const appUrl = 'https://app.mona-spark.example';
  before(async () => {
    system = await startTestSystem({ env: { NODE_ENV: 'production', NEXT_PUBLIC_APP_URL: appUrl } });
  });
  after(async () => system.close());

  test('the web app origin is allowed, with credentials, on requests and preflights', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/status', headers: { origin: appUrl } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], appUrl);
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    assert.match(String(res.headers['access-control-expose-headers']), /x-request-id/);

    const preflight = await system.app.inject({
      method: 'OPTIONS',
      url: '/api/auth/login',
      headers: { origin: appUrl, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], appUrl);
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
  });

  test('another origin, even localhost, gets no CORS grant', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'https://app.mona-spark.example.evil.example']) {
      const res = await system.app.inject({ method: 'GET', url: '/api/status', headers: { origin } });
      assert.equal(res.headers['access-control-allow-origin'], undefined, origin);
      assert.equal(res.headers['access-control-allow-credentials'], undefined, origin);
      const preflight = await system.app.inject({ method: 'OPTIONS', url: '/api/auth/login', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(preflight.headers['access-control-allow-origin'], undefined, origin);
      assert.notEqual(preflight.statusCode, 204, origin);
    }
  });

  test('production adds HSTS', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/health' });
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
  });
});

describe('HTTPS behind the platform proxy, in production', () => {
  let system: TestSystem;
  let untrusting: TestSystem;
  before(async () => {
    const env = { NODE_ENV: 'production', NEXT_PUBLIC_APP_URL: 'https://app.mona-spark.example' };
    system = await startTestSystem({ env: { ...env, TRUST_PROXY: '1' } });
    untrusting = await startTestSystem({ env });
  });
  after(async () => Promise.all([system.close(), untrusting.close()]));

  const overHttp = { 'x-forwarded-proto': 'http', host: 'api.mona-spark.example' };

  test('a page asked over http is redirected to its https URL (308, query kept)', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/status?x=1', headers: overHttp });
    assert.equal(res.statusCode, 308);
    assert.equal(res.headers.location, 'https://api.mona-spark.example/api/status?x=1');
  });

  test('a write over http is refused in the error shape and not acted on', async () => {
    const res = await system.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: overHttp,
      payload: { email: 'clear@example.com', password: 'Villa-Sunset-Marseille-2027', name: 'Clear', role: 'artist' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'forbidden');
    assert.match(res.json().error.message, /Use HTTPS: https:\/\/api\.mona-spark\.example\/api\/auth\/register/);
    const login = await system.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'clear@example.com', password: 'Villa-Sunset-Marseille-2027' },
    });
    assert.equal(login.statusCode, 401, 'the account was not created');
  });

  test('https requests, the platform health probes and an untrusted header pass', async () => {
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/status', headers: { 'x-forwarded-proto': 'https' } })).statusCode, 200);
    for (const url of ['/health', '/ready', '/metrics']) {
      assert.notEqual((await system.app.inject({ method: 'GET', url, headers: overHttp })).statusCode, 308, url);
    }
    // Without TRUST_PROXY the header is anyone's: it is not believed.
    assert.equal((await untrusting.app.inject({ method: 'GET', url: '/api/status', headers: overHttp })).statusCode, 200);
  });
});
