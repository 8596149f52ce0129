/**
 * deploy-cloud.sh deploys, run for real against stand-in CLIs and a local server playing the
 * services and the platforms' APIs (deploy-harness.ts): the API first, each deployment followed,
 * bounded readiness waits, and the rollback calls of each platform when something fails; then the
 * --check and --rollback steps of deploy.yml.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { answers, assertNoSecretShown, deploy, JWT, KEY, log, output, requests, requestsTo, state, useDeployHarness } from './deploy-harness.ts';
import { readLog } from './fixtures.ts';

useDeployHarness();

describe('deploy-cloud.sh deploys (stand-in CLIs, local services)', () => {
  test('railway: variables, API first, each deployment followed until SUCCESS, readiness of web, API and every family, URLs', async () => {
    const result = await deploy(['railway', '--skip-build']);
    assert.equal(result.code, 0, output(result));
    const calls = readLog(log);
    const ups = calls.filter((c) => c.startsWith('railway up')).map((c) => /--service (\S+)/.exec(c)![1]);
    assert.deepEqual(ups, ['api', 'worker', 'worker-media', 'web']);
    const apiVars = calls.find((c) => c.startsWith('railway variables --service api'))!;
    assert.ok(apiVars.includes(`--set JWT_SECRET=${JWT}`) && apiVars.includes(`--set ENCRYPTION_KEY=${KEY}`), 'the secrets are set on the platform');
    assert.ok(apiVars.includes('--set DATABASE_URL=${{Postgres.DATABASE_URL}}'));
    assert.ok(apiVars.includes('--set NEXT_PUBLIC_API_URL=https://${{api.RAILWAY_PUBLIC_DOMAIN}}'), 'the last variable of the file too');
    assert.ok(calls.indexOf(apiVars) < calls.findIndex((c) => c.startsWith('railway up')), 'variables before the first deploy');
    const readiness = requests().map((r) => r.url);
    assert.ok(readiness.includes('/api/ready') && readiness.includes('/web/healthz') && readiness.includes('/api/api/status'));
    assert.ok(readiness.indexOf('/api/ready') < readiness.indexOf('/web/healthz'), "the API's readiness is awaited before the rest is deployed");
    assert.match(result.stdout, /MONA x SPARK is live on railway/);
    assert.match(result.stdout, /API: {6}http:\/\/127\.0\.0\.1:\d+\/api \(docs: .*\/api\/api\/docs\)/);
    assert.equal(requestsTo('/railway/').length, 0, 'no rollback');
    assertNoSecretShown(result);
  });

  test('railway: the API never gets ready -> bounded wait, the API rolled back to its previous deployment, exit 1', async () => {
    answers.api = 503;
    const result = await deploy(['railway', '--skip-build'], { RAILWAY_TOKEN: 'project-token-value' });
    assert.equal(result.code, 1, output(result));
    assert.equal(requestsTo('/api/ready').length, 3, 'DEPLOY_READY_ATTEMPTS bounds the wait');
    assert.match(result.stdout, /waiting for api: .* answered 503 \(attempt 3\/3\)/);
    const rollbacks = requestsTo('/railway/graphql');
    assert.equal(rollbacks.length, 1, 'only the API was deployed');
    const body = JSON.parse(rollbacks[0]!.body) as { query: string; variables: { id: string } };
    assert.equal(body.query, 'mutation($id: String!) { deploymentRollback(id: $id) }');
    assert.equal(body.variables.id, 'old-api');
    assert.equal(rollbacks[0]!.headers['project-access-token'], 'project-token-value');
    assert.ok(!readLog(log).some((c) => /railway up --service (worker|web)/.test(c)), 'the workers and the web app were not deployed');
    assert.match(result.stderr, /deploy failed and was rolled back/);
    assertNoSecretShown(result, 'project-token-value');
  });

  test('railway: a deployment that ends FAILED stops the deploy and rolls back what was deployed', async () => {
    const result = await deploy(['railway', '--skip-build'], { FAKE_UP_STATUS: 'FAILED', RAILWAY_API_TOKEN: 'account-token' });
    assert.equal(result.code, 1, output(result));
    assert.match(result.stderr, /api: deployment new-api ended FAILED/);
    assert.equal(requestsTo('/railway/graphql')[0]!.headers.authorization, 'Bearer account-token');
  });

  test('railway without an API token: the rollback steps are printed, exit 2', async () => {
    answers.web = 503;
    const result = await deploy(['railway', '--skip-build']);
    assert.equal(result.code, 2, output(result));
    assert.match(result.stdout, /web: roll back by hand: Railway dashboard > web > Deployments > deployment old-web > Rollback/);
    assert.match(result.stderr, /the rollback did not complete/);
  });

  test('render: generated secrets checked through the API, API first, a failing web app rolls every service back', async () => {
    answers.web = 503;
    const result = await deploy(['render', '--skip-build'], { JWT_SECRET: '', ENCRYPTION_KEY: '', RENDER_API_KEY: 'rnd_key' });
    assert.equal(result.code, 1, output(result));
    assert.match(result.stdout, /JWT_SECRET and ENCRYPTION_KEY on Render are strong/);
    const creates = readLog(log)
      .filter((c) => c.startsWith('render deploys create'))
      .map((c) => c.split(' ')[3]);
    assert.deepEqual(creates, ['srv-api', 'srv-wrk', 'srv-med', 'srv-web']);
    const rollbacks = requestsTo('/render/v1/services/');
    assert.deepEqual(
      rollbacks.map((r) => [r.url, (JSON.parse(r.body) as { deployId: string }).deployId]),
      [
        ['/render/v1/services/srv-web/rollback', 'dep-live-srv-web'],
        ['/render/v1/services/srv-med/rollback', 'dep-live-srv-med'],
        ['/render/v1/services/srv-wrk/rollback', 'dep-live-srv-wrk'],
        ['/render/v1/services/srv-api/rollback', 'dep-live-srv-api'],
      ],
    );
    assert.equal(rollbacks[0]!.headers.authorization, 'Bearer rnd_key');
    assertNoSecretShown(result, 'rnd_key');
  });

  test('render: a failing API deploy (its migrations) stops before the workers', async () => {
    const result = await deploy(['render', '--skip-build'], { JWT_SECRET: '', ENCRYPTION_KEY: '', RENDER_API_KEY: 'rnd_key', FAKE_RENDER_FAIL: 'srv-api' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the API did not deploy \(or its migrations failed\)/);
    assert.equal(readLog(log).filter((c) => c.startsWith('render deploys create')).length, 1);
  });

  test('digitalocean: the spec gets the repository and the secrets, the app is updated, readiness failure rolls the app back', async () => {
    answers.familiesReady = false;
    const result = await deploy(['digitalocean', '--skip-build'], {
      DIGITALOCEAN_ACCESS_TOKEN: 'dop_token',
      DO_APP_ID: 'app-123',
      GITHUB_REPOSITORY: 'mona/ecosystem-mona-spark',
    });
    assert.equal(result.code, 1, output(result));
    assert.ok(readLog(log).some((c) => /^doctl apps update app-123 --spec \S+ --update-sources --wait -o json$/.test(c)));
    const deployed = parse(readFileSync(path.join(state, 'deployed-spec.yaml'), 'utf8')) as {
      envs: { key: string; value?: string; type?: string }[];
      services: { github: { repo: string } }[];
    };
    assert.equal(deployed.envs.find((e) => e.key === 'JWT_SECRET')!.value, JWT);
    assert.equal(deployed.envs.find((e) => e.key === 'ENCRYPTION_KEY')!.value, KEY);
    assert.equal(deployed.envs.find((e) => e.key === 'JWT_SECRET')!.type, 'SECRET');
    assert.ok(deployed.services.every((s) => s.github.repo === 'mona/ecosystem-mona-spark'));
    assert.equal(requestsTo('/api/api/status').length, 3, 'waited for every family, bounded');
    const rollback = requestsTo('/do/v2/apps/');
    assert.equal(rollback.length, 1);
    assert.equal(rollback[0]!.url, '/do/v2/apps/app-123/rollback');
    assert.deepEqual(JSON.parse(rollback[0]!.body), { deployment_id: 'dep-active', skip_pin: true });
    assert.equal(rollback[0]!.headers.authorization, 'Bearer dop_token');
    assertNoSecretShown(result, 'dop_token');
  });

  test('digitalocean: the first deploy creates the app and says to keep its id', async () => {
    const result = await deploy(['digitalocean', '--skip-build'], { DIGITALOCEAN_ACCESS_TOKEN: 'dop_token', GITHUB_REPOSITORY: 'mona/ecosystem-mona-spark' });
    assert.equal(result.code, 0, output(result));
    assert.match(result.stdout, /app created: app-created-1\. Set DO_APP_ID=app-created-1/);
    assert.ok(readLog(log).some((c) => c.startsWith('doctl apps create --spec')));
  });
});

describe('deploy-cloud.sh --check and --rollback (the smoke test and rollback steps of deploy.yml)', () => {
  test('--check waits for web, API and every family; fails after the bounded attempts', async () => {
    const ok = await deploy(['railway', '--check']);
    assert.equal(ok.code, 0, output(ok));
    assert.deepEqual(readLog(log), [], 'a check calls no platform');
    answers.familiesReady = false;
    const notReady = await deploy(['railway', '--check']);
    assert.equal(notReady.code, 1);
    assert.match(notReady.stderr, /every job family \(workers\) is not ready after 3 attempts/);
  });

  test('--rollback after a deploy the smoke test rejected: rolls back once, then says it is done', async () => {
    const deployed = await deploy(['railway', '--skip-build']);
    assert.equal(deployed.code, 0, output(deployed));
    const first = await deploy(['railway', '--rollback'], { RAILWAY_TOKEN: 'project-token' });
    assert.equal(first.code, 0, output(first));
    const ids = requestsTo('/railway/graphql').map((r) => (JSON.parse(r.body) as { variables: { id: string } }).variables.id);
    assert.deepEqual(ids, ['old-web', 'old-worker-media', 'old-worker', 'old-api']);
    const second = await deploy(['railway', '--rollback'], { RAILWAY_TOKEN: 'project-token' });
    assert.equal(second.code, 0);
    assert.match(second.stdout, /already rolled back/);
    assert.equal(requestsTo('/railway/graphql').length, 4);
  });

  test('--rollback with no recorded deploy fails clearly', async () => {
    const result = await deploy(['render', '--rollback'], { RENDER_API_KEY: 'rnd_key' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no deploy recorded/);
  });
});
