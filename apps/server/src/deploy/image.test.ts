/**
 * The Dockerfile and .dockerignore, parsed: stages, the Node LTS (the same major as CI), the non-root
 * user, tini, pg_dump, the health check for every role, and what the build context keeps out.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { WORKER_DEFAULT_PORT } from '../runtime.ts';
import { API_PORT, entrypointScript, servedByWeb, WEB_PORT } from './checks.ts';
import { readJson, readText, readYaml, repoPath } from './fixtures.ts';

describe('Dockerfile', () => {
  const dockerfile = readText('Dockerfile');
  const lines = dockerfile.split('\n');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gim)].map((m) => ({ image: m[1]!, name: m[2]! }));
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  test('multi-stage: deps (npm ci) -> build (next build) -> prune (dev dependencies out) -> runtime', () => {
    assert.deepEqual(
      stages.map((s) => s.name),
      ['base', 'deps', 'build', 'prune', 'runtime'],
    );
    const stageText = (name: string) => {
      const start = dockerfile.search(new RegExp(`^FROM .* AS ${name}\\s*$`, 'm'));
      const next = dockerfile.slice(start + 1).search(/^FROM /m);
      return dockerfile.slice(start, next === -1 ? undefined : start + 1 + next);
    };
    assert.match(stageText('deps'), /RUN npm ci\b/);
    assert.match(stageText('build'), /npm run build\b/);
    assert.match(stageText('prune'), /npm prune --omit=dev/);
    assert.match(stageText('runtime'), /COPY --from=prune /);
    // The root `build` script is the web app's next build.
    const pkg = readJson('package.json') as { scripts: Record<string, string> };
    const webPkg = readJson('apps/web/package.json') as { scripts: Record<string, string> };
    assert.match(pkg.scripts.build!, /--workspace apps\/web/);
    assert.equal(webPkg.scripts.build, 'next build');
  });

  test('the deps stage copies every workspace manifest before npm ci (or npm ci fails in the image)', () => {
    const pkg = readJson('package.json') as { workspaces: string[] };
    for (const workspace of pkg.workspaces) {
      assert.ok(dockerfile.includes(`COPY ${workspace}/package.json ${workspace}/`), `${workspace}/package.json is not copied`);
    }
    assert.match(dockerfile, /COPY package\.json package-lock\.json \.npmrc \.\//);
  });

  test('runs on a supported Node LTS, the same major as CI', () => {
    const major = Number(/^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)?.[1]);
    assert.ok(major >= 22 && major % 2 === 0, `Node ${major} is not a supported LTS line`);
    assert.equal(stages[0]!.image, 'node:${NODE_VERSION}-bookworm-slim');
    const engines = (readJson('package.json') as { engines: { node: string } }).engines.node;
    assert.ok(major >= Number(/\d+/.exec(engines)![0]), `Node ${major} is below package.json engines ${engines}`);
    const ci = readYaml('.github/workflows/ci.yml') as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
    const versions = Object.values(ci.jobs)
      .flatMap((job) => job.steps ?? [])
      .filter((s) => s.uses?.startsWith('actions/setup-node@'))
      .map((s) => String(s.with?.['node-version']));
    assert.ok(versions.length > 0, 'ci.yml sets up Node');
    for (const version of versions) assert.equal(version, String(major), 'ci.yml tests on the image Node major');
  });

  test('runtime: non-root user, tini as PID 1, pg_dump / pg_restore available, a health check for every role', () => {
    const users = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    assert.equal(users.length, 1);
    assert.ok(!['root', '0', '0:0'].includes(users[0]!), 'the final stage runs as a non-root user');
    assert.match(finalStage, /apt-get install[^\n]*\btini\b/);
    assert.match(finalStage, /postgresql-client-\$\{PG_CLIENT_MAJOR\}/);
    assert.match(dockerfile, /^ARG PG_CLIENT_MAJOR=(1[7-9]|[2-9]\d)$/m);
    assert.match(finalStage, /^ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/app\/scripts\/docker-entrypoint\.sh"\]$/m);
    const healthcheck = lines.findIndex((l) => l.startsWith('HEALTHCHECK'));
    assert.ok(healthcheck > 0, 'HEALTHCHECK present');
    const healthcheckText = `${lines[healthcheck]}\n${lines[healthcheck + 1]}`;
    assert.match(healthcheckText, /CMD \["\/app\/scripts\/docker-entrypoint\.sh", "healthcheck"\]/);
    assert.match(entrypointScript, /^ {2}healthcheck\)$/m, 'the entrypoint has the healthcheck role');
    assert.match(finalStage, /^ENV NODE_ENV=production/m);
  });

  test('.dockerignore keeps host artefacts and secrets out, and everything the build needs in', () => {
    const patterns = readText('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const p of ['.git', '**/node_modules', '**/.next', '.data', '.env', '.env.*']) assert.ok(patterns.includes(p), `.dockerignore lacks ${p}`);
    const ignored = (file: string) => {
      let result = false;
      for (const p of patterns) {
        const negate = p.startsWith('!');
        const pattern = negate ? p.slice(1) : p;
        const matches = pattern.startsWith('**/')
          ? file.split('/').includes(pattern.slice(3))
          : file === pattern || file.startsWith(`${pattern}/`) || (pattern.endsWith('*') && file.startsWith(pattern.slice(0, -1)));
        if (matches) result = !negate;
      }
      return result;
    };
    for (const needed of [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'apps/server/src/entrypoints/api.ts',
      'apps/web/next.config.ts',
      'packages/shared/src/index.ts',
      'scripts/docker-entrypoint.sh',
      'apps/server/migrations',
    ]) {
      assert.ok(!ignored(needed), `${needed} must reach the image`);
    }
    assert.ok(ignored('.env') && ignored('.env.production') && !ignored('.env.example'));
    assert.ok(ignored('node_modules/next') && ignored('apps/web/node_modules/x') && ignored('apps/web/.next/cache'));
  });

  test('the entrypoint defaults agree with the code', () => {
    assert.match(entrypointScript, new RegExp(`local_url "\\$\\{PORT:-${API_PORT}\\}" /health\\)"\\n {4}server api`));
    assert.match(entrypointScript, new RegExp(`local_url "\\$\\{PORT:-${WORKER_DEFAULT_PORT}\\}" /health\\)"\\n {4}server worker`));
    assert.match(entrypointScript, new RegExp(`port="\\$\\{PORT:-\\$\\{WEB_PORT:-${WEB_PORT}\\}\\}"`));
    for (const entry of ['api', 'worker', 'cli']) assert.ok(existsSync(repoPath(`apps/server/src/entrypoints/${entry}.ts`)));
    assert.ok(servedByWeb('/healthz'));
  });
});
