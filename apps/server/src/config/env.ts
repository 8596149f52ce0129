import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { WORKER_FAMILIES, type WorkerFamily } from '@mona/shared';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(
        (v) => {
          try {
            return protocols.includes(new URL(v).protocol);
          } catch {
            return false;
          }
        },
        `must be a URL starting with ${protocols.join(' or ')}//`,
      )
      .optional(),
  );
const port = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));
/**
 * The whole environment, in one schema. Variables of the seed document first,
 * then the ones the platform adds. Read once by `loadConfig()`.
 */
export const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  JWT_SECRET: optionalString,
  ENCRYPTION_KEY: optionalString,
  /** Earlier ENCRYPTION_KEYs (comma-separated), still read while `npm run cli -- rotate-encryption-key` re-seals under the new one. */
  ENCRYPTION_KEY_PREVIOUS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      ),
  ),
  TWITCH_CLIENT_ID: optionalString,
  TWITCH_CLIENT_SECRET: optionalString,
  YOUTUBE_API_KEY: optionalString,
  TIKTOK_API_KEY: optionalString,
  SMTP_HOST: optionalString,
  SMTP_USER: optionalString,
  SMTP_PASS: optionalString,
  SMTP_PORT: port(587),
  /** The From of every email, e.g. "MONA x SPARK <hello@example.com>". */
  SMTP_FROM: optionalString,
  /** Implicit TLS from the first byte (port 465); default: true on port 465 only. Otherwise STARTTLS is used when the server offers it. */
  SMTP_SECURE: z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  ),
  // SMS through Twilio's REST API; without the SID, token and sender, SMS go to the local outbox.
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: z.preprocess(
    emptyToUndefined,
    z.string().max(64).optional().describe('An E.164 number, an alphanumeric sender id, or a Messaging Service SID (MG…)'),
  ),
  TWILIO_BASE_URL: z.preprocess(emptyToUndefined, z.url().default('https://api.twilio.com')),
  // Web push; without the key pair one is generated once and kept (encrypted) in platform_secrets.
  VAPID_PUBLIC_KEY: optionalString,
  VAPID_PRIVATE_KEY: optionalString,
  VAPID_SUBJECT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => /^(mailto:|https:\/\/)/.test(v), 'must be a mailto: address or an https:// URL')
      .optional(),
  ),
  NEXT_PUBLIC_API_URL: z.preprocess(emptyToUndefined, z.url().default('http://localhost:3001')),
  NEXT_PUBLIC_APP_URL: z.preprocess(emptyToUndefined, z.url().default('http://localhost:3000')),
  // Added by the platform.
  PORT: port(3001),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  WEB_PORT: port(3000),
  API_INTERNAL_URL: z.preprocess(emptyToUndefined, z.url().default('http://127.0.0.1:3001')),
  WORKERS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(WORKER_FAMILIES.join(','))
      .transform((v, ctx) => {
        const names = v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const unknown = names.filter((n) => !(WORKER_FAMILIES as readonly string[]).includes(n));
        if (unknown.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown worker famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${WORKER_FAMILIES.join(', ')})`,
          });
          return z.NEVER;
        }
        return [...new Set(names)] as WorkerFamily[];
      }),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(path.join(REPO_ROOT, '.data'))),
  REDIS_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
      .default('mona'),
  ),
  /**
   * Read replicas: one PostgreSQL URL or a comma-separated list. Heavy read-only paths (artist list, pipeline stats)
   * go to them in turn; the primary (DATABASE_URL) answers when none is set or a replica is down.
   */
  DATABASE_READ_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v, ctx) => {
        const urls = v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const url of urls) {
          let ok = false;
          try {
            ok = ['postgres:', 'postgresql:'].includes(new URL(url).protocol);
          } catch {
            ok = false;
          }
          if (!ok) {
            ctx.addIssue({ code: 'custom', message: 'must be postgres:// URLs separated by commas' });
            return z.NEVER;
          }
        }
        return urls;
      })
      .optional(),
  ),
  /**
   * Redis Cluster: seed nodes as host:port or redis:// URLs, comma-separated (credentials and TLS of the first URL
   * apply to every node). Without REDIS_URL, the first node stands for it.
   */
  REDIS_CLUSTER_NODES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v, ctx) => {
        const nodes = v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => (/^rediss?:\/\//.test(s) ? s : `redis://${s}`));
        for (const node of nodes) {
          let ok = false;
          try {
            const u = new URL(node);
            ok = Boolean(u.hostname && u.port);
          } catch {
            ok = false;
          }
          if (!ok) {
            ctx.addIssue({ code: 'custom', message: 'must be host:port or redis://host:port entries separated by commas' });
            return z.NEVER;
          }
        }
        return nodes;
      })
      .optional(),
  ),
  EMBEDDED_PG_PORT: port(54329),
  DB_POOL_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  DB_STATEMENT_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).default(15000)),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  /**
   * Which proxies' X-Forwarded-For to believe: false, true (all: only when
   * nothing else can reach the API), a hop count (1 = believe only the process
   * connected to us, i.e. take the last X-Forwarded-For entry, which the
   * platform's load balancer appends: the safe choice), or IPs / CIDRs.
   */
  TRUST_PROXY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('false')
      .transform((v): boolean | number | string[] => {
        const s = v.trim().toLowerCase();
        if (s === 'true' || s === 'yes') return true;
        if (s === 'false' || s === 'no' || s === '0') return false;
        if (/^\d+$/.test(s)) return Number(s);
        return s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
      }),
  ),
  ACCESS_TOKEN_TTL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(30).max(900).default(900)),
  REFRESH_TOKEN_TTL_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(90).default(30)),
  BODY_LIMIT_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).default(1_048_576)),
  LOGIN_MAX_PER_IP: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(20)),
  LOGIN_MAX_PER_ACCOUNT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(5)),
  LOGIN_WINDOW_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(900)),
  SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1000).max(60000).default(9000)),
  /**
   * Bearer token Prometheus presents to scrape /metrics (every process). Unset, /metrics is open to
   * whoever reaches the process: set it when the API has a public address (its business gauges).
   */
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  /** Bearer token Alertmanager presents to POST /api/ops/alerts/webhook; unset, the webhook refuses every call. */
  ALERT_WEBHOOK_TOKEN: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  /**
   * Evaluate the alert rules inside the process running the maintenance workers, for a system without
   * Prometheus (`npm start`): auto = when the database is the embedded one.
   */
  ALERTS_IN_PROCESS: z.preprocess(emptyToUndefined, z.enum(['auto', 'true', 'false']).default('auto')),
  // Backups (`npm run cli -- backup`, the daily maintenance job): see docs/operations.md, "Backup and restore".
  /** Where backups (dump + manifest) are written; default DATA_DIR/backups. */
  BACKUP_DIR: optionalString,
  /** The daily backup job; default on for production with DATABASE_URL, off otherwise. */
  BACKUP_ENABLED: z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  ),
  /** When the daily backup runs, UTC: an hour ("3") or a time ("03:30"). */
  BACKUP_SCHEDULE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^([01]?\d|2[0-3])(:[0-5]\d)?$/, 'an hour 0-23 or a time HH:MM (UTC)')
      .default('03:00'),
  ),
  BACKUP_KEEP_DAILY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(366).default(7)),
  BACKUP_KEEP_WEEKLY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(520).default(4)),
  /** Optional copy of every backup to an S3-compatible bucket (AWS S3, R2, Spaces, MinIO, ...). */
  BACKUP_S3_BUCKET: optionalString,
  /** For a non-AWS provider, e.g. https://fra1.digitaloceanspaces.com (path-style addressing is used then). */
  BACKUP_S3_ENDPOINT: optionalUrl(['http:', 'https:']),
  BACKUP_S3_REGION: z.preprocess(emptyToUndefined, z.string().default('us-east-1')),
  /** Without the key pair, the AWS SDK's default credential chain applies (AWS_* variables, instance role). */
  BACKUP_S3_ACCESS_KEY_ID: optionalString,
  BACKUP_S3_SECRET_ACCESS_KEY: optionalString,
  BACKUP_S3_PREFIX: z.preprocess(emptyToUndefined, z.string().default('mona-backups/')),
  /** pg_dump to use (default: the one on PATH); pg_restore is taken from the same folder. Its major version must be at least the server's. */
  PG_DUMP_PATH: optionalString,
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig extends Omit<Env, 'JWT_SECRET' | 'ENCRYPTION_KEY'> {
  JWT_SECRET: string;
  ENCRYPTION_KEY: string;
  /** Where the database lives: PGlite under DATA_DIR, or the server of DATABASE_URL. */
  databaseMode: 'embedded' | 'postgresql';
  redisMode: 'in-process' | 'redis';
  version: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MIN_SECRET_BYTES = 32;

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string };
    return process.env.APP_VERSION ?? pkg.version ?? '0.0.0';
  } catch {
    return process.env.APP_VERSION ?? '0.0.0';
  }
}

