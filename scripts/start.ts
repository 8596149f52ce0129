/**
 * `npm start`: the whole system on one machine with embedded defaults.
 * The API (:3001) with PGlite under .data/ (unless DATABASE_URL is set), the
 * workers of every family in-process, and the Next.js web app (:3000), built
 * on first start and rebuilt when its sources change. Ctrl-C stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../apps/server/src/config/env.ts';
import { printFirstAdmin } from '../apps/server/src/entrypoints/banner.ts';
import { createLogger } from '../apps/server/src/platform/logger.ts';
import { onShutdown, openContext, runApi, runWorkers } from '../apps/server/src/runtime.ts';
import { formatSeedReport, runSeed, SeedRefused } from '../apps/server/src/seed/seed.ts';

const WEB_DIR = path.join(REPO_ROOT, 'apps/web');
const NEXT_BIN = path.join(REPO_ROOT, 'node_modules/next/dist/bin/next');

/** A hash of everything the web build depends on, to rebuild only when it changed. */
function webSourceHash(): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === 'node_modules' || entry === '.next' || entry.endsWith('.test.ts')) continue;
      const full = path.join(dir, entry);
      const stat = statSync(full);
      if (stat.isDirectory()) visit(full);
      else hash.update(full).update(readFileSync(full));
    }
  };
  for (const dir of ['apps/web', 'packages/sdk/src', 'packages/shared/src']) visit(path.join(REPO_ROOT, dir));
  return hash.digest('hex');
}

/** How long `next start` may take to finish its in-flight requests at Ctrl-C / SIGTERM. */
const WEB_STOP_GRACE_MS = 3000;

function runNext(args: string[], env: NodeJS.ProcessEnv, quiet: boolean): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: WEB_DIR,
    // Next builds and serves its optimised bundle only with NODE_ENV=production, whatever mode the API runs in.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
}

async function buildWebIfNeeded(): Promise<void> {
  const stamp = path.join(WEB_DIR, '.next/mona-build-hash');
  const current = webSourceHash();
  if (existsSync(path.join(WEB_DIR, '.next/BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return;
  process.stdout.write('Building the web app (first start or changed sources; about a minute)...\n');
  const started = Date.now();
  const child = runNext(['build'], {}, true);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const ticker = setInterval(() => process.stdout.write(`  ... still building (${Math.round((Date.now() - started) / 1000)} s)\n`), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(ticker);
  if (code !== 0) {
    process.stderr.write(output);
    throw new Error(`The web build failed (exit ${code})`);
  }
  writeFileSync(stamp, current);
  process.stdout.write(`Web app built in ${Math.round((Date.now() - started) / 1000)} s.\n`);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

// `npm start -- --demo`: load the demo dataset after the migrations (idempotent; `--force` in production).
const demo = process.argv.includes('--demo');
const forceDemo = process.argv.includes('--force');

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'mona' });
const skipWeb = process.env.MONA_SKIP_WEB === '1';
if (!skipWeb) await buildWebIfNeeded();

const ctx = await openContext(config, logger, 'own');
const api = await runApi(ctx, { port: config.PORT, host: config.HOST });
let demoReport = '';
if (demo) {
  process.stdout.write('Seeding the demo data...\n');
  try {
    demoReport = formatSeedReport(await runSeed(ctx, { force: forceDemo, log: (line) => process.stdout.write(`${line}\n`) }));
  } catch (error) {
    if (!(error instanceof SeedRefused)) throw error;
    demoReport = `${error.message}\n`;
  }
}
const workers = await runWorkers(ctx, config.WORKERS);

const apiUrl = `http://localhost:${config.PORT}`;
const webUrl = `http://localhost:${config.WEB_PORT}`;
let web: ChildProcess | undefined;
if (!skipWeb) {
  web = runNext(['start', '-p', String(config.WEB_PORT)], { API_INTERNAL_URL: `http://127.0.0.1:${config.PORT}`, PORT: String(config.WEB_PORT) }, false);
  web.on('exit', (code, signal) => {
    if (!stopping) {
      logger.error({ code, signal }, 'the web server stopped; stopping everything');
      process.kill(process.pid, 'SIGTERM');
    }
  });
  if (!(await waitForHttp(`${webUrl}/healthz`, 60_000))) logger.warn('the web app did not answer within 60 s');
}
let stopping = false;

process.stdout.write(
  [
    '',
    '  MONA x SPARK is running',
    skipWeb ? '' : `    Web app:   ${webUrl}`,
    `    API:       ${apiUrl}   (docs: ${apiUrl}/api/docs)`,
    `    Workers:   ${config.WORKERS.join(', ')} (in this process)`,
    `    Database:  ${ctx.platform.embeddedDatabase ? `embedded PGlite in ${path.join(config.DATA_DIR, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`,
    `    Redis:     ${config.REDIS_URL ? 'REDIS_URL' : 'not used (in-process cache and rate limits, jobs in PostgreSQL)'}`,
    '',
    api.firstAdmin ? '' : '  Sign in with your admin account, or create one: npm run cli -- create-admin --email you@example.com',
    '  Press Ctrl-C to stop.',
    '',
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n') + '\n',
);
printFirstAdmin(api.firstAdmin);
if (demoReport) process.stdout.write(`\n${demoReport}\n`);

onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, async (remainingMs) => {
  stopping = true;
  const budgetMs = Math.max(1000, remainingMs - 2000);
  const webExited = web && web.exitCode === null ? new Promise((resolve) => web.once('exit', resolve)) : Promise.resolve();
  web?.kill('SIGTERM');
  // next start stops accepting connections and then waits for the open ones to end, but never closes a browser's
  // keep-alive connection (an open tab's live inbox reconnects on it). Page renders in flight get a few seconds; then
  // the web server is killed (it holds no state).
  const webDeadline = setTimeout(
    () => {
      logger.info('the web server still had open connections; killing it');
      web?.kill('SIGKILL');
    },
    Math.min(budgetMs, WEB_STOP_GRACE_MS),
  );
  const started = Date.now();
  const timed = (name: string, done: Promise<unknown>) => done.then(() => logger.debug({ ms: Date.now() - started }, `${name} stopped`));
  await Promise.all([timed('workers', workers.stop(budgetMs)), timed('api', api.stop(budgetMs)), timed('web', webExited)]);
  clearTimeout(webDeadline);
  await ctx.queue.close();
  await ctx.platform.close();
});
