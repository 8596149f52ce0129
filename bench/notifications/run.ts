/**
 * `npm run bench:notifications`: email throughput of the notifications workers.
 *
 * On real PostgreSQL and Redis (a fresh `mona_bench_notifications` database on
 * the server of BENCH_DATABASE_URL, else DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432, migrated by the app's migrator; Redis of
 * BENCH_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379, under its own
 * key prefix) and a local SMTP server in its own process (smtp-sink.ts), it
 * measures in one run:
 *
 * - for each entry of --workers: N emails composed with the real
 *   `NotificationsService.compose` (the default template `welcome.d0.email`,
 *   kind activity: no send window), then that many real worker processes
 *   (`node --import tsx apps/server/src/entrypoints/worker.ts`,
 *   WORKERS=notifications, SMTP_* pointing at the local server) started and
 *   left to send every one: messages per second at the server, and
 *   enqueue-to-accepted, claim-to-accepted and accepted-to-recorded times;
 * - a bare nodemailer pooled transport (the worker's pool: 5 connections, 100
 *   messages each) sending N messages of the same content to the same server,
 *   after the first worker phase and again after the last: the ratio's
 *   denominator;
 * - with --trickle M, M messages composed at 20 a second while the last
 *   phase's workers are idle: enqueue-to-accepted time at a light load.
 *
 * Every phase must deliver each Message-ID exactly once (counted by the
 * server) and end with every row `sent`; anything else fails the run (exit 1).
 *
 * Options: --count N (100000) --workers list (1,2) --trickle M (200, 0: none)
 * --compose M (N: how many of each phase's N messages go through compose one
 * by one; the rest are bulk SQL copies of those rows, for a machine where
 * composing N would take too long — the compose rate is still measured on M)
 * --reuse (keep an existing mona_bench_notifications: schema, recipients and
 * the message history of earlier runs).
 * Not part of `npm test`; no assertion on times.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inArray, like, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { Cluster, type Redis } from 'ioredis';
import { parseConfig, REPO_ROOT } from '../../apps/server/src/config/env.ts';
import { createContext } from '../../apps/server/src/context.ts';
import { artists } from '../../apps/server/src/modules/artists/artists.tables.ts';
import { mailOf, messageIdOf } from '../../apps/server/src/modules/notifications/channels/email.ts';
import { DEFAULT_SMTP_FROM } from '../../apps/server/src/modules/notifications/channels/index.ts';
import type { OutgoingMessage } from '../../apps/server/src/modules/notifications/channels/types.ts';
import { outgoingOf } from '../../apps/server/src/modules/notifications/notifications.jobs.ts';
import { DEFAULT_NOTIFICATIONS_SETTINGS } from '../../apps/server/src/modules/notifications/notifications.schemas.ts';
import { notificationMessages } from '../../apps/server/src/modules/notifications/notifications.tables.ts';
import { createLogger } from '../../apps/server/src/platform/logger.ts';
import { createPlatform } from '../../apps/server/src/platform/platform.ts';
import { migrate } from '../../apps/server/src/runtime.ts';
import type { SinkCollected, SinkCount, SinkReply, SinkRequest } from './protocol.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '1,2' },
    compose: { type: 'string' },
    trickle: { type: 'string', default: '200' },
    reuse: { type: 'boolean', default: false },
  },
});
const COUNT = Number(args.count);
const WORKER_COUNTS = args.workers.split(',').map((w) => Number(w.trim()));
const TRICKLE = Number(args.trickle);
const COMPOSE = args.compose === undefined ? COUNT : Math.min(COUNT, Number(args.compose));
if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error('--count must be a positive integer');
if (WORKER_COUNTS.length === 0 || WORKER_COUNTS.some((w) => !Number.isInteger(w) || w < 1 || w > 16)) {
  throw new Error('--workers must be a comma-separated list of worker counts (1–16), e.g. 1,2');
}
if (!Number.isInteger(TRICKLE) || TRICKLE < 0) throw new Error('--trickle must be an integer ≥ 0');
if (!Number.isInteger(COMPOSE) || COMPOSE < 1) throw new Error('--compose must be a positive integer');

const DB_NAME = 'mona_bench_notifications';
const REDIS_PREFIX = 'mona-bench-notifications';
/** Artists the messages go to (round robin), each with its own address. */
const RECIPIENTS = 1000;
/** Composes in flight at once (the bench process's pool has as many connections). */
const COMPOSE_CONCURRENCY = 10;
const TEMPLATE = 'welcome.d0.email';
/** The email rate limit during the run: the setting's maximum, far above what this machine sends. */
const RATE_LIMIT = 10_000;
/** SmtpEmailProvider's pool (channels/email.ts). */
const POOL = { maxConnections: 5, maxMessages: 100 };
/** sendMail calls in flight in the bare loop: the dispatcher's concurrency per channel and batch. */
const BASELINE_IN_FLIGHT = 8;
const TRICKLE_PER_SECOND = 20;
/** A phase fails when the server accepts nothing new for this long. */
const STALL_MS = 180_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stdout.write(`${line}\n`);
const runId = Date.now().toString(36);

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const benchUrl = new URL(serverUrl);
benchUrl.pathname = `/${DB_NAME}`;
// Fixed secrets of this throwaway database, so that --reuse can read what an earlier run sealed (the VAPID keys).
const secret = (name: string) => createHash('sha256').update(`mona-bench-notifications:${name}`).digest('hex');
const baseEnv = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DATABASE_URL: benchUrl.toString(),
  REDIS_URL: redisUrl,
  REDIS_PREFIX,
  JWT_SECRET: secret('jwt'),
  ENCRYPTION_KEY: secret('encryption'),
  DATA_DIR: path.join(os.tmpdir(), 'mona-bench-notifications'),
};