/** Secrets for development are made once and kept under DATA_DIR, so tokens survive restarts. */
function developmentSecrets(dataDir: string): { JWT_SECRET: string; ENCRYPTION_KEY: string } {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { JWT_SECRET: string; ENCRYPTION_KEY: string };
    if (stored.JWT_SECRET && stored.ENCRYPTION_KEY) return stored;
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = { JWT_SECRET: randomBytes(48).toString('base64url'), ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * Parses an environment into the app's config. Throws ConfigError naming every
 * wrong or missing variable (and never echoing a secret's value).
 */
export function parseConfig(source: NodeJS.ProcessEnv): AppConfig {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
  // The secrets are checked even when another variable is wrong, so one run names every problem.
  if ((parsed.success ? parsed.data.NODE_ENV : source.NODE_ENV) === 'production') {
    for (const name of ['JWT_SECRET', 'ENCRYPTION_KEY'] as const) {
      const value = source[name];
      if (!value) problems.push(`${name}: required when NODE_ENV=production`);
      else if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) problems.push(`${name}: must be at least ${MIN_SECRET_BYTES} bytes`);
    }
  }
  // Settings that only work together.
  const groups = [
    ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'],
    ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'],
    ['BACKUP_S3_ACCESS_KEY_ID', 'BACKUP_S3_SECRET_ACCESS_KEY'],
  ] as const;
  for (const group of groups) {
    const set = group.filter((name) => source[name]);
    if (set.length > 0 && set.length < group.length) problems.push(`${group.filter((name) => !source[name]).join(', ')}: required with ${set.join(', ')}`);
  }
  if (parsed.success && parsed.data.DATABASE_READ_URL && !parsed.data.DATABASE_URL) problems.push('DATABASE_READ_URL: requires DATABASE_URL (the primary)');
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  // In cluster mode the first seed node stands for REDIS_URL, so every "Redis or not" decision stays one test.
  if (env.REDIS_CLUSTER_NODES && !env.REDIS_URL) env.REDIS_URL = env.REDIS_CLUSTER_NODES[0];
  let secrets: { JWT_SECRET: string; ENCRYPTION_KEY: string };
  if (env.NODE_ENV === 'production') {
    secrets = { JWT_SECRET: env.JWT_SECRET!, ENCRYPTION_KEY: env.ENCRYPTION_KEY! };
  } else {
    const generated = env.JWT_SECRET && env.ENCRYPTION_KEY ? undefined : developmentSecrets(env.DATA_DIR);
    secrets = {
      JWT_SECRET: env.JWT_SECRET ?? generated!.JWT_SECRET,
      ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? generated!.ENCRYPTION_KEY,
    };
  }
  return {
    ...env,
    ...secrets,
    databaseMode: env.DATABASE_URL ? 'postgresql' : 'embedded',
    redisMode: env.REDIS_URL ? 'redis' : 'in-process',
    version: readVersion(),
  };
}

/** Loads `.env` (if present) then the process environment; exits naming the bad variables. */
export function loadConfig(): AppConfig {
  const envFile = path.join(REPO_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

/** Where each dependency is, without credentials: logged at start. */
export function redactedSummary(config: AppConfig): Record<string, string> {
  const redact = (url: string | undefined) => {
    if (!url) return undefined;
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  };
  return {
    environment: config.NODE_ENV,
    database: config.databaseMode === 'embedded' ? `embedded PGlite in ${path.join(config.DATA_DIR, 'pglite')}` : redact(config.DATABASE_URL)!,
    redis:
      config.redisMode === 'redis'
        ? config.REDIS_CLUSTER_NODES
          ? `cluster ${config.REDIS_CLUSTER_NODES.map((n) => redact(n)!).join(', ')}`
          : redact(config.REDIS_URL)!
        : 'none (in-process cache, rate limits, pub/sub; jobs in PostgreSQL)',
    ...(config.DATABASE_READ_URL ? { readReplicas: config.DATABASE_READ_URL.map((u) => redact(u)!).join(', ') } : {}),
    smtp: config.SMTP_HOST ? `${config.SMTP_HOST}:${config.SMTP_PORT}` : 'not configured',
    sms: config.TWILIO_ACCOUNT_SID ? `twilio ${redact(config.TWILIO_BASE_URL)!}` : 'not configured (local outbox)',
  };
}
