/**
 * Railway config as code (deploy/railway/<service>.json) and the service variables the deploy sets
 * (deploy/railway/variables.json), checked against the code.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { envSchema } from '../config/env.ts';
import { WORKER_DEFAULT_PORT } from '../runtime.ts';
import { API_PORT, assertHealthPath, assertServerEnvironment, assertWorkerFamilies, roleOf, servedByServer, WEB_PORT, type Role } from './checks.ts';
import { readJson, repoPath } from './fixtures.ts';

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
