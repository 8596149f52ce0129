import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';

// Behind the platform's load balancer (which appends the client's address to
// X-Forwarded-For) and the web app's /api forwarding (which passes it on as
// is), TRUST_PROXY=1 trusts only the process connected to us: the client IP is
// the last X-Forwarded-For entry, whatever the client wrote before it.
describe('client IP behind the platform proxy', () => {
  let system: TestSystem;
  before(async () => {
    system = await startTestSystem({ env: { TRUST_PROXY: '1', LOGIN_MAX_PER_IP: '2', LOGIN_MAX_PER_ACCOUNT: '100' } });
  });
  after(async () => system.close());

  const attempt = (xff: string) =>
    system.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': xff },
      payload: { email: 'nobody@example.com', password: 'wrong-password-1' },
    });

  test('a forged left part of X-Forwarded-For does not escape the per-IP limit', async () => {
    // Each hop appends; the last entry is the load balancer's view of the client.
    assert.equal((await attempt('1.1.1.1, 203.0.113.7')).statusCode, 401);
    assert.equal((await attempt('2.2.2.2, 203.0.113.7')).statusCode, 401);
    const third = await attempt('3.3.3.3, 203.0.113.7');
    assert.equal(third.statusCode, 429);
  });

  test('another real client is counted on its own', async () => {
    assert.equal((await attempt('1.1.1.1, 198.51.100.9')).statusCode, 401);
  });
});
