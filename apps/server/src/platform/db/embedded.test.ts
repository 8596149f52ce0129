import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { EMBEDDED_MAX_CONNECTIONS, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';

let embedded: EmbeddedPostgres;
let pool: pg.Pool;
before(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null, port: 0 });
  pool = new pg.Pool({ connectionString: embedded.url, max: 12 });
  // An error on an idle client must fail the test, not crash the runner.
  pool.on('error', () => undefined);
  await pool.query('create table probe (id int primary key, body text not null)');
});
after(async () => {
  await pool.end();
  await embedded.stop();
});

test('concurrent connections keep their parameterised queries apart (large messages arrive in several TCP chunks)', async () => {
  const large = 'x'.repeat(150_000);
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: 300 }, async (_, i) => {
      try {
        if (i % 3 === 0) {
          const client = await pool.connect();
          try {
            await client.query('begin');
            await client.query('insert into probe (id, body) values ($1, $2)', [i, large + i]);
            await client.query('commit');
          } finally {
            client.release();
          }
        } else {
          const inserted = await pool.query<{ id: number }>('insert into probe (id, body) values ($1, $2) returning id', [i, (i % 2 ? large : '') + i]);
          if (inserted.rows[0]?.id !== i) failures.push(`insert ${i} returned ${JSON.stringify(inserted.rows)}`);
        }
        const read = await pool.query<{ tail: string }>('select right(body, 4) as tail from probe where id = $1', [i]);
        if (!read.rows[0]?.tail.endsWith(String(i).slice(-4))) failures.push(`read ${i} returned ${JSON.stringify(read.rows)}`);
      } catch (error) {
        failures.push(`${i}: ${(error as Error).message}`);
      }
    }),
  );
  assert.deepEqual(failures.slice(0, 5), []);
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from probe');
  assert.equal(rows[0]?.n, 300);
});

test('a statement that fails does not stop the queue: later queries from every connection still run', async () => {
  const results = await Promise.allSettled(
    Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? pool.query('select 1 / $1::int as x', [0]) : pool.query('select $1::int as x', [i]))),
  );
  const rejected = results.filter((r) => r.status === 'rejected');
  assert.equal(rejected.length, 10);
  for (const r of rejected) assert.match(String(r.reason), /division by zero/);
  const fulfilled = results.filter((r): r is PromiseFulfilledResult<pg.QueryResult> => r.status === 'fulfilled');
  assert.equal(fulfilled.length, 30);
  assert.equal((await pool.query('select 42 as x')).rows[0].x, 42);
});

test('far more connections than `npm start` holds are accepted and each one works', async () => {
  // npm start alone holds about 32 (its pool plus the job queues' and workers' pools); the CLI,
  // separate workers and psql come on top. 120 clients at once, each querying.
  assert.ok(EMBEDDED_MAX_CONNECTIONS >= 120);
  const clients = Array.from({ length: 120 }, () => new pg.Client({ connectionString: embedded.url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const answers = await Promise.all(clients.map((c, i) => c.query<{ x: number }>('select $1::int as x', [i])));
    assert.deepEqual(
      answers.map((a) => a.rows[0]?.x),
      clients.map((_, i) => i),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
});