class BenchFailure extends Error {}

// ---- numbers ----

interface Distribution {
  p50: number;
  p95: number;
  max: number;
}

function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: at(50), p95: at(95), max: sorted[sorted.length - 1]! };
}

const machineLoad = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---- child processes (all ours: ended by their own handle, never by name) ----

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system, ms) a process of ours has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

const children = new Set<ChildProcess>();

// Interrupted: the workers would go on draining without us.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: stopping the worker processes and the SMTP server...`);
    for (const child of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(130), 12_000).unref();
    const check = setInterval(() => children.size === 0 && process.exit(130), 200);
    check.unref();
  });
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// ---- the SMTP server process ----

interface Sink {
  port: number;
  count(): Promise<SinkCount>;
  collect(): Promise<SinkCollected>;
  child: ChildProcess;
}

async function startSink(): Promise<Sink> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', path.join(here, 'smtp-sink.ts')], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const waiting = new Map<SinkReply['type'], (reply: SinkReply) => void>();
  child.on('message', (reply: SinkReply) => {
    const resolve = waiting.get(reply.type);
    waiting.delete(reply.type);
    resolve?.(reply);
  });
  const ask = <T extends SinkReply>(request: SinkRequest, replyType: T['type']) =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) return reject(new BenchFailure('the SMTP server process is gone'));
      waiting.set(replyType, (reply) => resolve(reply as T));
      child.send(request);
    });
  const ready = await new Promise<SinkReply>((resolve, reject) => {
    waiting.set('ready', resolve);
    child.once('exit', (code) => reject(new BenchFailure(`the SMTP server process exited (${code}) before listening`)));
  });
  if (ready.type !== 'ready') throw new BenchFailure('unexpected first message from the SMTP server');
  return {
    port: ready.port,
    child,
    count: () => ask<SinkCount>({ type: 'count' }, 'count'),
    collect: () => ask<SinkCollected>({ type: 'collect' }, 'collected'),
  };
}

/** Every expected Message-ID exactly once, nothing else: or the run fails. Returns the accept time of each. */
function verifyExactlyOnce(label: string, expected: string[], collected: SinkCollected): Map<string, number> {
  const accepted = new Map(collected.accepted);
  const problems: string[] = [];
  if (collected.duplicates.length > 0) {
    const copies = collected.duplicates.reduce((sum, [, n]) => sum + n - 1, 0);
    problems.push(
      `${collected.duplicates.length} Message-IDs arrived more than once (${copies} extra copies), e.g. ${collected.duplicates
        .slice(0, 5)
        .map(([id, n]) => `${id}×${n}`)
        .join(', ')}`,
    );
  }
  if (collected.missingId > 0) problems.push(`${collected.missingId} messages had no Message-ID`);
  const missing = expected.filter((id) => !accepted.has(id));
  if (missing.length > 0) problems.push(`${missing.length} of ${expected.length} messages never arrived, e.g. ${missing.slice(0, 5).join(', ')}`);
  const wanted = new Set(expected);
  const strangers = collected.accepted.filter(([id]) => !wanted.has(id));
  if (strangers.length > 0) {
    problems.push(
      `${strangers.length} messages arrived that this phase did not send, e.g. ${strangers
        .slice(0, 5)
        .map(([id]) => id)
        .join(', ')}`,
    );
  }
  if (problems.length > 0) throw new BenchFailure(`${label}: ${problems.join('; ')}`);
  return accepted;
}

function spanSeconds(acceptedAt: Iterable<number>): { first: number; last: number; seconds: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const at of acceptedAt) {
    if (at < first) first = at;
    if (at > last) last = at;
  }
  return { first, last, seconds: (last - first) / 1000 };
}

// ---- setup ----

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function clearRedisPrefix(redis: Redis): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length > 0) removed += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return removed;
}

const uptimeAtStart = execFileSync('uptime', { encoding: 'utf8' }).trim();
const pgVersion = (await adminQuery('show server_version')).rows[0] as { server_version: string };
const autovacuum = ((await adminQuery('show autovacuum')).rows[0] as { autovacuum: string }).autovacuum;
const exists = (await adminQuery(`select 1 from pg_database where datname = '${DB_NAME}'`)).rowCount === 1;
const reuse = args.reuse && exists;
if (!reuse) {
  log(`Creating a fresh ${DB_NAME} database...`);
  await adminQuery(`drop database if exists ${DB_NAME} with (force)`);
  await adminQuery(`create database ${DB_NAME}`);
}

