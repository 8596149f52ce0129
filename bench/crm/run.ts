/**
 * `npm run bench:crm`: the CRM's read paths at agency-network scale.
 *
 * Loads 100,000 artists, 1,000,000 metric snapshots and their pipeline history
 * into a fresh PostgreSQL database (`mona_bench` on the server of
 * BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432),
 * migrated with the project's migrations; starts the real API in this process
 * (context + buildApi, listening on a free port) and measures, for each
 * scenario, real HTTP requests (autocannon) against the very SQL the API runs
 * (captured from the repositories) through the bare `pg` driver.
 *
 * Options: --artists N (100000) --snapshots N per artist (10) --seconds S per
 * measurement (10) --connections C (10) --reuse (keep an already loaded
 * mona_bench) --explain (print EXPLAIN ANALYZE of each query).
 * Not part of `npm test`; no assertion on times.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { buildApi } from '../../apps/server/src/api.ts';
import { parseConfig, REPO_ROOT } from '../../apps/server/src/config/env.ts';
import { createContext } from '../../apps/server/src/context.ts';
import { CursorCodec } from '../../apps/server/src/modules/artists/artists.cursor.ts';
import { ArtistsRepository } from '../../apps/server/src/modules/artists/artists.repository.ts';
import { listArtistsQuery } from '../../apps/server/src/modules/artists/artists.schemas.ts';
import { PipelineRepository } from '../../apps/server/src/modules/pipeline/pipeline.repository.ts';
import { DEFAULT_STATS_DAYS } from '../../apps/server/src/modules/pipeline/pipeline.service.ts';
import * as schema from '../../apps/server/src/platform/db/schema.ts';
import { createLogger } from '../../apps/server/src/platform/logger.ts';
import { createPlatform } from '../../apps/server/src/platform/platform.ts';
import { migrate } from '../../apps/server/src/runtime.ts';
import { loadDataset, type LoadResult } from './load.ts';
import { measureHttp, measureLoop, type Measurement } from './measure.ts';

const { values: args } = parseArgs({
  options: {
    artists: { type: 'string', default: '100000' },
    snapshots: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    reuse: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
});
const ARTISTS = Number(args.artists);
const SNAPSHOTS = Number(args.snapshots);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const DB_NAME = 'mona_bench';
const log = (line: string) => process.stdout.write(`${line}\n`);

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchUrl = new URL(serverUrl);
benchUrl.pathname = `/${DB_NAME}`;

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

const exists = (await adminQuery(`select 1 from pg_database where datname = '${DB_NAME}'`)).rowCount === 1;
const reuse = args.reuse && exists;
if (!reuse) {
  log(`Creating a fresh ${DB_NAME} database...`);
  await adminQuery(`drop database if exists ${DB_NAME} with (force)`);
  await adminQuery(`create database ${DB_NAME}`);
}

// The API as it runs in production, minus request logs (they would measure the terminal).
const config = parseConfig({
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DATABASE_URL: benchUrl.toString(),
  JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  DATA_DIR: path.join(os.tmpdir(), 'mona-bench'),
});
const logger = createLogger({ level: 'warn', name: 'bench' });
const platform = await createPlatform(config, logger, { name: 'bench', embedded: 'own' });
const ctx = createContext(platform);
await migrate(ctx);

const staffIds: string[] = [];
for (let i = 1; i <= 5; i++) {
  const email = `staff${i}@bench.example`;
  const existing = await ctx.repos.users.findByEmail(email);
  staffIds.push(
    existing?.id ?? (await ctx.services.users.create('cli', { email, name: `Staff ${i}`, role: 'staff', password: 'Villa-Sunset-Marseille-2027' })).user.id,
  );
}

const pool = new pg.Pool({ connectionString: benchUrl.toString(), max: CONNECTIONS });
let dataset: LoadResult | { artists: number; snapshots: number; moves: number; seconds: null };
if (reuse) {
  const counts = await pool.query<{ a: number; s: number; m: number }>(
    'select (select count(*) from artists)::int as a, (select count(*) from metric_snapshots)::int as s, (select count(*) from pipeline_moves)::int as m',
  );
  dataset = { artists: counts.rows[0]!.a, snapshots: counts.rows[0]!.s, moves: counts.rows[0]!.m, seconds: null };
  log(`Reusing ${DB_NAME}: ${dataset.artists} artists, ${dataset.snapshots} snapshots, ${dataset.moves} moves.`);
} else {
  log(`Loading ${ARTISTS} artists with ${SNAPSHOTS} metric snapshots each...`);
  const started = performance.now();
  dataset = await loadDataset(pool, { artists: ARTISTS, snapshotsPerArtist: SNAPSHOTS, staffIds, log });
  log(`Loaded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${dataset.artists} artists, ${dataset.snapshots} snapshots, ${dataset.moves} moves.`);
}

const app = await buildApi(ctx);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const token = await ctx.signer.sign({ sub: staffIds[0]!, role: 'staff' });
const headers = { authorization: `Bearer ${token}` };

/** The SQL a repository call runs, captured with its parameters from drizzle's logger (nothing is sent when `dryRun`). */
const captured: { text: string; values: unknown[] }[] = [];
const captureDb = drizzle(pool, { schema, casing: 'snake_case', logger: { logQuery: (text, values) => captured.push({ text, values }) } });
async function captureSql(call: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  captured.length = 0;
  await call();
  return [...captured];
}

