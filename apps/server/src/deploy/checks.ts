/**
 * What the deployment tests check the manifests against: the code's own env schema, health routes,
 * ports and worker families (never a copy of them), and how a platform command maps to a role of
 * the image's entrypoint.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { WORKER_FAMILIES } from '@mona/shared';
import { ConfigError, envSchema, parseConfig } from '../config/env.ts';
import { createHttpServer } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import { Metrics } from '../platform/metrics.ts';
import { PLATFORM_VARIABLES, readText, repoPath, words } from './fixtures.ts';

export const SCHEMA_KEYS = new Set(Object.keys(envSchema.shape));
export const ALLOWED_VARIABLES = new Set([...SCHEMA_KEYS, ...Object.keys(PLATFORM_VARIABLES)]);
const schemaDefault = (key: 'PORT' | 'WEB_PORT') => envSchema.shape[key].parse(undefined);
export const API_PORT = schemaDefault('PORT');
export const WEB_PORT = schemaDefault('WEB_PORT');
export const ENTRYPOINT = '/app/scripts/docker-entrypoint.sh';
export const entrypointScript = readText('scripts/docker-entrypoint.sh');
export const operations = readText('docs/operations.md');

/** Variables the code requires in production, as parseConfig reports them (not a list copied here). */
export const REQUIRED_IN_PRODUCTION = (() => {
  try {
    parseConfig({ NODE_ENV: 'production' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.filter((p) => p.includes('required when NODE_ENV=production')).map((p) => p.split(':')[0]!);
  }
  return [];
})();

export type Role = 'web' | 'api' | 'worker' | 'migrate';

/**
 * The role a platform command runs. Mirrors the entrypoint's own normalisation (tini and the
 * script's path are skipped); entrypoint.test.ts runs the real script on these same commands.
 */
export function roleOf(command: string | string[]): { role: string; args: string[] } {
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
export function resolveReferences(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (/\$\{\{|\$\{|^<from/.test(value) || value === '') {
      if (key === 'DATABASE_URL') out[key] = 'postgres://mona:pw@db.internal:5432/mona';
      else if (key === 'REDIS_URL') out[key] = 'redis://default:pw@kv.internal:6379';
      else if (key.endsWith('_URL') || key.endsWith('_ENDPOINT')) out[key] = 'https://mona.example.com';
      else out[key] = 'resolved-by-the-platform';
    } else out[key] = value;
  }
  return out;
}

const strongSecrets = { JWT_SECRET: 'k'.repeat(8) + 'Zq8s0Vb2Tn4Lx6Wr9Yp1Ma3Ce5Gi7Ok', ENCRYPTION_KEY: 'e'.repeat(8) + 'Hd2Jf4Kl6Np8Qr0St2Uv4Wx6Yz8Ab0Cd' };

/** A server process's manifest environment must parse with the real schema in production. */
export function assertServerEnvironment(where: string, env: Record<string, string>, role: Role) {
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
export async function servedByServer(paths: string[]): Promise<Map<string, number>> {
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
export function servedByWeb(urlPath: string): boolean {
  const file = repoPath('apps/web/app', urlPath, 'route.ts');
  return existsSync(file) && /export (async )?function GET\b/.test(readFileSync(file, 'utf8'));
}

export function assertHealthPath(where: string, role: Role, urlPath: string, served: Map<string, number>) {
  if (role === 'web') assert.ok(servedByWeb(urlPath), `${where}: the web app serves no ${urlPath}`);
  else assert.equal(served.get(urlPath), 200, `${where}: ${urlPath} is not served by the ${role}`);
}

export function assertWorkerFamilies(where: string, assignments: string[]) {
  const covered = new Set<string>();
  for (const value of assignments) {
    for (const family of value.split(',').map((s) => s.trim())) {
      assert.ok((WORKER_FAMILIES as readonly string[]).includes(family), `${where}: unknown worker family ${family}`);
      covered.add(family);
    }
  }
  assert.deepEqual([...covered].sort(), [...WORKER_FAMILIES].sort(), `${where}: every job family has a worker`);
}