const config = parseConfig({ ...baseEnv, DB_POOL_MAX: String(COMPOSE_CONCURRENCY) });
const logger = createLogger({ level: 'warn', name: 'bench' });
const platform = await createPlatform(config, logger, { name: 'bench', embedded: 'own' });
const ctx = createContext(platform);
const db = platform.database.db;
const client = platform.redis;
if (!client || client instanceof Cluster) throw new Error('The benchmark runs against one Redis server (BENCH_REDIS_URL), not a cluster');
const redis: Redis = client;
log(`Cleared ${await clearRedisPrefix(redis)} Redis keys under ${REDIS_PREFIX}:`);
await migrate(ctx);

// Leftovers of an interrupted earlier run would be sent with this run's messages.
if (reuse) {
  const { rowCount } = await platform.database.pool.query("delete from notification_messages where status in ('pending', 'sending')");
  if (rowCount) log(`Removed ${rowCount} unsent messages left by an earlier run.`);
}

const adminEmail = 'bench-admin@bench.example';
const adminId =
  (await ctx.repos.users.findByEmail(adminEmail))?.id ??
  (await ctx.services.users.create('cli', { email: adminEmail, name: 'Bench admin', role: 'admin' })).user.id;
await ctx.services.settings.set({ id: adminId, role: 'admin' }, 'notifications', {
  ...DEFAULT_NOTIFICATIONS_SETTINGS,
  rateLimits: { ...DEFAULT_NOTIFICATIONS_SETTINGS.rateLimits, email: RATE_LIMIT },
});
const settings = await ctx.services.notifications.settings();

const existingRecipients = await db.select({ id: artists.id }).from(artists).where(like(artists.email, 'artist-%@bench.example')).orderBy(artists.email);
if (existingRecipients.length < RECIPIENTS) {
  await db.execute(sql`delete from artists where email like 'artist-%@bench.example'`);
  const rows = Array.from({ length: RECIPIENTS }, (_, i) => ({
    stageName: `Bench Artist ${String(i).padStart(4, '0')}`,
    email: `artist-${String(i).padStart(4, '0')}@bench.example`,
  }));
  await db.insert(artists).values(rows);
}
const recipientIds = (await db.select({ id: artists.id }).from(artists).where(like(artists.email, 'artist-%@bench.example')).orderBy(artists.email)).map(
  (r) => r.id,
);

const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
const sink = await startSink();
log(`SMTP server (own process) on 127.0.0.1:${sink.port}. Load at start: ${uptimeAtStart}`);

// ---- phases ----

interface ComposeResultRow {
  label: string;
  /** Made by NotificationsService.compose, one call each. */
  composed: number;
  seconds: number;
  perSecond: number;
  callMs: Distribution;
  /** Bench process CPU per compose call (rendering, drizzle, pg), whatever the machine's load. */
  cpuMsPerCompose: number;
  /** Copies of composed rows added in bulk to reach N (with --compose M < N). */
  copied: number;
  copySeconds: number;
}

/**
 * N pending emails for a phase: `COMPOSE` through the real compose (measured),
 * the rest (with --compose M < N) copied in bulk from those rows in SQL: the
 * same subject, bodies, headers, recipient and size, their own id, key and
 * history entry, and — as compose gives them — created_at = send_after = the
 * instant of insertion, each its own (a copy's tracking links still name its
 * source message: nothing opens them here).
 */
