/**
 * deploy-cloud.sh, run for real against stand-in CLIs (deploy-harness.ts): usage, the refused weak
 * or placeholder secrets and URLs, missing or logged-out CLIs, and --dry-run (every command printed
 * in order, none run, secrets masked).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { answers, assertNoSecretShown, bin, deploy, dir, JWT, KEY, log, output, requests, SCRIPT, useDeployHarness } from './deploy-harness.ts';
import { pathWith, readJson, readLog, run } from './fixtures.ts';

useDeployHarness();

describe('deploy-cloud.sh: usage and refusals', () => {
  test('bash -n accepts it', async () => {
    const result = await run('bash', ['-n', SCRIPT], { env: { PATH: pathWith(bin) } });
    assert.equal(result.code, 0, result.stderr);
  });

  test('no platform: the usage, Railway recommended, exit 64 when no terminal can confirm', async () => {
    const result = await deploy([]);
    assert.equal(result.code, 64);
    assert.match(result.stdout, /Usage: \.\/deploy-cloud\.sh <platform>/);
    assert.match(result.stdout, /railway +Railway \(recommended\)/);
    assert.deepEqual(readLog(log), [], 'nothing ran');
    const unknown = await deploy(['heroku']);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /unknown argument: heroku/);
  });

  const weak: [string, Record<string, string>, RegExp][] = [
    ['the README-CLOUD placeholder', { JWT_SECRET: 'your_jwt_secret_here' }, /JWT_SECRET looks like a placeholder \(it contains "your_"\)/],
    ['changeme', { ENCRYPTION_KEY: 'changeme' }, /ENCRYPTION_KEY looks like a placeholder \(it contains "changeme"\)/],
    ['"secret", however long', { JWT_SECRET: 'secret-secret-secret-secret-secret-secret' }, /JWT_SECRET looks like a placeholder \(it contains "secret"\)/],
    ['short', { JWT_SECRET: 'Zq8s0Vb2Tn4Lx6Wr' }, /JWT_SECRET is too weak: 16 bytes, at least 32 are required/],
    ['a repetition', { ENCRYPTION_KEY: 'ab'.repeat(24) }, /ENCRYPTION_KEY is too weak: only 2 different characters/],
    ['missing', { JWT_SECRET: '' }, /JWT_SECRET is not set\. Generate one with: openssl rand -base64 48/],
    ['the same for both', { ENCRYPTION_KEY: JWT }, /JWT_SECRET and ENCRYPTION_KEY must be two different secrets/],
  ];
  for (const [what, env, message] of weak) {
    test(`refuses a weak secret (${what}) with exit 78, before any command, even in a dry run`, async () => {
      for (const platform of ['railway', 'digitalocean']) {
        const result = await deploy([platform, '--dry-run'], env);
        assert.equal(result.code, 78, `${platform}: ${output(result)}`);
        assert.match(result.stderr, message);
        assert.doesNotMatch(result.stderr, /^\+ /m, 'no command was shown');
        for (const value of Object.values(env)) if (value.length > 8) assert.ok(!output(result).includes(value), 'the refused value is not echoed');
      }
      assert.deepEqual(readLog(log), []);
    });
  }

  test('refuses a weak secret given to a Render deploy too, and a weak one Render holds', async () => {
    const given = await deploy(['render', '--dry-run'], { JWT_SECRET: 'changeme', RENDER_API_KEY: 'rnd_test' });
    assert.equal(given.code, 78);
    answers.renderJwt = 'your_jwt_secret_here_replace_me_now';
    const held = await deploy(['render', '--skip-build'], { JWT_SECRET: '', ENCRYPTION_KEY: '', RENDER_API_KEY: 'rnd_test' });
    assert.equal(held.code, 78, output(held));
    assert.match(held.stderr, /JWT_SECRET \(on Render\) looks like a placeholder/);
    assert.ok(!readLog(log).some((l) => l.startsWith('render deploys create')), 'nothing deployed');
    assert.ok(!output(held).includes(answers.renderJwt));
  });

  test('refuses a non-https public URL, a missing CLI, a CLI not logged in', async () => {
    const url = await deploy(['railway', '--dry-run'], { NEXT_PUBLIC_APP_URL: 'http://mona.example.com' });
    assert.equal(url.code, 78);
    assert.match(url.stderr, /NEXT_PUBLIC_APP_URL must be an https:\/\/ URL/);
    const noCli = await run('bash', [SCRIPT, 'digitalocean'], {
      env: {
        PATH: pathWith(path.join(dir, 'empty-bin')),
        JWT_SECRET: JWT,
        ENCRYPTION_KEY: KEY,
        NEXT_PUBLIC_APP_URL: 'https://a.example',
        NEXT_PUBLIC_API_URL: 'https://b.example',
        TMPDIR: dir,
      },
    });
    assert.equal(noCli.code, 69, output(noCli));
    assert.match(noCli.stderr, /the doctl CLI is not installed/);
    const loggedOut = await deploy(['railway'], { FAKE_LOGGED_OUT: '1' });
    assert.equal(loggedOut.code, 77);
    assert.match(loggedOut.stderr, /not logged in/);
  });
});

describe('deploy-cloud.sh --dry-run', () => {
  test('railway: prints every command in order (API first, migrations in its pre-deploy), runs none, masks the secrets', async () => {
    const result = await deploy(['railway', '--dry-run']);
    assert.equal(result.code, 0, output(result));
    assert.deepEqual(readLog(log), [], 'no CLI was called');
    const commands = result.stderr.split('\n').filter((l) => l.startsWith('+ '));
    const index = (pattern: RegExp) => commands.findIndex((c) => pattern.test(c));
    assert.ok(index(/^\+ railway status$/) === 0);
    for (const service of ['api', 'worker', 'worker-media', 'web']) {
      assert.ok(index(new RegExp(`railway deployment list --service ${service} --json`)) >= 0, `records ${service}'s live deployment`);
      assert.ok(index(new RegExp(`railway variables --service ${service} --skip-deploys`)) >= 0, `sets ${service}'s variables`);
    }
    const ups = commands.filter((c) => /railway up --service/.test(c)).map((c) => /--service (\S+)/.exec(c)![1]);
    assert.deepEqual(ups, ['api', 'worker', 'worker-media', 'web']);
    assert.ok(index(/docker build --pull -t mona-spark:/) < index(/railway up --service api/), 'the image is built before the deploy');
    const apiVariables = commands.find((c) => /railway variables --service api/.test(c))!;
    const variables = readJson('deploy/railway/variables.json') as Record<string, Record<string, string>>;
    for (const service of ['api', 'worker', 'worker-media', 'web']) {
      const line = commands.find((c) => c.startsWith(`+ railway variables --service ${service} `))!;
      for (const key of Object.keys(variables[service]!)) assert.ok(line.includes(`--set ${key}=`), `${service} gets ${key}`);
    }
    assert.match(apiVariables, /--set JWT_SECRET=\\\*\\\*\\\* --set ENCRYPTION_KEY=\\\*\\\*\\\*|--set JWT_SECRET=\*\*\* --set ENCRYPTION_KEY=\*\*\*/);
    assert.doesNotMatch(
      commands.find((c) => /railway variables --service web/.test(c))!,
      /JWT_SECRET/,
      'the web app gets no secret',
    );
    assert.match(result.stdout, /\+ wait for api: GET .*\/api\/ready answers 200 \(up to 3 attempts/);
    assert.match(result.stdout, /\+ wait for every job family \(workers\): GET .*\/api\/api\/status/);
    assert.match(result.stdout, /If a step fails, the deployed services are rolled back with/);
    assert.equal(commands.filter((c) => c.includes('deploymentRollback')).length, 4);
    assert.match(result.stdout, /web app: {2}http:\/\/127\.0\.0\.1:\d+\/web\n/);
    assert.equal(requests().length, 0, 'no HTTP request either');
    assertNoSecretShown(result);
  });

  test('render: validates the Blueprint, finds the services, deploys the API first', async () => {
    const result = await deploy(['render', '--dry-run'], { JWT_SECRET: '', ENCRYPTION_KEY: '', RENDER_API_KEY: 'rnd_secret_key_value' });
    assert.equal(result.code, 0, output(result));
    assert.deepEqual(readLog(log), []);
    const commands = result.stderr.split('\n').filter((l) => l.startsWith('+ '));
    assert.ok(commands.includes('+ render whoami -o json'));
    assert.ok(commands.includes('+ render blueprints validate render.yaml -o json'));
    const creates = commands.filter((c) => c.includes('render deploys create')).map((c) => /mona-[a-z-]+/.exec(c)![0]);
    assert.deepEqual(creates, ['mona-api', 'mona-worker', 'mona-worker-media', 'mona-web']);
    assert.ok(
      commands.some((c) => /\/env-groups\\?\?name=mona-secrets/.test(c)),
      'the generated secrets will be checked',
    );
    assertNoSecretShown(result, 'rnd_secret_key_value');
  });

  test('digitalocean: fills the spec, validates it, creates the app when DO_APP_ID is not set', async () => {
    const result = await deploy(['digitalocean', '--dry-run'], {
      DIGITALOCEAN_ACCESS_TOKEN: 'dop_v1_token_value',
      GITHUB_REPOSITORY: 'mona/ecosystem-mona-spark',
    });
    assert.equal(result.code, 0, output(result));
    assert.deepEqual(readLog(log), []);
    assert.match(result.stderr, /\+ doctl apps spec validate .*app\.\d+\.yaml/);
    assert.match(result.stderr, /\+ doctl apps create --spec .* --wait -o json/);
    assert.match(result.stdout, /DO_APP_ID is not set: the app will be created/);
    assertNoSecretShown(result, 'dop_v1_token_value');
  });
});
