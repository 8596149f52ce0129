import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApi } from '../../api.ts';
import { createContext, type AppContext } from '../../context.ts';
import { migrate } from '../../runtime.ts';
import { bearer, newAccount, testConfig, until } from '../../test/harness.ts';
import { startPrivatePostgres, startReplica, type PrivatePostgres } from '../../test/servers.ts';
import type { HttpApp } from '../http/server.ts';
import { createLogger } from '../logger.ts';
import { createPlatform } from '../platform.ts';

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * DATABASE_READ_URL against real streaming replicas (pg_basebackup -R of a
 * private primary): the artist list and pipeline stats read from them in
 * turn, nothing else does, and the API keeps answering when they stop.
 */
describe('read replicas: DATABASE_READ_URL with two streaming replicas', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-replica-'));
  let primary: PrivatePostgres;
  let replicas: PrivatePostgres[] = [];
  let ctx: AppContext;
  let app: HttpApp;
  let token: string;

  before(async () => {
    primary = await startPrivatePostgres();
    replicas = [await startReplica(primary, 'replica_a'), await startReplica(primary, 'replica_b')];
    const config = testConfig({ DATA_DIR: dataDir, DATABASE_URL: primary.url, DATABASE_READ_URL: replicas.map((r) => r.url).join(', ') });
    const logger = createLogger({ level: config.LOG_LEVEL, name: 'replica-test' });
    ctx = createContext(await createPlatform(config, logger, { name: 'replica-test', embedded: 'own' }));
    await migrate(ctx);
    app = await buildApi(ctx);
    await app.ready();
    const account = newAccount();
    await ctx.services.users.create('cli', { email: account.email, name: account.name, role: 'staff', password: account.password });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });
    assert.equal(res.statusCode, 200, res.body);
    token = res.json<{ accessToken: string }>().accessToken;
  });

  after(async () => {
    await app?.close();
    await ctx?.notifications.close();
    await ctx?.queue.close();
    await ctx?.platform.close();
    for (const server of [...replicas, primary]) await server?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const createArtist = async (stageName: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/artists', headers: bearer(token), payload: { stageName } });
    assert.equal(res.statusCode, 201, res.body);
  };
  const listNames = async (): Promise<string[]> => {
    const res = await app.inject({ method: 'GET', url: '/api/artists?limit=100', headers: bearer(token) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ items: { stageName: string }[] }>().items.map((a) => a.stageName);
  };
  /** Waits until every replica has replayed all the primary has written so far. */
  const caughtUp = async () => {
    const [{ lsn }] = (await sql<{ lsn: string }>(primary.url, 'select pg_current_wal_lsn()::text as lsn')) as [{ lsn: string }];
    await until('the replicas caught up', async () => {
      for (const replica of replicas) {
        const rows = await sql<{ ok: boolean }>(replica.url, `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as ok`);
        if (!rows[0]?.ok) return false;
      }
      return true;
    });
  };
  const pauseReplay = (replica: PrivatePostgres) => sql(replica.url, 'select pg_wal_replay_pause()');
  const resumeReplay = (replica: PrivatePostgres) => sql(replica.url, 'select pg_wal_replay_resume()');

  test('they are real standbys, streaming from the primary', async () => {
    const standbys = await sql<{ application_name: string; state: string }>(primary.url, 'select application_name, state from pg_stat_replication order by 1');
    assert.deepEqual(
      standbys.map((s) => [s.application_name, s.state]),
      [
        ['replica_a', 'streaming'],
        ['replica_b', 'streaming'],
      ],
    );
    for (const replica of replicas) assert.equal((await sql<{ r: boolean }>(replica.url, 'select pg_is_in_recovery() as r'))[0]!.r, true);
    assert.equal(ctx.platform.database.replicas.length, 2);
  });

  test('the artist list reads from the replicas, in turn: a row written on the primary shows once a replica has replayed it', async () => {
    await createArtist('Written Before');
    await until('the row replicated to both replicas', async () => {
      for (const replica of replicas) {
        const rows = await sql(replica.url, "select 1 from artists where stage_name = 'Written Before'");
        if (rows.length === 0) return false;
      }
      return true;
    });
    // Replica A stops replaying: what the primary commits now is on B (and the primary), not on A.
    await pauseReplay(replicas[0]!);
    try {
      await createArtist('Written While A Paused');
      await until(
        'replica B has the new row',
        async () => (await sql(replicas[1]!.url, "select 1 from artists where stage_name = 'Written While A Paused'")).length > 0,
      );
      const seen: boolean[] = [];
      for (let i = 0; i < 6; i++) seen.push((await listNames()).includes('Written While A Paused'));
      // Lists from A miss it, lists from B show it: both replicas answered, and the primary (which has it) answered none of them.
      assert.ok(seen.includes(true), `some lists came from B: ${seen.join(',')}`);
      assert.ok(seen.includes(false), `some lists came from A: ${seen.join(',')}`);
      // Both replicas hold connections of the app's read pool.
      for (const replica of replicas) {
        const sessions = await sql<{ n: number }>(
          replica.url,
          "select count(*)::int as n from pg_stat_activity where application_name = 'mona-replica-test-read'",
        );
        assert.ok(sessions[0]!.n > 0, `read pool connected to ${replica.port}`);
      }
      const onPrimary = await sql<{ n: number }>(
        primary.url,
        "select count(*)::int as n from pg_stat_activity where application_name = 'mona-replica-test-read'",
      );
      assert.equal(onPrimary[0]!.n, 0, 'the read pool never connects to the primary');
    } finally {
      await resumeReplay(replicas[0]!);
    }
    await until('A caught up: every list shows the row', async () => {
      for (let i = 0; i < 2; i++) if (!(await listNames()).includes('Written While A Paused')) return false;
      return true;
    });
  });

  test('the pipeline stats read from the replicas too, and writes and transactions never do', async () => {
    await caughtUp();
    await pauseReplay(replicas[0]!);
    await pauseReplay(replicas[1]!);
    try {
      await createArtist('Counted On The Primary Only');
      const stats = async () => {
        const res = await app.inject({ method: 'GET', url: '/api/pipeline/stats', headers: bearer(token) });
        assert.equal(res.statusCode, 200, res.body);
        return res.json<{ counts: { stage: string; count: number }[] }>().counts.find((c) => c.stage === 'prospect')!.count;
      };
      const onPrimary = (await sql<{ n: number }>(primary.url, "select count(*)::int as n from artists where stage = 'prospect' and archived_at is null"))[0]!
        .n;
      // Both replicas are behind by one artist: the stats (from them) say so, the primary does not.
      assert.equal(await stats(), onPrimary - 1);
      assert.equal(await stats(), onPrimary - 1);
    } finally {
      await resumeReplay(replicas[0]!);
      await resumeReplay(replicas[1]!);
    }
    await assert.rejects(
      ctx.platform.database.read.transaction(async () => undefined),
      (error: Error) => {
        assert.match(String((error.cause as Error | undefined)?.message ?? error.message), /does not run transactions/);
        return true;
      },
    );
  });

  test('a replica stopped: reads go to the other one; both stopped: to the primary; the API answers throughout', async () => {
    await replicas[0]!.kill();
    await createArtist('After A Stopped');
    await until('B has it', async () => (await sql(replicas[1]!.url, "select 1 from artists where stage_name = 'After A Stopped'")).length > 0);
    for (let i = 0; i < 4; i++) assert.ok((await listNames()).includes('After A Stopped'));

    await replicas[1]!.kill();
    await createArtist('After Both Stopped');
    // Read from the primary: the newest row is there at once.
    for (let i = 0; i < 4; i++) assert.ok((await listNames()).includes('After Both Stopped'));
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    assert.equal(ready.statusCode, 200, 'the replicas are not needed to be ready');

    // Back: after the pause for a down replica, the read pool uses them again.
    await Promise.all(replicas.map((r) => r.start()));
    await until(
      'the read pool back on the replicas',
      async () => {
        await listNames();
        const counts = await Promise.all(
          replicas.map(
            async (r) =>
              (await sql<{ n: number }>(r.url, "select count(*)::int as n from pg_stat_activity where application_name = 'mona-replica-test-read'"))[0]!.n,
          ),
        );
        return counts.every((n) => n > 0);
      },
      60_000,
      500,
    );
  });
});
