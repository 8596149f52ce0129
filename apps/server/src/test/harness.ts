import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseConfig, type AppConfig } from '../config/env.ts';
import { buildApi } from '../api.ts';
import { createContext, type AppContext, type ContextOptions } from '../context.ts';
import type { JobDefinition, JobHandler } from '../jobs/registry.ts';
import { createLogger } from '../platform/logger.ts';
import { createPlatform } from '../platform/platform.ts';
import { migrate } from '../runtime.ts';
import type { HttpApp } from '../platform/http/server.ts';

/**
 * A fresh database for one test file: a new database on the PostgreSQL of
 * DATABASE_URL when it is set (CI runs the suite both ways), an in-memory
 * PGlite otherwise.
 */
export async function freshDatabaseUrl(): Promise<{ url: string | undefined; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: async () => undefined };
  const name = `mona_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    REDIS_URL: process.env.REDIS_URL,
    // Each test system gets its own Redis namespace, so parallel files never share counters or queues.
    REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
    ...overrides,
  });
}

export interface TestSystem {
  ctx: AppContext;
  app: HttpApp;
  config: AppConfig;
  close(): Promise<void>;
}

/** The API of a test file, migrated, against its own fresh database; use `app.inject` or `listen`. */
export async function startTestSystem(
  options: {
    env?: Record<string, string | undefined>;
    extraJobs?: { definitions: JobDefinition<never>[]; handlers: Record<string, JobHandler<never>> };
    /** A simulated clock for time-driven work; notification providers' options. */
    clock?: ContextOptions['clock'];
    notifications?: ContextOptions['notifications'];
  } = {},
): Promise<TestSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-test-'));
  const config = testConfig({ DATA_DIR: dataDir, ...options.env });
  const database = await freshDatabaseUrl();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'test' });
  const platform = await createPlatform(config, logger, {
    name: 'test',
    embedded: 'own',
    inMemory: true,
    ...(database.url ? { databaseUrl: database.url } : {}),
  });
  const ctx = createContext(platform, {
    ...(options.extraJobs ? { extraJobs: options.extraJobs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.notifications ? { notifications: options.notifications } : {}),
  });
  await migrate(ctx);
  const app = await buildApi(ctx);
  await app.ready();
  return {
    ctx,
    app,
    config,
    async close() {
      await app.close();
      await ctx.notifications.close();
      await ctx.queue.close();
      await platform.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A unique, valid sign-up body. */
export function newAccount(role: 'artist' | 'sponsor' = 'artist') {
  counter += 1;
  return { email: `person${counter}-${randomBytes(3).toString('hex')}@example.com`, password: 'Villa-Sunset-Marseille-2027', name: `Person ${counter}`, role };
}

/** Registers an account and returns its session. */
export async function register(app: HttpApp, role: 'artist' | 'sponsor' = 'artist') {
  const body = newAccount(role);
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: body });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return { ...body, ...res.json<{ accessToken: string; refreshToken: string; user: { id: string; role: string } }>() };
}

/** Creates an account of any role through the service (as the CLI does) and signs it in. */
export async function signInAs(system: TestSystem, role: 'admin' | 'staff' | 'expert') {
  const account = newAccount();
  await system.ctx.services.users.create('cli', { email: account.email, name: account.name, role, password: account.password });
  const res = await system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return { ...account, ...res.json<{ accessToken: string; refreshToken: string }>() };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Polls `probe` until it returns a truthy value (a throw counts as "not yet"),
 * or fails after `timeoutMs` naming what it waited for.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
