/**
 * The GitHub Actions workflows (they reference real npm scripts, run what the issue asks), the user's
 * deployment document's variables, and the runbook documenting what the manifests rely on.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { operations, SCHEMA_KEYS } from './checks.ts';
import { PLATFORM_VARIABLES, readJson, readYaml, REPO_ROOT, repoPath } from './fixtures.ts';

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    {
      'runs-on'?: string;
      container?: string | { image: string };
      services?: Record<string, { image: string }>;
      env?: Record<string, string>;
      needs?: string | string[];
      if?: string;
      uses?: string;
      steps?: { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string> }[];
    }
  >;
}

describe('GitHub Actions', () => {
  const ci = readYaml('.github/workflows/ci.yml') as Workflow;
  const deploy = readYaml('.github/workflows/deploy.yml') as Workflow;
  const scripts = (readJson('package.json') as { scripts: Record<string, string> }).scripts;
  const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
  const runs = (w: Workflow) =>
    steps(w)
      .map((s) => s.run ?? '')
      .join('\n');

  test('the workflows reference npm scripts that exist and current action versions', () => {
    for (const workflow of [ci, deploy]) {
      for (const [, script] of runs(workflow).matchAll(/npm run ([a-z][\w:-]*)/g)) assert.ok(script! in scripts, `npm run ${script} is not a script`);
      for (const step of steps(workflow)) {
        const uses = /^actions\/(checkout|setup-node)@v(\d+)/.exec(step.uses ?? '');
        if (uses) assert.ok(Number(uses[2]) >= 4, `${step.uses} is outdated`);
      }
    }
    assert.ok('test' in scripts && 'test:e2e' in scripts && 'check' in scripts);
  });

  test('dependabot: weekly updates of the npm workspaces (minor and patch grouped) and of the actions the workflows use', () => {
    const config = readYaml('.github/dependabot.yml') as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string; schedule: { interval: string }; groups?: Record<string, { 'update-types'?: string[] }> }[];
    };
    assert.equal(config.version, 2);
    const byEcosystem = new Map(config.updates.map((u) => [u['package-ecosystem'], u]));
    assert.deepEqual([...byEcosystem.keys()].sort(), ['github-actions', 'npm']);
    const npm = byEcosystem.get('npm')!;
    // The root lockfile covers every workspace.
    assert.equal(npm.directory, '/');
    assert.ok(existsSync(path.join(REPO_ROOT, 'package-lock.json')));
    assert.deepEqual(
      Object.values(npm.groups ?? {})
        .flatMap((g) => g['update-types'] ?? [])
        .sort(),
      ['minor', 'patch'],
    );
    assert.equal(byEcosystem.get('github-actions')!.directory, '/');
    for (const update of config.updates) assert.equal(update.schedule.interval, 'weekly');
    assert.ok(
      steps(ci).some((s) => s.uses?.startsWith('actions/')),
      'the workflows use actions Dependabot can update',
    );
    assert.ok('pull_request' in ci.on, 'CI runs on the pull requests Dependabot opens');
  });

  test('ci: install, check, the suite embedded and against PostgreSQL 15 and Redis 7, e2e with apt chromium, audit, image build', () => {
    const text = runs(ci);
    assert.match(text, /npm ci\b/);
    assert.match(text, /npm run check\b/);
    assert.match(text, /npm audit --audit-level=high/);
    assert.match(text, /npm run test:e2e/);
    assert.match(text, /apt-get install[^\n]*\bchromium\b/);
    const servers = Object.values(ci.jobs).find((j) => j.services);
    assert.ok(servers, 'a job with service containers');
    assert.match(servers.services!.postgres!.image, /^postgres:15/);
    assert.match(servers.services!.redis!.image, /^redis:7/);
    assert.match(servers.env!.DATABASE_URL!, /^postgres(ql)?:\/\//);
    assert.match(servers.env!.REDIS_URL!, /^redis:\/\//);
    assert.ok((servers.steps ?? []).some((s) => s.run?.trim() === 'npm test'));
    assert.ok(
      Object.values(ci.jobs).some((j) => (j.steps ?? []).some((s) => s.run?.trim() === 'npm test')) &&
        Object.values(ci.jobs).filter((j) => (j.steps ?? []).some((s) => s.run?.trim() === 'npm test')).length >= 2,
      'the suite runs embedded and against the servers',
    );
    assert.ok(
      steps(ci).some((s) => s.uses?.startsWith('docker/build-push-action@') || /docker build\b/.test(s.run ?? '')),
      'the image is built',
    );
  });

  test('deploy: on main and by hand, to the platform of a repository variable, smoke-tested, rolled back on failure', () => {
    assert.deepEqual((deploy.on.push as { branches: string[] }).branches, ['main']);
    assert.ok('workflow_dispatch' in deploy.on);
    const text = runs(deploy);
    assert.match(text, /\.\/deploy-cloud\.sh "\$PLATFORM"/);
    assert.match(JSON.stringify(deploy), /vars\.DEPLOY_PLATFORM/);
    assert.match(text, /\.\/deploy-cloud\.sh "\$PLATFORM" --check/);
    const rollback = steps(deploy).find((s) => /--rollback/.test(s.run ?? ''));
    assert.ok(rollback, 'a rollback step');
    assert.match(rollback.if ?? '', /failure\(\)/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("the user's deployment document (README-CLOUD.md)", () => {
  // The variables of its `.env` example (the document lives outside this repository: ../shared/seed).
  const SEED_ENV = [
    'DATABASE_URL',
    'REDIS_URL',
    'JWT_SECRET',
    'ENCRYPTION_KEY',
    'TWITCH_CLIENT_ID',
    'TWITCH_CLIENT_SECRET',
    'YOUTUBE_API_KEY',
    'TIKTOK_API_KEY',
    'SMTP_HOST',
    'SMTP_USER',
    'SMTP_PASS',
    'SMTP_PORT',
    'NEXT_PUBLIC_API_URL',
    'NEXT_PUBLIC_APP_URL',
  ];
  const seedFile = path.resolve(REPO_ROOT, '../shared/seed/README-CLOUD.md');

  test('the list above is the document’s (checked when the document is next to the repository)', (t) => {
    if (!existsSync(seedFile)) {
      t.skip('README-CLOUD.md is not next to this checkout');
      return;
    }
    const block = /```env\n([\s\S]*?)```/.exec(readFileSync(seedFile, 'utf8'))![1]!;
    const listed = block
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => l.split('=')[0]);
    assert.deepEqual(listed, SEED_ENV);
  });

  test('every variable is supported by the env schema, and docs/operations.md says which are not used yet', () => {
    const sources = collectSources(repoPath('apps/server/src')).filter(
      (f) => !/\.test(-helpers)?\.ts$|\/test\/|\/config\/env\.ts$|\/platform\/logger\.ts$|\/deploy\//.test(f),
    );
    const code = sources.map((f) => readFileSync(f, 'utf8')).join('\n');
    const notUsedSection = /## Variables not used yet\n([\s\S]*?)\n## /.exec(operations)?.[1] ?? '';
    for (const name of SEED_ENV) {
      assert.ok(SCHEMA_KEYS.has(name), `${name} is not in the env schema`);
      const used = new RegExp(`\\b${name}\\b`).test(code);
      assert.equal(
        notUsedSection.includes(`\`${name}\``),
        !used,
        used
          ? `${name} is used by the code: remove it from "Variables not used yet"`
          : `${name} is not used by the code yet: list it under "Variables not used yet"`,
      );
    }
  });

  test('docs/operations.md documents every platform variable and every platform', () => {
    for (const name of Object.keys(PLATFORM_VARIABLES)) assert.ok(operations.includes(`\`${name}\``), `${name} is not documented`);
    for (const heading of ['## Railway', '## Render', '## DigitalOcean', '## Rollback', 'openssl rand -base64 48', './deploy-cloud.sh'])
      assert.ok(operations.includes(heading), heading);
  });
});

function collectSources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collectSources(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}
