/**
 * The Render Blueprint (render.yaml), checked against the code: services and roles, migrations before
 * the API goes live, health paths, scaling, variables wired with fromDatabase / fromService.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
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
import { readText, readYaml, repoPath } from './fixtures.ts';

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
