import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../../platform/clock.ts';
import { startTestSystem, until } from '../../test/harness.ts';
import { startLocalSmtp } from '../../test/smtp.ts';
import { historyOf, makeArtist, makeTemplate, messageRows, setNotificationSettings } from './notifications.test-helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const MESSAGES = 200;
const LEASE_SECONDS = 30;

/**
 * A real worker process drains a batch to a slow SMTP server and is killed
 * with SIGKILL while the server holds a message's DATA (the client is waiting
 * for the 250). Nothing is lost and nothing is sent twice: the messages it
 * held stay 'sending' until their lease expires, then another dispatcher
 * takes them over and every Message-ID arrives exactly once.
 */
test('a worker killed mid-send loses nothing and sends nothing twice', async () => {
  const smtp = await startLocalSmtp();
  smtp.delayMs = 5;
  const clock = new ManualClock(new Date());
  const system = await startTestSystem({ clock, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) } });
  let child: ChildProcess | undefined;
  try {
    const db = system.ctx.platform.database.db;
    await setNotificationSettings(system, { rateLimits: { email: 1000, sms: 1000, push: 1000, inapp: 1000 }, leaseSeconds: LEASE_SECONDS, batchSize: 50 });
    const code = await makeTemplate(db, { channel: 'email', kind: 'transactional', fr: { subject: 'Reçu {{n}}', body: 'Votre reçu numéro {{n}}.' } });
    const artist = await makeArtist(db);
    const ids: string[] = [];
    for (let start = 0; start < MESSAGES; start += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          system.ctx.services.notifications.compose({
            idempotencyKey: `kill:${randomUUID()}`,
            templateCode: code,
            artistId: artist.id,
            variables: { n: start + i },
          }),
        ),
      );
      ids.push(...batch.map((m) => m.id));
    }

    // The worker process: real clock, the same database (PostgreSQL, or the embedded one over its socket) and Redis.
    const { config } = system;
    child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'kill.worker.ts')], {
      cwd: path.resolve(here, '../../..'),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        KILL_TEST_DATABASE_URL: system.ctx.platform.database.url,
        DATABASE_URL: '',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        JWT_SECRET: config.JWT_SECRET,
        ENCRYPTION_KEY: config.ENCRYPTION_KEY,
        REDIS_URL: config.REDIS_URL ?? '',
        REDIS_PREFIX: config.REDIS_PREFIX,
        DATA_DIR: config.DATA_DIR,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child!.on('exit', (code, signal) => resolve(signal ?? code)));

    // Let it send a good part, then hold the next DATA answers: the worker is now waiting for a 250.
    await until('the worker to send 60 messages', async () => smtp.received.length >= 60, 60_000, 5).catch((error: Error) => {
      throw new Error(`${error.message}; worker stderr: ${stderr}`);
    });
    await smtp.holdAnswers();
    // Whatever the server accepted before the hold, the worker has recorded (so the kill hits a send, not the
    // documented window between the server's 250 and the worker's commit).
    // (A message whose 250 was on its way when the hold began still counts: `received` is read at each probe.)
    await until('the accepted messages to be recorded as sent', async () => {
      const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from notification_messages where status = 'sent'`);
      return rows[0]!.n === smtp.received.length;
    });
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    smtp.release();

    const atKill = await messageRows(db, ids);
    const sending = atKill.filter((r) => r.status === 'sending');
    assert.ok(smtp.held.length >= 1, 'the server was holding a message when the worker died');
    const heldIds = smtp.held.map((h) => /^<(.+)@mona-spark>$/.exec(h)![1]!);
    for (const id of heldIds) assert.equal(atKill.find((r) => r.id === id)?.status, 'sending', `held message ${id} was mid-send`);
    assert.ok(atKill.filter((r) => r.status === 'sent').length < MESSAGES);

    // Another dispatcher, before the lease expires: it sends what was never claimed, and leaves the dead worker's messages alone.
    clock.set(new Date());
    await system.ctx.notifications.dispatcher.drain();
    const beforeExpiry = await messageRows(db, ids);
    for (const row of sending) assert.equal(beforeExpiry.find((r) => r.id === row.id)?.status, 'sending', 'still under the dead worker’s lease');

    // After the lease: it takes them over.
    clock.set(new Date(Date.now() + (LEASE_SECONDS + 1) * 1000));
    await system.ctx.notifications.dispatcher.drain();
    const final = await messageRows(db, ids);
    assert.deepEqual(
      final.filter((r) => r.status !== 'sent').map((r) => `${r.id} ${r.status}`),
      [],
      'every message ends sent',
    );
    const counts = smtp.messageIdCounts();
    for (const id of ids) assert.equal(counts.get(`<${id}@mona-spark>`), 1, `message ${id} arrived exactly once`);
    assert.equal(smtp.received.length, MESSAGES);
    for (const id of heldIds) {
      const row = final.find((r) => r.id === id)!;
      assert.equal(row.attempts, 2);
      assert.ok((await historyOf(db, id)).some((h) => h.status === 'sending' && h.detail.startsWith('taken over')));
    }
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await system.close();
    await smtp.close();
  }
});