async function composeMessages(phase: string, count: number): Promise<{ ids: string[]; result: ComposeResultRow }> {
  const notifications = ctx.services.notifications;
  const composeCount = Math.min(COMPOSE, count);
  const ids = new Array<string>(composeCount);
  const callMs: number[] = new Array<number>(composeCount);
  let next = 0;
  let done = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const loop = async () => {
    for (let i = next++; i < composeCount; i = next++) {
      const t0 = performance.now();
      const message = await notifications.compose({
        idempotencyKey: `bench:${runId}:${phase}:${i}`,
        templateCode: TEMPLATE,
        artistId: recipientIds[i % recipientIds.length]!,
      });
      callMs[i] = performance.now() - t0;
      if (!message.created || message.status !== 'pending' || new Date(message.sendAfter).getTime() > Date.now()) {
        throw new BenchFailure(`compose ${i}: expected a new message due now, got ${JSON.stringify(message)}`);
      }
      ids[i] = message.id;
      done += 1;
      if (done % Math.max(1, Math.floor(composeCount / 10)) === 0) log(`  composed ${done}/${composeCount}`);
    }
  };
  await Promise.all(Array.from({ length: COMPOSE_CONCURRENCY }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const copyStarted = performance.now();
  const chunk = 10_000;
  for (let from = composeCount; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    const { rows } = await platform.database.pool.query<{ id: string }>(
      `with source as (
         select m.*, (row_number() over (order by m.idempotency_key) - 1)::int as k
           from notification_messages m where m.id = any($1::uuid[])
       ), copied as (
         insert into notification_messages (id, idempotency_key, channel, kind, template_code, locale, recipient_user_id, artist_id, to_address,
                                            subject, body_text, body_html, data, status, max_attempts, send_after, created_at, updated_at)
         select gen_random_uuid(), $2 || g.i, s.channel, s.kind, s.template_code, s.locale, s.recipient_user_id, s.artist_id, s.to_address,
                s.subject, s.body_text, s.body_html, s.data, 'pending', s.max_attempts, g.at, g.at, g.at
           from (select i, clock_timestamp() as at from generate_series($3::int, $4::int) i) g join source s on s.k = g.i % $5
         order by g.i
         returning id, idempotency_key, created_at
       ), history as (
         insert into notification_message_events (message_id, status, detail, at)
         select id, 'pending', 'composed (benchmark copy of a composed message)', created_at from copied
       )
       select id from copied order by substring(idempotency_key from length($2) + 1)::int`,
      [ids.slice(0, composeCount), `bench:${runId}:${phase}:`, from, to, composeCount],
    );
    if (rows.length !== to - from + 1) throw new BenchFailure(`copy ${from}–${to}: ${rows.length} rows inserted`);
    ids.push(...rows.map((r) => r.id));
    log(`  copied up to ${to + 1}/${count}`);
  }
  return {
    ids,
    result: {
      label: phase,
      composed: composeCount,
      seconds,
      perSecond: composeCount / seconds,
      callMs: distribution(callMs),
      cpuMsPerCompose: (cpu.user + cpu.system) / 1000 / composeCount,
      copied: count - composeCount,
      copySeconds: (performance.now() - copyStarted) / 1000,
    },
  };
}

/**
 * What autovacuum would have done by the time a burst of this size is sent:
 * statistics for the planner (without them the claim's plan reads every email
 * of the table for each batch: see docs/benchmarks.md), and, when the server
 * runs without autovacuum, the dead rows of the previous phase removed.
 */
async function prepareTables(): Promise<{ seconds: number; vacuumed: boolean }> {
  const started = performance.now();
  const vacuumed = autovacuum !== 'on';
  // Its own connection, without the app's statement and read timeouts: on a loaded machine a vacuum of 100,000 rows takes longer.
  const client = new pg.Client({ connectionString: benchUrl.toString() });
  await client.connect();
  try {
    await client.query('set statement_timeout = 0');
    await client.query(`${vacuumed ? 'vacuum (analyze)' : 'analyze'} notification_messages, notification_message_events`);
  } finally {
    await client.end();
  }
  return { seconds: (performance.now() - started) / 1000, vacuumed };
}

interface BaselineRow {
  label: string;
  messages: number;
  bytes: number;
  seconds: number;
  perSecond: number;
  /** CPU per message: this process (the nodemailer client) and the SMTP server. */
  cpuMsPerMessage: { client: number; smtpServer: number };
  load: string;
}

async function runBaseline(label: string, samples: OutgoingMessage[], count: number): Promise<BaselineRow> {
  const load = machineLoad();
  const transport = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    ...POOL,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
  const expected = new Array<string>(count);
  const clientCpu = process.cpuUsage();
  const sinkCpu = cpuMsOf(sink.child.pid);
  let next = 0;
  const loop = async () => {
    for (let i = next++; i < count; i = next++) {
      const id = `baseline-${runId}-${label}-${i}`;
      expected[i] = messageIdOf(id);
      await transport.sendMail(mailOf({ ...samples[i % samples.length]!, id }, DEFAULT_SMTP_FROM));
    }
  };
  await Promise.all(Array.from({ length: BASELINE_IN_FLIGHT }, loop));
  transport.close();
  const cpu = process.cpuUsage(clientCpu);
  const cpuMsPerMessage = { client: (cpu.user + cpu.system) / 1000 / count, smtpServer: (cpuMsOf(sink.child.pid) - sinkCpu) / count };
  const collected = await sink.collect();
  const accepted = verifyExactlyOnce(`bare nodemailer (${label})`, expected, collected);
  const span = spanSeconds(accepted.values());
  return { label, messages: count, bytes: collected.bytes, seconds: span.seconds, perSecond: count / span.seconds, cpuMsPerMessage, load };
}

interface WorkerOutput {
  pid: number;
  warnings: number;
  errors: number;
  lines: string[];
}

function startWorker(index: number): { child: ChildProcess; output: WorkerOutput } {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/entrypoints/worker.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...baseEnv,
        WORKERS: 'notifications',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(sink.port),
        SMTP_SECURE: 'false',
        SMTP_USER: '',
        SMTP_PASS: '',
        SMTP_FROM: '',
        // The health / metrics server on a free port (two workers on one machine).
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const output: WorkerOutput = { pid: child.pid ?? -1, warnings: 0, errors: 0, lines: [] };
  const read = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === '40') output.warnings += 1;
      else if (level && Number(level) >= 50) output.errors += 1;
      if (output.lines.length < 40) output.lines.push(`[worker ${index}] ${line.slice(0, 400)}`);
    }
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  return { child, output };
}