interface Scenario {
  name: string;
  path: string;
  query: Record<string, string>;
  /** Follows the first page's nextCursor: the second page. */
  cursor?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'list: first page (newest first)', path: '/api/artists', query: {} },
  { name: 'list: next page (cursor)', path: '/api/artists', query: {}, cursor: true },
  { name: 'list: stage + tier', path: '/api/artists', query: { stage: 'execution', tier: 'premium' } },
  { name: 'list: genre', path: '/api/artists', query: { genre: 'jazz' } },
  { name: 'list: city', path: '/api/artists', query: { city: 'Lyon' } },
  { name: 'list: free text q', path: '/api/artists', query: { q: 'lune' } },
  { name: 'list: sorted by score', path: '/api/artists', query: { sort: 'score', order: 'desc' } },
  { name: 'list: sorted by name', path: '/api/artists', query: { sort: 'stageName', order: 'asc' } },
  {
    name: 'list: stage + genre + city, by score',
    path: '/api/artists',
    query: { stage: 'checkup', genre: 'rap', city: 'Paris', sort: 'score', order: 'desc' },
  },
  { name: 'list: stage + tier, next page', path: '/api/artists', query: { stage: 'execution', tier: 'premium' }, cursor: true },
];

const artistsRepo = new ArtistsRepository(captureDb);
const pipelineRepo = new PipelineRepository(captureDb);
const cursors = new CursorCodec(config.JWT_SECRET);

async function resolveQuery(scenario: Scenario): Promise<Record<string, string>> {
  if (!scenario.cursor) return scenario.query;
  const res = await fetch(`${address}${scenario.path}?${new URLSearchParams(scenario.query).toString()}`, { headers });
  const body = (await res.json()) as { nextCursor: string | null };
  if (!body.nextCursor) throw new Error(`${scenario.name}: no next page`);
  return { ...scenario.query, cursor: body.nextCursor };
}

async function listSql(query: Record<string, string>) {
  const { limit, cursor: cursorText, ...filters } = listArtistsQuery.parse(query);
  const cursor = cursorText ? cursors.decode(cursorText, filters.sort, filters.order) : null;
  return captureSql(() => artistsRepo.list(filters, cursor, limit));
}

async function statsSql() {
  const to = new Date();
  const from = new Date(to.getTime() - DEFAULT_STATS_DAYS * 86_400_000);
  return captureSql(() =>
    Promise.all([
      artistsRepo.countByStage(),
      pipelineRepo.artistsInStage(from, to),
      pipelineRepo.movedBetween(from, to),
      pipelineRepo.medianHoursInStage(from, to),
    ]),
  );
}

