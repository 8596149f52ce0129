/**
 * The DigitalOcean App Platform spec (.do/app.yaml), checked against the code: components and roles,
 * the PRE_DEPLOY migration job, ports, health checks, autoscaling, database bindings, secrets.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { WORKER_DEFAULT_PORT } from '../runtime.ts';
import {
  API_PORT,
  assertHealthPath,
  assertServerEnvironment,
  assertWorkerFamilies,
  REQUIRED_IN_PRODUCTION,
  roleOf,
  servedByServer,
  WEB_PORT,
  type Role,
} from './checks.ts';
import { readYaml, repoPath } from './fixtures.ts';

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
      // A liveness probe restarts the process: it must not fail because a dependency is away (the worker reconnects).
      assert.equal(worker.liveness_health_check!.http_path, '/health', `${worker.name}: liveness on /health, not /ready`);
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