interface PhaseRow {
  label: string;
  workers: number;
  messages: number;
  bytes: number;
  /** First to last acceptance at the server. */
  seconds: number;
  perSecond: number;
  /** From starting the worker processes to the first acceptance. */
  startupSeconds: number;
  /** From starting the worker processes to the last acceptance. */
  wallSeconds: number;
  enqueueToAcceptedMs: Distribution;
  /** From the workers' start (or the message's creation, if later) to acceptance: the wait in the backlog without the compose phase. */
  startToAcceptedMs: Distribution;
  claimToAcceptedMs: Distribution;
  acceptedToRecordedMs: Distribution;
  claims: number;
  rateLimited: number;
  handedBack: number;
  maxAttempts: number;
  /**
   * CPU used per message from the first acceptance to the end (sampled every
   * 0.5 s): all worker processes together, the PostgreSQL backends serving
   * them, the Redis server (shared with whatever else uses it), the SMTP server.
   */
  cpuMsPerMessage: { workers: number; postgres: number; redis: number; smtpServer: number };
  load: { start: string; end: string };
  workerLog: WorkerOutput[];
}

interface MessageTimes {
  id: string;
  created: number;
  sent: number | null;
  status: string;
  attempts: number;
  providerId: string | null;
}

/** CPU so far of each PostgreSQL backend serving a worker process (application_name mona-worker), by pid. */
async function workerBackendsCpu(): Promise<Map<number, number>> {
  const { rows } = await platform.database.pool.query<{ pid: number }>(
    "select pid from pg_stat_activity where datname = $1 and application_name = 'mona-worker'",
    [DB_NAME],
  );
  return new Map(rows.map((r) => [r.pid, cpuMsOf(r.pid)]));
}

async function phaseRows(phase: string): Promise<MessageTimes[]> {
  const { rows } = await platform.database.pool.query<MessageTimes>(
    `select id, extract(epoch from created_at) * 1000 as created, extract(epoch from sent_at) * 1000 as sent, status, attempts, provider_id as "providerId"
       from notification_messages where idempotency_key like $1`,
    [`bench:${runId}:${phase}:%`],
  );
  return rows.map((r) => ({ ...r, created: Number(r.created), sent: r.sent === null ? null : Number(r.sent) }));
}

async function phaseEvents(phase: string): Promise<{ claimAt: Map<string, number>; claims: number; rateLimited: number; handedBack: number }> {
  const { rows } = await platform.database.pool.query<{ id: string; status: string; detail: string; at: string }>(
    `select e.message_id as id, e.status, e.detail, extract(epoch from e.at) * 1000 as at
       from notification_message_events e join notification_messages m on m.id = e.message_id
      where m.idempotency_key like $1 and e.status in ('sending', 'pending')`,
    [`bench:${runId}:${phase}:%`],
  );
  const claimAt = new Map<string, number>();
  let claims = 0;
  let rateLimited = 0;
  let handedBack = 0;
  for (const row of rows) {
    if (row.status === 'sending') {
      claims += 1;
      // The last claim is the one that sent it.
      claimAt.set(row.id, Math.max(claimAt.get(row.id) ?? 0, Number(row.at)));
    } else if (row.detail.startsWith('rate limit')) rateLimited += 1;
    else if (row.detail.startsWith('handed back')) handedBack += 1;
  }
  return { claimAt, claims, rateLimited, handedBack };
}

/**
 * Messages not final yet, through the partial due index (cheap while workers
 * run: a scan of the whole table every few seconds would take CPU from them).
 * The database holds no other unsent message (leftovers are removed at start).
 */
async function unsentCount(): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: number }>(
    "select count(*)::int as n from notification_messages where status in ('pending', 'sending')",
  );
  return rows[0]!.n;
}

/** The phase's rows by status (reads the whole table: once a phase, or on failure). */
async function statusCounts(phase: string): Promise<Record<string, number>> {
  const { rows } = await platform.database.pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from notification_messages where idempotency_key like $1 group by status',
    [`bench:${runId}:${phase}:%`],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

function assertAlive(workers: { child: ChildProcess; output: WorkerOutput }[]): void {
  for (const { child, output } of workers) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new BenchFailure(`worker ${output.pid} exited (${child.exitCode ?? child.signalCode}):\n${output.lines.join('\n')}`);
    }
  }
}

/** Waits until the server has `count` messages of this phase and the database has every row final; fails on a failed row, a dead worker or a stall. */
async function waitForPhase(
  phase: string,
  count: number,
  workers: { child: ChildProcess; output: WorkerOutput }[],
  startedAt: number,
  onFirstAccepted?: () => Promise<void>,
): Promise<void> {
  let lastAccepted = -1;
  let lastProgressAt = Date.now();
  let lastReport = Date.now();
  let lastCheck = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    assertAlive(workers);
    // Unsent rows before the server's count: a message counted in neither has ended some other way (failed, bounced).
    const check = Date.now() - lastCheck >= 10_000;
    const unsent = check ? await unsentCount() : null;
    const progress = await sink.count();
    if (progress.duplicates > 0) throw new BenchFailure(`${phase}: ${progress.duplicates} Message-IDs arrived twice (see the final check)`);
    if (progress.accepted !== lastAccepted) {
      if (lastAccepted <= 0 && progress.accepted > 0) await onFirstAccepted?.();
      lastAccepted = progress.accepted;
      lastProgressAt = Date.now();
    }
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      const seconds = (Date.now() - startedAt) / 1000;
      log(`  accepted ${progress.accepted}/${count} after ${seconds.toFixed(0)} s (load ${machineLoad()})`);
    }
    if (unsent !== null) {
      lastCheck = Date.now();
      if (progress.accepted + unsent < count) throw new BenchFailure(`${phase}: messages ended unsent: ${JSON.stringify(await statusCounts(phase))}`);
    }
    if (progress.accepted >= count && (await unsentCount()) === 0) {
      const counts = await statusCounts(phase);
      if (counts.sent === count) return;
      throw new BenchFailure(`${phase}: ${progress.accepted} accepted but the rows are ${JSON.stringify(counts)}`);
    }
    if (Date.now() - lastProgressAt > STALL_MS) {
      throw new BenchFailure(
        `${phase}: no message accepted for ${STALL_MS / 1000} s (${lastAccepted}/${count}; rows ${JSON.stringify(await statusCounts(phase))})`,
      );
    }
  }
}