async function explain(name: string, queries: { text: string; values: unknown[] }[]) {
  for (const q of queries) {
    const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.text}`, q.values);
    log(`\n-- ${name}\n${q.text}\n${JSON.stringify(q.values)}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

interface Row {
  name: string;
  url: string;
  api: { single: Measurement; loaded: Measurement };
  sql: { single: Measurement; loaded: Measurement };
  statements: number;
}
const rows: Row[] = [];

async function bench(name: string, url: string, queries: { text: string; values: unknown[] }[]) {
  // Same rows as the API reads? (a warm-up that also checks the captured SQL runs)
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  const runSql = () => Promise.all(queries.map((q) => pool.query(q.text, q.values)));
  await runSql();
  if (args.explain) await explain(name, queries);
  log(`\n${name}  (${url.replace(address, '')})`);
  const apiSingle = await measureHttp(url, headers, 1, Math.max(3, SECONDS / 2));
  const sqlSingle = await measureLoop(runSql, 1, Math.max(3, SECONDS / 2));
  const apiLoaded = await measureHttp(url, headers, CONNECTIONS, SECONDS);
  const sqlLoaded = await measureLoop(runSql, CONNECTIONS, SECONDS);
  const row: Row = {
    name,
    url: url.replace(address, ''),
    api: { single: apiSingle, loaded: apiLoaded },
    sql: { single: sqlSingle, loaded: sqlLoaded },
    statements: queries.length,
  };
  rows.push(row);
  const fmt = (m: Measurement) => `${m.perSecond.toFixed(0)}/s p50 ${m.p50.toFixed(1)} ms p95 ${m.p95.toFixed(1)} ms${m.errors ? ` (${m.errors} errors)` : ''}`;
  log(`  c=1   API ${fmt(apiSingle)} | SQL ${fmt(sqlSingle)}`);
  log(`  c=${CONNECTIONS}  API ${fmt(apiLoaded)} | SQL ${fmt(sqlLoaded)} | ratio ${(apiLoaded.perSecond / sqlLoaded.perSecond).toFixed(2)}`);
}

for (const scenario of SCENARIOS) {
  const query = await resolveQuery(scenario);
  await bench(scenario.name, `${address}${scenario.path}?${new URLSearchParams(query).toString()}`, await listSql(query));
}
await bench('pipeline stats (90 days)', `${address}/api/pipeline/stats`, await statsSql());

// The table for docs/benchmarks.md, and the raw numbers under artifacts/.
const n = (x: number) => x.toFixed(0);
const ms = (x: number) => x.toFixed(1);
const table = [
  `| scenario | API req/s (c=${CONNECTIONS}) | SQL query/s (c=${CONNECTIONS}) | ratio | API p50 / p95 ms (c=1) | SQL p50 / p95 ms (c=1) | API p50 / p95 ms (c=${CONNECTIONS}) | SQL p50 / p95 ms (c=${CONNECTIONS}) |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${n(r.api.loaded.perSecond)} | ${n(r.sql.loaded.perSecond)} | ${(r.api.loaded.perSecond / r.sql.loaded.perSecond).toFixed(2)} | ${ms(r.api.single.p50)} / ${ms(r.api.single.p95)} | ${ms(r.sql.single.p50)} / ${ms(r.sql.single.p95)} | ${ms(r.api.loaded.p50)} / ${ms(r.api.loaded.p95)} | ${ms(r.sql.loaded.p50)} / ${ms(r.sql.loaded.p95)} |`,
  ),
].join('\n');
log(`\n${table}\n`);
const out = path.join(REPO_ROOT, 'artifacts/bench');
mkdirSync(out, { recursive: true });
const file = path.join(out, `crm-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30) },
      dataset,
      rows,
    },
    null,
    2,
  ),
);
log(`Raw results: ${path.relative(REPO_ROOT, file)}`);

await app.close();
await pool.end();
await ctx.queue.close();
await platform.close();
