/**
 * The deployment files must not drift from the code: every platform manifest (Railway config as
 * code, the Render Blueprint, the DigitalOcean app spec), the Dockerfile and the GitHub workflows
 * are parsed and checked against what the code really serves and accepts: roles of the image's
 * entrypoint, health routes, ports, the env schema, the worker families and the npm scripts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { WORKER_FAMILIES } from '@mona/shared';
import { ConfigError, envSchema, parseConfig } from '../config/env.ts';
import { createHttpServer } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import { Metrics } from '../platform/metrics.ts';
import { WORKER_DEFAULT_PORT } from '../runtime.ts';
import { PLATFORM_VARIABLES, readJson, readText, readYaml, REPO_ROOT, repoPath, words } from './fixtures.ts';

const SCHEMA_KEYS = new Set(Object.keys(envSchema.shape));
const ALLOWED_VARIABLES = new Set([...SCHEMA_KEYS, ...Object.keys(PLATFORM_VARIABLES)]);
const schemaDefault = (key: 'PORT' | 'WEB_PORT') => envSchema.shape[key].parse(undefined);
const API_PORT = schemaDefault('PORT');
const WEB_PORT = schemaDefault('WEB_PORT');
const ENTRYPOINT = '/app/scripts/docker-entrypoint.sh';
const entrypointScript = readText('scripts/docker-entrypoint.sh');
const operations = readText('docs/operations.md');

/** Variables the code requires in production, as parseConfig reports them (not a list copied here). */
const REQUIRED_IN_PRODUCTION = (() => {
  try {
    parseConfig({ NODE_ENV: 'production' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.filter((p) => p.includes('required when NODE_ENV=production')).map((p) => p.split(':')[0]!);
  }
  return [];
})();

type Role = 'web' | 'api' | 'worker' | 'migrate';

/**
 * The role a platform command runs. Mirrors the entrypoint's own normalisation (tini and the
 * script's path are skipped); entrypoint.test.ts runs the real script on these same commands.
 */
function roleOf(command: string | string[]): { role: string; args: string[] } {
  const parts = Array.isArray(command) ? command : words(command);
  let i = 0;
  while (i < parts.length) {
    if (parts[i] === '/usr/bin/tini' || parts[i] === 'tini') {
      i += parts[i + 1] === '--' ? 2 : 1;
    } else if (parts[i]!.endsWith('docker-entrypoint.sh')) {
      assert.equal(parts[i], ENTRYPOINT, `commands call the entrypoint at its place in the image: ${parts.join(' ')}`);
      i += 1;
    } else break;
  }
  return { role: parts[i] ?? 'web', args: parts.slice(i + 1) };
}

/** Stand-in values for the platform references, to parse a manifest's environment with the real schema. */
function resolveReferences(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (/\$\{\{|\$\{|^<from/.test(value) || value === '') {
      if (key === 'DATABASE_URL') out[key] = 'postgres://mona:pw@db.internal:5432/mona';
      else if (key === 'REDIS_URL') out[key] = 'redis://default:pw@kv.internal:6379';
      else if (key.endsWith('_URL')) out[key] = 'https://mona.example.com';
      else out[key] = 'resolved-by-the-platform';
    } else out[key] = value;
  }
  return out;
}

const strongSecrets = { JWT_SECRET: 'k'.repeat(8) + 'Zq8s0Vb2Tn4Lx6Wr9Yp1Ma3Ce5Gi7Ok', ENCRYPTION_KEY: 'e'.repeat(8) + 'Hd2Jf4Kl6Np8Qr0St2Uv4Wx6Yz8Ab0Cd' };

/** A server process's manifest environment must parse with the real schema in production. */
function assertServerEnvironment(where: string, env: Record<string, string>, role: Role) {
  for (const key of Object.keys(env)) assert.ok(ALLOWED_VARIABLES.has(key), `${where}: ${key} is neither in the env schema nor a documented platform variable`);
  if (role === 'web') {
    assert.ok(env.API_INTERNAL_URL || env.API_INTERNAL_HOSTPORT, `${where}: the web app needs the API's private address`);
    assert.equal(env.NODE_ENV, 'production', `${where}: NODE_ENV`);
    return;
  }
  for (const key of ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'NEXT_PUBLIC_APP_URL', ...REQUIRED_IN_PRODUCTION]) {
    assert.ok(key in env, `${where}: ${key} is not provided`);
  }
  assert.equal(env.NODE_ENV, 'production', `${where}: NODE_ENV`);
  const config = parseConfig({ ...resolveReferences(env), ...strongSecrets });
  assert.equal(config.databaseMode, 'postgresql', `${where}: runs against the platform's PostgreSQL`);
  assert.equal(config.redisMode, 'redis', `${where}: runs against the platform's Redis`);
  return config;
}

/** Health paths the API and a worker really serve: their HTTP server answers them. */
async function servedByServer(paths: string[]): Promise<Map<string, number>> {
  const app = createHttpServer({
    service: 'manifest-check',
    version: 'test',
    logger: createLogger({ level: 'silent', name: 'manifest-check' }),
    metrics: new Metrics({ service: 'manifest-check', version: 'test' }, {}),
    checks: async () => [{ name: 'database', ok: true, mode: 'postgresql', latencyMs: 1, error: null }],
    bodyLimit: 1024,
    trustProxy: false,
  });
  const statuses = new Map<string, number>();
  for (const url of paths) statuses.set(url, (await app.inject({ method: 'GET', url })).statusCode);
  await app.close();
  return statuses;
}

/** A web app path is served when apps/web/app<path>/route.ts exports GET. */
function servedByWeb(urlPath: string): boolean {
  const file = repoPath('apps/web/app', urlPath, 'route.ts');
  return existsSync(file) && /export (async )?function GET\b/.test(readFileSync(file, 'utf8'));
}

function assertHealthPath(where: string, role: Role, urlPath: string, served: Map<string, number>) {
  if (role === 'web') assert.ok(servedByWeb(urlPath), `${where}: the web app serves no ${urlPath}`);
  else assert.equal(served.get(urlPath), 200, `${where}: ${urlPath} is not served by the ${role}`);
}

function assertWorkerFamilies(where: string, assignments: string[]) {
  const covered = new Set<string>();
  for (const value of assignments) {
    for (const family of value.split(',').map((s) => s.trim())) {
      assert.ok((WORKER_FAMILIES as readonly string[]).includes(family), `${where}: unknown worker family ${family}`);
      covered.add(family);
    }
  }
  assert.deepEqual([...covered].sort(), [...WORKER_FAMILIES].sort(), `${where}: every job family has a worker`);
}

// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------

interface RailwayConfig {
  $schema: string;
  build: Record<string, unknown> & { builder: string; dockerfilePath: string };
  deploy: Record<string, unknown> & {
    startCommand: string;
    preDeployCommand?: string[];
    healthcheckPath: string;
    healthcheckTimeout: number;
    restartPolicyType: string;
    restartPolicyMaxRetries?: number;
    numReplicas: number;
  };
}

// Fields of docs.railway.com/config-as-code/reference (build and deploy sections).
const RAILWAY_BUILD_FIELDS = [
  'builder',
  'dockerfilePath',
  'watchPatterns',
  'buildCommand',
  'railpackVersion',
  'nixpacksConfigPath',
  'nixpacksPlan',
  'nixpacksVersion',
];
const RAILWAY_DEPLOY_FIELDS = [
  'startCommand',
  'preDeployCommand',
  'numReplicas',
  'multiRegionConfig',
  'healthcheckPath',
  'healthcheckTimeout',
  'restartPolicyType',
  'restartPolicyMaxRetries',
  'cronSchedule',
  'overlapSeconds',
  'drainingSeconds',
  'sleepApplication',
];
const RAILWAY_SERVICES: Record<string, Role> = { web: 'web', api: 'api', worker: 'worker', 'worker-media': 'worker' };

describe('Railway (config as code per service)', () => {
  const configs = Object.fromEntries(Object.keys(RAILWAY_SERVICES).map((s) => [s, readJson(`deploy/railway/${s}.json`) as RailwayConfig]));
  const variables = readJson('deploy/railway/variables.json') as Record<string, Record<string, string>>;

  test('every service builds the Dockerfile with known config-as-code fields', () => {
    for (const [service, config] of Object.entries(configs)) {
      assert.equal(config.$schema, 'https://railway.com/railway.schema.json');
      assert.deepEqual(Object.keys(config).sort(), ['$schema', 'build', 'deploy']);
      for (const key of Object.keys(config.build)) assert.ok(RAILWAY_BUILD_FIELDS.includes(key), `${service}: unknown build field ${key}`);
      for (const key of Object.keys(config.deploy)) assert.ok(RAILWAY_DEPLOY_FIELDS.includes(key), `${service}: unknown deploy field ${key}`);
      assert.equal(config.build.builder, 'DOCKERFILE');
      assert.ok(existsSync(repoPath(config.build.dockerfilePath)));
      assert.equal(config.deploy.restartPolicyType, 'ON_FAILURE');
      assert.ok(Number.isInteger(config.deploy.restartPolicyMaxRetries) && config.deploy.restartPolicyMaxRetries! > 0);
      assert.ok(Number.isInteger(config.deploy.healthcheckTimeout) && config.deploy.healthcheckTimeout > 0);
      assert.ok(Number.isInteger(config.deploy.numReplicas) && config.deploy.numReplicas >= 1);
      // The drain time covers the graceful shutdown deadline.
      const shutdownMs = envSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(variables[service]?.SHUTDOWN_TIMEOUT_MS);
      assert.ok(Number(config.deploy.drainingSeconds) * 1000 > shutdownMs, `${service}: drainingSeconds below SHUTDOWN_TIMEOUT_MS`);
    }
  });

  test('start commands run the right role; migrations run before the API is deployed', () => {
    for (const [service, config] of Object.entries(configs)) {
      assert.equal(roleOf(config.deploy.startCommand).role, RAILWAY_SERVICES[service], service);
    }
    assert.deepEqual(
      configs.api!.deploy.preDeployCommand!.map((c) => roleOf(c).role),
      ['migrate'],
    );
    for (const service of ['web', 'worker', 'worker-media']) assert.equal(configs[service]!.deploy.preDeployCommand, undefined, `${service} never migrates`);
  });

  test('health check paths are served by the process of each service', async () => {
    const served = await servedByServer(Object.values(configs).map((c) => c.deploy.healthcheckPath));
    for (const [service, config] of Object.entries(configs))
      assertHealthPath(`railway ${service}`, RAILWAY_SERVICES[service]!, config.deploy.healthcheckPath, served);
  });

  test('the service variables are schema keys, wire Postgres and Redis, and give every family a worker', () => {
    assert.deepEqual(
      Object.keys(variables)
        .filter((k) => !k.startsWith('$'))
        .sort(),
      Object.keys(RAILWAY_SERVICES).sort(),
    );
    for (const [service, role] of Object.entries(RAILWAY_SERVICES)) {
      const env = variables[service]!;
      // The secrets are set by deploy-cloud.sh from its environment (checked in deploy-cloud.test.ts).
      const withSecrets = role === 'web' ? env : { ...env, JWT_SECRET: '<from deploy-cloud.sh>', ENCRYPTION_KEY: '<from deploy-cloud.sh>' };
      assertServerEnvironment(`railway ${service}`, withSecrets, role);
      if (role !== 'web') {
        assert.equal(env.DATABASE_URL, '${{Postgres.DATABASE_URL}}');
        assert.equal(env.REDIS_URL, '${{Redis.REDIS_URL}}');
        assert.equal(Number(env.PORT), role === 'api' ? API_PORT : WORKER_DEFAULT_PORT, `${service}: PORT`);
      } else {
        assert.equal(Number(env.PORT), WEB_PORT);
        assert.equal(env.API_INTERNAL_URL, `http://\${{api.RAILWAY_PRIVATE_DOMAIN}}:\${{api.PORT}}`);
      }
      // Railway's private network reaches services over IPv6: listen on both stacks.
      assert.equal(env.HOST, '::');
    }
    assertWorkerFamilies('railway', [variables.worker!.WORKERS!, variables['worker-media']!.WORKERS!]);
    assert.equal(variables['worker-media']!.WORKERS, 'media');
  });
});

// ---------------------------------------------------------------------------------------------

interface RenderEnvVar {
  key?: string;
  value?: string;
  generateValue?: boolean;
  sync?: boolean;
  fromGroup?: string;
  fromDatabase?: { name: string; property: string };
  fromService?: { name: string; type: string; property?: string; envVarKey?: string };
}
interface RenderService {
  type: string;
  name: string;
  runtime?: string;
  dockerfilePath?: string;
  dockerContext?: string;
  dockerCommand?: string;
  preDeployCommand?: string;
  healthCheckPath?: string;
  plan?: string;
  numInstances?: number;
  scaling?: Record<string, number>;
  ipAllowList?: unknown[];
  maxmemoryPolicy?: string;
  envVars?: RenderEnvVar[];
  [key: string]: unknown;
}
interface RenderBlueprint {
  services: RenderService[];
  databases: Record<string, unknown>[];
  envVarGroups: { name: string; envVars: RenderEnvVar[] }[];
}

// Fields of render.com/docs/blueprint-spec.
const RENDER_SERVICE_FIELDS = [
  'type',
  'name',
  'runtime',
  'region',
  'plan',
  'branch',
  'rootDir',
  'buildCommand',
  'startCommand',
  'preDeployCommand',
  'autoDeployTrigger',
  'maxShutdownDelaySeconds',
  'healthCheckPath',
  'domains',
  'envVars',
  'buildFilter',
  'disk',
  'scaling',
  'numInstances',
  'registryCredential',
  'image',
  'dockerfilePath',
  'dockerContext',
  'dockerCommand',
  'previews',
  'ipAllowList',
  'maxmemoryPolicy',
];
const RENDER_SERVICES: Record<string, Role> = { 'mona-web': 'web', 'mona-api': 'api', 'mona-worker': 'worker', 'mona-worker-media': 'worker' };

describe('Render (Blueprint)', () => {
  const blueprint = readYaml('render.yaml') as RenderBlueprint;
  const groups = new Map(blueprint.envVarGroups.map((g) => [g.name, g.envVars]));
  const byName = new Map(blueprint.services.map((s) => [s.name, s]));
  const databases = new Map(blueprint.databases.map((d) => [d.name as string, d]));

  /** A service's variables, its groups included; references become "<from …>". */
  const environment = (service: RenderService): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const v of service.envVars ?? []) {
      if (v.fromGroup) {
        assert.ok(groups.has(v.fromGroup), `${service.name}: no env group ${v.fromGroup}`);
        for (const g of groups.get(v.fromGroup)!) env[g.key!] = g.generateValue ? '<from render: generated>' : g.value!;
      } else if (v.fromDatabase) {
        assert.ok(databases.has(v.fromDatabase.name), `${service.name}: no database ${v.fromDatabase.name}`);
        assert.ok(['connectionString', 'connectionPoolString', 'host', 'port', 'user', 'password', 'database'].includes(v.fromDatabase.property));
        env[v.key!] = `<from database ${v.fromDatabase.name}>`;
      } else if (v.fromService) {
        const target = byName.get(v.fromService.name);
        assert.ok(target, `${service.name}: no service ${v.fromService.name}`);
        assert.equal(target.type, v.fromService.type, `${service.name}: ${v.fromService.name} is a ${target.type}`);
        env[v.key!] = `<from service ${v.fromService.name} ${v.fromService.property}>`;
      } else env[v.key!] = v.generateValue ? '<from render: generated>' : (v.value ?? '');
    }
    return env;
  };

  test('web services web and api, background workers, a Key Value instance, a PostgreSQL database', () => {
    assert.deepEqual(Object.keys(blueprint).sort(), ['databases', 'envVarGroups', 'services']);
    const types = Object.fromEntries(blueprint.services.map((s) => [s.name, s.type]));
    assert.deepEqual(types, { 'mona-api': 'web', 'mona-web': 'web', 'mona-worker': 'worker', 'mona-worker-media': 'worker', 'mona-kv': 'keyvalue' });
    for (const service of blueprint.services) {
      for (const key of Object.keys(service)) assert.ok(RENDER_SERVICE_FIELDS.includes(key), `${service.name}: unknown field ${key}`);
    }
    const kv = byName.get('mona-kv')!;
    assert.deepEqual(kv.ipAllowList, [], 'Key Value reachable from the private network only');
    assert.equal(kv.maxmemoryPolicy, 'noeviction', 'BullMQ jobs must never be evicted');
    const db = databases.get('mona-db')!;
    assert.ok(Number(db.postgresMajorVersion) >= 15, 'PostgreSQL 15 or newer');
    const dockerfile = readText('Dockerfile');
    assert.ok(
      Number(db.postgresMajorVersion) <= Number(/^ARG PG_CLIENT_MAJOR=(\d+)$/m.exec(dockerfile)![1]),
      'pg_dump in the image is at least the server major',
    );
  });

  test('every service runs the Dockerfile with the right role; migrations run before the API goes live', () => {
    for (const [name, role] of Object.entries(RENDER_SERVICES)) {
      const service = byName.get(name)!;
      assert.equal(service.runtime, 'docker');
      assert.ok(existsSync(repoPath(service.dockerfilePath!)));
      assert.equal(service.dockerContext, '.');
      assert.equal(roleOf(service.dockerCommand!).role, role, name);
      assert.equal(service.autoDeployTrigger, 'off', `${name}: deploys go through deploy-cloud.sh (API first, rollback)`);
      assert.equal(service.preDeployCommand === undefined, name !== 'mona-api', `${name}: only the API migrates`);
    }
    assert.equal(roleOf(byName.get('mona-api')!.preDeployCommand!).role, 'migrate');
  });

  test('health check paths of the web services are served; scaling has bounds and CPU and memory targets', async () => {
    const served = await servedByServer(['mona-web', 'mona-api'].map((n) => byName.get(n)!.healthCheckPath!));
    for (const name of ['mona-web', 'mona-api']) {
      const service = byName.get(name)!;
      assertHealthPath(`render ${name}`, RENDER_SERVICES[name]!, service.healthCheckPath!, served);
      const scaling = service.scaling!;
      assert.deepEqual(Object.keys(scaling).sort(), ['maxInstances', 'minInstances', 'targetCPUPercent', 'targetMemoryPercent']);
      assert.ok(scaling.minInstances! >= 1 && scaling.maxInstances! > scaling.minInstances!);
      for (const target of [scaling.targetCPUPercent!, scaling.targetMemoryPercent!]) assert.ok(target > 0 && target <= 90);
    }
    for (const name of ['mona-worker', 'mona-worker-media']) assert.ok(byName.get(name)!.numInstances! >= 1);
  });

  test('variables: schema keys only, wired with fromDatabase / fromService, secrets generated, ports from the code', () => {
    for (const [name, role] of Object.entries(RENDER_SERVICES)) assertServerEnvironment(`render ${name}`, environment(byName.get(name)!), role);
    for (const name of ['mona-api', 'mona-worker', 'mona-worker-media']) {
      const vars = byName.get(name)!.envVars!;
      assert.deepEqual(vars.find((v) => v.key === 'DATABASE_URL')?.fromDatabase, { name: 'mona-db', property: 'connectionString' });
      assert.deepEqual(vars.find((v) => v.key === 'REDIS_URL')?.fromService, { type: 'keyvalue', name: 'mona-kv', property: 'connectionString' });
    }
    const secrets = groups.get('mona-secrets')!;
    for (const key of REQUIRED_IN_PRODUCTION)
      assert.ok(
        secrets.some((v) => v.key === key && v.generateValue === true),
        `${key} generated by Render`,
      );
    // Env groups accept neither references nor sync: false.
    for (const group of blueprint.envVarGroups)
      for (const v of group.envVars) assert.ok(!v.fromDatabase && !v.fromService && !v.fromGroup && v.sync === undefined);
    assert.equal(Number(environment(byName.get('mona-api')!).PORT), API_PORT);
    assert.equal(Number(environment(byName.get('mona-web')!).PORT), WEB_PORT);
    const web = byName.get('mona-web')!.envVars!.find((v) => v.key === 'API_INTERNAL_HOSTPORT');
    assert.deepEqual(web?.fromService, { type: 'web', name: 'mona-api', property: 'hostport' });
    assertWorkerFamilies(
      'render',
      ['mona-worker', 'mona-worker-media'].map((n) => environment(byName.get(n)!).WORKERS!),
    );
  });
});

// ---------------------------------------------------------------------------------------------

interface DoEnv {
  key: string;
  value?: string;
  scope?: string;
  type?: string;
}
interface DoComponent {
  name: string;
  run_command: string;
  dockerfile_path: string;
  source_dir: string;
  github: { repo: string; branch: string; deploy_on_push: boolean };
  envs?: DoEnv[];
  http_port?: number;
  instance_size_slug: string;
  instance_count?: number;
  autoscaling?: { min_instance_count: number; max_instance_count: number; metrics: { cpu: { percent: number } } };
  health_check?: { http_path: string; port?: number };
  liveness_health_check?: { http_path: string; port: number };
  kind?: string;
  [key: string]: unknown;
}
interface DoSpec {
  name: string;
  region: string;
  envs: DoEnv[];
  services: DoComponent[];
  workers: DoComponent[];
  jobs: DoComponent[];
  databases: { name: string; engine: string; version: string; production: boolean; cluster_name?: string }[];
  ingress: { rules: { match: { path: { prefix: string } }; component: { name: string } }[] };
  [key: string]: unknown;
}

// Fields of the app spec (docs.digitalocean.com/products/app-platform/reference/app-spec; godo's AppSpec types).
const DO_APP_FIELDS = [
  'name',
  'region',
  'services',
  'static_sites',
  'workers',
  'jobs',
  'functions',
  'databases',
  'domains',
  'envs',
  'alerts',
  'ingress',
  'egress',
  'features',
  'maintenance',
];
const DO_COMMON = [
  'name',
  'git',
  'github',
  'gitlab',
  'bitbucket',
  'image',
  'dockerfile_path',
  'build_command',
  'run_command',
  'source_dir',
  'environment_slug',
  'envs',
  'instance_size_slug',
  'instance_count',
  'alerts',
  'log_destinations',
  'termination',
];
const DO_FIELDS = {
  services: [...DO_COMMON, 'autoscaling', 'http_port', 'protocol', 'routes', 'health_check', 'cors', 'internal_ports', 'liveness_health_check'],
  workers: [...DO_COMMON, 'autoscaling', 'liveness_health_check'],
  jobs: [...DO_COMMON, 'kind'],
};
const DO_ENGINES = ['MYSQL', 'PG', 'REDIS', 'MONGODB', 'KAFKA', 'OPENSEARCH', 'VALKEY'];
const DO_COMPONENTS: Record<string, Role> = { web: 'web', api: 'api', worker: 'worker', 'worker-media': 'worker', migrate: 'migrate' };

describe('DigitalOcean App Platform (app spec)', () => {
  const spec = readYaml('.do/app.yaml') as DoSpec;
  const components = [...spec.services, ...spec.workers, ...spec.jobs];
  const byName = new Map(components.map((c) => [c.name, c]));
  const appEnv = Object.fromEntries(spec.envs.map((e) => [e.key, e.value ?? (e.type === 'SECRET' ? '<from deploy-cloud.sh: secret>' : '')]));
  const environment = (c: DoComponent) => ({ ...appEnv, ...Object.fromEntries((c.envs ?? []).map((e) => [e.key, e.value ?? ''])) });

  test('known fields; services web and api, workers, the PRE_DEPLOY migration job, PostgreSQL and Valkey', () => {
    for (const key of Object.keys(spec)) assert.ok(DO_APP_FIELDS.includes(key), `unknown app field ${key}`);
    for (const kind of ['services', 'workers', 'jobs'] as const) {
      for (const c of spec[kind]) for (const key of Object.keys(c)) assert.ok(DO_FIELDS[kind].includes(key), `${c.name}: unknown ${kind} field ${key}`);
    }
    assert.deepEqual(
      spec.services.map((s) => s.name),
      ['web', 'api'],
    );
    assert.deepEqual(
      spec.workers.map((s) => s.name),
      ['worker', 'worker-media'],
    );
    assert.deepEqual(
      spec.jobs.map((j) => [j.name, j.kind]),
      [['migrate', 'PRE_DEPLOY']],
    );
    const engines = Object.fromEntries(spec.databases.map((d) => [d.name, d.engine]));
    assert.deepEqual(engines, { db: 'PG', cache: 'VALKEY' });
    for (const d of spec.databases) {
      assert.ok(DO_ENGINES.includes(d.engine));
      assert.ok(d.production && d.cluster_name, `${d.name}: a managed cluster, attached by name`);
    }
    assert.ok(Number(spec.databases.find((d) => d.engine === 'PG')!.version) >= 15);
  });

  test('every component builds the Dockerfile and runs the right role; the job migrates', () => {
    for (const c of components) {
      assert.equal(roleOf(c.run_command).role, DO_COMPONENTS[c.name], c.name);
      assert.ok(existsSync(repoPath(c.dockerfile_path)));
      assert.equal(c.source_dir, '/');
      assert.equal(c.github.repo, '__GITHUB_REPOSITORY__', 'filled in by deploy-cloud.sh');
      assert.equal(c.github.deploy_on_push, false, 'deploys go through deploy-cloud.sh');
    }
  });

  test('ports and health checks match what the code serves; autoscaling on CPU', async () => {
    const served = await servedByServer(
      components.flatMap((c) => [c.health_check?.http_path, c.liveness_health_check?.http_path].filter((p): p is string => Boolean(p))),
    );
    const web = byName.get('web')!;
    const api = byName.get('api')!;
    assert.equal(web.http_port, WEB_PORT);
    assert.equal(api.http_port, API_PORT);
    assert.equal(Number(environment(api).PORT), API_PORT);
    assertHealthPath('do web', 'web', web.health_check!.http_path, served);
    assertHealthPath('do api', 'api', api.health_check!.http_path, served);
    for (const worker of spec.workers) {
      assert.equal(worker.liveness_health_check!.port, WORKER_DEFAULT_PORT);
      assert.equal(Number(environment(worker).PORT), WORKER_DEFAULT_PORT);
      assertHealthPath(`do ${worker.name}`, 'worker', worker.liveness_health_check!.http_path, served);
    }
    for (const c of [web, api, byName.get('worker-media')!]) {
      const a = c.autoscaling!;
      assert.ok(a.min_instance_count >= 1 && a.max_instance_count > a.min_instance_count, `${c.name}: autoscaling bounds`);
      assert.ok(a.metrics.cpu.percent > 0 && a.metrics.cpu.percent <= 90);
      assert.equal(c.instance_count, undefined, `${c.name}: instance_count and autoscaling exclude each other`);
    }
    // The ingress sends / to the web app and /backend to the API; NEXT_PUBLIC_API_URL says so.
    assert.deepEqual(
      spec.ingress.rules.map((r) => [r.match.path.prefix, r.component.name]),
      [
        ['/backend', 'api'],
        ['/', 'web'],
      ],
    );
    assert.equal(appEnv.NEXT_PUBLIC_API_URL, '${APP_URL}/backend');
  });

  test('variables: schema keys only, bound to the databases, secrets typed SECRET without a value in the repository', () => {
    for (const c of components) assertServerEnvironment(`do ${c.name}`, environment(c), DO_COMPONENTS[c.name] === 'migrate' ? 'api' : DO_COMPONENTS[c.name]!);
    const names = new Set([...components.map((c) => c.name), ...spec.databases.map((d) => d.name)]);
    for (const e of [...spec.envs, ...components.flatMap((c) => c.envs ?? [])]) {
      for (const [, ref] of (e.value ?? '').matchAll(/\$\{([a-z0-9-]+)\.[A-Z_]+\}/g))
        assert.ok(names.has(ref!), `${e.key}: \${${ref}.…} names no component or database`);
      assert.ok(['RUN_TIME', 'BUILD_TIME', 'RUN_AND_BUILD_TIME'].includes(e.scope ?? 'RUN_TIME'));
    }
    assert.equal(appEnv.DATABASE_URL, '${db.DATABASE_URL}');
    assert.equal(appEnv.REDIS_URL, '${cache.DATABASE_URL}');
    assert.equal(appEnv.DATABASE_CA_CERT, '${db.CA_CERT}');
    for (const key of REQUIRED_IN_PRODUCTION) {
      const entry = spec.envs.find((e) => e.key === key)!;
      assert.equal(entry.type, 'SECRET', `${key} is a SECRET`);
      assert.equal(entry.value, undefined, `${key} has no value committed`);
    }
    assert.equal(environment(byName.get('web')!).API_INTERNAL_URL, '${api.PRIVATE_URL}');
    assertWorkerFamilies(
      'digitalocean',
      spec.workers.map((w) => environment(w).WORKERS!),
    );
  });
});

// ---------------------------------------------------------------------------------------------

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
    assert.ok(servers.steps.some((s) => s.run?.trim() === 'npm test'));
    assert.ok(
      Object.values(ci.jobs).some((j) => j.steps.some((s) => s.run?.trim() === 'npm test')) &&
        Object.values(ci.jobs).filter((j) => j.steps.some((s) => s.run?.trim() === 'npm test')).length >= 2,
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