async function runWorkerPhase(
  workerCount: number,
  phase: string,
  ids: string[],
): Promise<{ row: PhaseRow; workers: { child: ChildProcess; output: WorkerOutput }[] }> {
  const loadStart = machineLoad();
  const startedAt = Date.now();
  const workers = Array.from({ length: workerCount }, (_, i) => startWorker(i + 1));
  const cpuOf = async () => ({
    workers: workers.reduce((sum, w) => sum + cpuMsOf(w.child.pid), 0),
    sink: cpuMsOf(sink.child.pid),
    backends: await workerBackendsCpu(),
    redis: cpuMsOf(redisPid),
  });
  let cpuAtFirst = await cpuOf();
  await waitForPhase(phase, ids.length, workers, startedAt, async () => {
    cpuAtFirst = await cpuOf();
  });
  const cpuAtEnd = await cpuOf();
  let backendsMs = 0;
  for (const [pid, ms] of cpuAtEnd.backends) backendsMs += ms - (cpuAtFirst.backends.get(pid) ?? 0);
  const loadEnd = machineLoad();
  const collected = await sink.collect();
  const accepted = verifyExactlyOnce(`${workerCount} worker(s)`, ids.map(messageIdOf), collected);

  const rows = await phaseRows(phase);
  const wrong = rows.filter((r) => r.status !== 'sent' || r.providerId !== messageIdOf(r.id));
  if (rows.length !== ids.length || wrong.length > 0) {
    throw new BenchFailure(`${phase}: ${rows.length} rows for ${ids.length} messages; ${wrong.length} not sent with their Message-ID as provider id`);
  }
  const events = await phaseEvents(phase);
  const enqueueToAccepted: number[] = [];
  const startToAccepted: number[] = [];
  const claimToAccepted: number[] = [];
  const acceptedToRecorded: number[] = [];
  let maxAttempts = 0;
  for (const row of rows) {
    const at = accepted.get(messageIdOf(row.id))!;
    enqueueToAccepted.push(at - row.created);
    startToAccepted.push(at - Math.max(row.created, startedAt));
    claimToAccepted.push(at - events.claimAt.get(row.id)!);
    acceptedToRecorded.push(row.sent! - at);
    maxAttempts = Math.max(maxAttempts, row.attempts);
  }
  const span = spanSeconds(accepted.values());
  return {
    workers,
    row: {
      label: phase,
      workers: workerCount,
      messages: ids.length,
      bytes: collected.bytes,
      seconds: span.seconds,
      perSecond: ids.length / span.seconds,
      startupSeconds: (span.first - startedAt) / 1000,
      wallSeconds: (span.last - startedAt) / 1000,
      enqueueToAcceptedMs: distribution(enqueueToAccepted),
      startToAcceptedMs: distribution(startToAccepted),
      claimToAcceptedMs: distribution(claimToAccepted),
      acceptedToRecordedMs: distribution(acceptedToRecorded),
      claims: events.claims,
      rateLimited: events.rateLimited,
      handedBack: events.handedBack,
      maxAttempts,
      cpuMsPerMessage: {
        workers: (cpuAtEnd.workers - cpuAtFirst.workers) / ids.length,
        postgres: backendsMs / ids.length,
        redis: (cpuAtEnd.redis - cpuAtFirst.redis) / ids.length,
        smtpServer: (cpuAtEnd.sink - cpuAtFirst.sink) / ids.length,
      },
      load: { start: loadStart, end: loadEnd },
      workerLog: workers.map((w) => w.output),
    },
  };
}

interface TrickleRow {
  workers: number;
  messages: number;
  perSecond: number;
  enqueueToAcceptedMs: Distribution;
}

/** Messages composed one by one at a steady pace while the workers are idle: the latency of the kick path. */
async function runTrickle(workerCount: number, count: number, workers: { child: ChildProcess; output: WorkerOutput }[]): Promise<TrickleRow> {
  const phase = 'trickle';
  const ids: string[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / TRICKLE_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const message = await ctx.services.notifications.compose({
      idempotencyKey: `bench:${runId}:${phase}:${i}`,
      templateCode: TEMPLATE,
      artistId: recipientIds[i % recipientIds.length]!,
    });
    if (!message.created || message.status !== 'pending') throw new BenchFailure(`trickle compose ${i}: ${JSON.stringify(message)}`);
    ids.push(message.id);
  }
  await waitForPhase(phase, count, workers, Date.now());
  const accepted = verifyExactlyOnce('trickle', ids.map(messageIdOf), await sink.collect());
  const rows = await phaseRows(phase);
  return {
    workers: workerCount,
    messages: count,
    perSecond: TRICKLE_PER_SECOND,
    enqueueToAcceptedMs: distribution(rows.map((r) => accepted.get(messageIdOf(r.id))! - r.created)),
  };
}

// ---- the run ----

const composed: ComposeResultRow[] = [];
const preparations: { seconds: number; vacuumed: boolean }[] = [];
const baselines: BaselineRow[] = [];
const phases: PhaseRow[] = [];
let trickle: TrickleRow | null = null;
let samples: OutgoingMessage[] = [];
let failure: unknown = null;

try {
  for (const [index, workerCount] of WORKER_COUNTS.entries()) {
    const phase = `w${workerCount}-${index + 1}`;
    log(
      `\nComposing ${Math.min(COMPOSE, COUNT)} emails (${TEMPLATE}, ${COMPOSE_CONCURRENCY} at a time)${COMPOSE < COUNT ? `, then ${COUNT - COMPOSE} copies of them in bulk` : ''}...`,
    );
    const { ids, result } = await composeMessages(phase, COUNT);
    composed.push(result);
    const prepared = await prepareTables();
    preparations.push(prepared);
    log(`  ${prepared.vacuumed ? 'VACUUM (ANALYZE)' : 'ANALYZE'} of the message tables: ${prepared.seconds.toFixed(1)} s`);
    log(
      `  ${result.perSecond.toFixed(0)} composes/s (${result.seconds.toFixed(1)} s; one call p50 ${result.callMs.p50.toFixed(1)} ms, p95 ${result.callMs.p95.toFixed(1)} ms; ` +
        `${result.cpuMsPerCompose.toFixed(1)} ms CPU each)${result.copied ? `; ${result.copied} copies in ${result.copySeconds.toFixed(1)} s` : ''}`,
    );

    log(`Sending them with ${workerCount} worker process${workerCount > 1 ? 'es' : ''}...`);
    const last = index === WORKER_COUNTS.length - 1;
    const { row, workers } = await runWorkerPhase(workerCount, phase, ids);
    phases.push(row);
    log(
      `  ${row.perSecond.toFixed(0)} messages/s (${row.seconds.toFixed(1)} s from first to last; workers started ${row.startupSeconds.toFixed(1)} s before the first); ` +
        `enqueue→accepted p50 ${(row.enqueueToAcceptedMs.p50 / 1000).toFixed(1)} s p95 ${(row.enqueueToAcceptedMs.p95 / 1000).toFixed(1)} s`,
    );
    if (last && TRICKLE > 0) {
      log(`Trickle: ${TRICKLE} emails composed at ${TRICKLE_PER_SECOND}/s while the ${workerCount} worker(s) are idle...`);
      trickle = await runTrickle(workerCount, TRICKLE, workers);
      log(
        `  enqueue→accepted p50 ${trickle.enqueueToAcceptedMs.p50.toFixed(0)} ms, p95 ${trickle.enqueueToAcceptedMs.p95.toFixed(0)} ms, max ${trickle.enqueueToAcceptedMs.max.toFixed(0)} ms`,
      );
    }
    await Promise.all(workers.map((w) => stopChild(w.child)));

    if (index === 0) {
      // The bare loop's content: the very subjects, bodies and headers compose rendered.
      const rows = await db
        .select()
        .from(notificationMessages)
        .where(inArray(notificationMessages.id, ids.slice(0, 1000)));
      samples = rows.map((r) => outgoingOf({ ...r, previousStatus: 'pending' }));
    }
    if (index === 0 || last) {
      const label = index === 0 ? 'after the first phase' : 'after the last phase';
      log(`Bare nodemailer pool (${POOL.maxConnections} connections, ${BASELINE_IN_FLIGHT} in flight), ${COUNT} messages, ${label}...`);
      const baseline = await runBaseline(label, samples, COUNT);
      baselines.push(baseline);
      log(`  ${baseline.perSecond.toFixed(0)} messages/s (${baseline.seconds.toFixed(1)} s)`);
    }
  }
} catch (error) {
  failure = error;
} finally {
  await Promise.all([...children].filter((c) => c !== sink.child).map((c) => stopChild(c)));
  await stopChild(sink.child);
}

if (failure) {
  await ctx.queue.close();
  await clearRedisPrefix(redis);
  await platform.close();
  process.stderr.write(`\nBENCHMARK FAILED: ${failure instanceof Error ? (failure.stack ?? failure.message) : JSON.stringify(failure)}\n`);
  process.exit(1);
}

// ---- report ----

const baselineRate = baselines.reduce((sum, b) => sum + b.perSecond, 0) / baselines.length;
const n0 = (x: number) => x.toFixed(0);
const s1 = (ms: number) => (ms / 1000).toFixed(1);
const ms1 = (ms: number) => ms.toFixed(1);
const avgBytes = phases[0] ? Math.round(phases[0].bytes / phases[0].messages) : 0;
const table = [
  '| run | messages | first → last accepted | messages/s | ratio to bare loop | CPU ms / message: sender + SMTP server | enqueue → accepted p50 / p95 | workers\u2019 start → accepted p50 / p95 | claim → accepted p50 / p95 | accepted → recorded p50 / p95 / max |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...baselines.map(
    (b) =>
      `| bare nodemailer pool (${b.label}) | ${b.messages} | ${b.seconds.toFixed(1)} s | ${n0(b.perSecond)} | ${(b.perSecond / baselineRate).toFixed(2)} | ` +
      `${ms1(b.cpuMsPerMessage.client)} + ${ms1(b.cpuMsPerMessage.smtpServer)} | | | | |`,
  ),
  ...phases.map(
    (p) =>
      `| ${p.workers} worker process${p.workers > 1 ? 'es' : ''} | ${p.messages} | ${p.seconds.toFixed(1)} s | ${n0(p.perSecond)} | ${(p.perSecond / baselineRate).toFixed(2)} | ` +
      `${ms1(p.cpuMsPerMessage.workers)} + ${ms1(p.cpuMsPerMessage.smtpServer)} (PostgreSQL ${ms1(p.cpuMsPerMessage.postgres)}, Redis ${ms1(p.cpuMsPerMessage.redis)}) | ${s1(p.enqueueToAcceptedMs.p50)} / ${s1(p.enqueueToAcceptedMs.p95)} s | ${s1(p.startToAcceptedMs.p50)} / ${s1(p.startToAcceptedMs.p95)} s | ` +
      `${n0(p.claimToAcceptedMs.p50)} / ${n0(p.claimToAcceptedMs.p95)} ms | ${n0(p.acceptedToRecordedMs.p50)} / ${n0(p.acceptedToRecordedMs.p95)} / ${n0(p.acceptedToRecordedMs.max)} ms |`,
  ),
].join('\n');
log(
  `\nN = ${COUNT}, ${avgBytes} bytes per message on the wire, email rate limit ${RATE_LIMIT}/s, batch ${settings.batchSize}, lease ${settings.leaseSeconds} s; ` +
    `PostgreSQL ${pgVersion.server_version}, autovacuum ${autovacuum} (the message tables are ${autovacuum === 'on' ? 'analyzed' : 'vacuumed and analyzed'} before each phase).`,
);
log(
  `Compose (${COMPOSE_CONCURRENCY} in flight): ${composed
    .map(
      (c) =>
        `${c.composed} at ${n0(c.perSecond)}/s (p50 / p95 ${c.callMs.p50.toFixed(1)} / ${c.callMs.p95.toFixed(1)} ms a call, ${c.cpuMsPerCompose.toFixed(1)} ms CPU)`,
    )
    .join('; ')}.`,
);
log(`\n${table}\n`);
for (const p of phases) {
  log(
    `${p.workers} worker(s): ${p.claims} claims for ${p.messages} messages, ${p.rateLimited} rate-limited, ${p.handedBack} handed back, max attempts ${p.maxAttempts}; ` +
      `started ${p.startupSeconds.toFixed(1)} s before the first acceptance; load ${p.load.start} → ${p.load.end}; ` +
      `worker log: ${p.workerLog.map((w) => `${w.warnings} warnings, ${w.errors} errors`).join(' | ')}`,
  );
  for (const w of p.workerLog) for (const line of w.lines.slice(0, 10)) log(`  ${line}`);
}
if (trickle) {
  log(
    `Trickle (${trickle.messages} at ${trickle.perSecond}/s, ${trickle.workers} idle worker(s)): enqueue→accepted p50 ${n0(trickle.enqueueToAcceptedMs.p50)} ms, ` +
      `p95 ${n0(trickle.enqueueToAcceptedMs.p95)} ms, max ${n0(trickle.enqueueToAcceptedMs.max)} ms.`,
  );
}
log(`Every phase: each Message-ID accepted exactly once, every row sent.`);

const out = path.join(REPO_ROOT, 'artifacts/bench');
mkdirSync(out, { recursive: true });
const file = path.join(out, `notifications-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        postgres: pgVersion.server_version,
        autovacuum,
        uptimeAtStart,
        uptimeAtEnd: execFileSync('uptime', { encoding: 'utf8' }).trim(),
      },
      options: { count: COUNT, compose: COMPOSE, workers: WORKER_COUNTS, trickle: TRICKLE, reuse },
      settings: {
        rateLimitEmail: RATE_LIMIT,
        batchSize: settings.batchSize,
        leaseSeconds: settings.leaseSeconds,
        pool: POOL,
        baselineInFlight: BASELINE_IN_FLIGHT,
      },
      composed,
      preparations,
      baselines,
      phases,
      trickle,
    },
    null,
    2,
  ),
);
log(`Raw results: ${path.relative(REPO_ROOT, file)}`);

await ctx.queue.close();
await clearRedisPrefix(redis);
await platform.close();
