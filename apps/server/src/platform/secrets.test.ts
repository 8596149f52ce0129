import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { REPO_ROOT } from '../config/env.ts';
import { VapidKeys } from '../modules/notifications/vapid.ts';
import { startTestSystem, type TestSystem } from '../test/harness.ts';
import { isSealed, rotateSecrets, SecretBox, SecretError } from './secrets.ts';

const OLD = 'old-encryption-key-0123456789-abcdefghijklmnop';
const NEW = 'new-encryption-key-9876543210-zyxwvutsrqponmlk';

/** A value sealed the way releases before key ids did (v1: no key id). */
function sealV1(key: string, plain: string): string {
  const derived = createHash('sha256').update(`mona-spark:platform-secrets:${key}`).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derived, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

describe('SecretBox: AES-256-GCM with key ids', () => {
  test('seals and opens; each seal differs; the plain text is not in the sealed form', () => {
    const box = new SecretBox(NEW);
    const a = box.seal('oauth-token-of-twitch');
    const b = box.seal('oauth-token-of-twitch');
    assert.notEqual(a, b, 'a fresh IV each time');
    assert.ok(isSealed(a));
    assert.ok(!a.includes('oauth'));
    assert.ok(a.startsWith(`v2.${box.currentKeyId}.`));
    assert.equal(box.open(a), 'oauth-token-of-twitch');
    assert.equal(box.open(box.seal('')), '');
  });

  test('another key, a tampered value or garbage is refused', () => {
    const sealed = new SecretBox(OLD).seal('secret');
    assert.throws(() => new SecretBox(NEW).open(sealed), SecretError);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    assert.throws(() => new SecretBox(OLD).open(parts.join('.')), /auth/i);
    assert.throws(() => new SecretBox(OLD).open('not sealed'), SecretError);
    assert.equal(isSealed('plain text'), false);
  });

  test('previous keys open what they sealed, v1 values too; only the current key seals', () => {
    const rotated = new SecretBox(NEW, [OLD]);
    assert.equal(rotated.open(new SecretBox(OLD).seal('s1')), 's1');
    assert.equal(rotated.open(sealV1(OLD, 's2')), 's2');
    assert.equal(rotated.isStale(sealV1(NEW, 's3')), true, 'v1 is re-sealed even under the current key');
    assert.equal(rotated.isStale(new SecretBox(OLD).seal('s4')), true);
    assert.equal(rotated.isStale(rotated.seal('s5')), false);
    assert.throws(() => new SecretBox(NEW).open(sealV1(OLD, 's6')), SecretError);
  });
});

describe('rotate-encryption-key on the database', () => {
  let system: TestSystem;
  before(async () => {
    system = await startTestSystem({ env: { ENCRYPTION_KEY: OLD } });
  });
  after(async () => system.close());

  const db = () => system.ctx.platform.database.db;
  const rowsOf = async () => (await db().execute<{ name: string; value: string }>(sql`select name, value from platform_secrets order by name`)).rows;
  const vapidWith = (key: string, previous: string[] = []) =>
    new VapidKeys({ db: db(), config: { ...system.config, ENCRYPTION_KEY: key, ENCRYPTION_KEY_PREVIOUS: previous }, logger: system.ctx.platform.logger });

  test('re-seals the VAPID key and a legacy token under the new key, all or nothing; the old key is then useless', async () => {
    const before = await vapidWith(OLD).get();
    await db().execute(sql`insert into platform_secrets (name, value) values ('twitch-token', ${sealV1(OLD, 'twitch-oauth-123')})`);
    await db().execute(sql`insert into platform_secrets (name, value) values ('note', '{"plain":"not a secret"}')`);
    const original = await rowsOf();

    // Without the old key, nothing opens and nothing is written.
    const blind = await rotateSecrets(db(), new SecretBox(NEW));
    assert.equal(blind.unreadable.length, 2);
    assert.match(blind.unreadable.join('\n'), /twitch-token/);
    assert.deepEqual(await rowsOf(), original);

    const box = new SecretBox(NEW, [OLD]);
    const dry = await rotateSecrets(db(), box, { dryRun: true });
    assert.deepEqual({ ...dry, unreadable: dry.unreadable.length }, { rows: 3, resealed: 2, current: 0, unreadable: 0 });
    assert.deepEqual(await rowsOf(), original, 'a dry run writes nothing');

    const done = await rotateSecrets(db(), box);
    assert.deepEqual({ ...done, unreadable: done.unreadable.length }, { rows: 3, resealed: 2, current: 0, unreadable: 0 });
    const rows = await rowsOf();
    const token = rows.find((r) => r.name === 'twitch-token')!.value;
    assert.ok(token.startsWith(`v2.${box.currentKeyId}.`));
    assert.equal(new SecretBox(NEW).open(token), 'twitch-oauth-123');
    assert.equal(rows.find((r) => r.name === 'note')!.value, '{"plain":"not a secret"}', 'other rows untouched');

    // The new key alone serves the same VAPID pair (browsers keep their subscriptions); the old one no longer opens it.
    const after = await vapidWith(NEW).get();
    assert.equal(after.publicKey, before.publicKey);
    assert.equal(after.privateKey, before.privateKey);
    await assert.rejects(vapidWith(OLD).get(), /cannot be decrypted/);

    // A second run finds everything current.
    const again = await rotateSecrets(db(), box);
    assert.deepEqual({ resealed: again.resealed, current: again.current }, { resealed: 0, current: 2 });
  });

  test(
    'the CLI command rotates against the configured database and refuses without the old key',
    { skip: !process.env.DATABASE_URL && 'the CLI reaches an embedded database only through npm start; covered with DATABASE_URL' },
    async () => {
      const url = system.ctx.platform.database.url;
      await db().execute(sql`insert into platform_secrets (name, value) values ('youtube-token', ${new SecretBox(NEW).seal('yt-1')})`);
      const cli = (env: Record<string, string>, ...args: string[]) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/entrypoints/cli.ts', 'rotate-encryption-key', ...args], {
            cwd: REPO_ROOT,
            env: { ...process.env, DATABASE_URL: url, REDIS_URL: '', LOG_LEVEL: 'error', ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.on('exit', (code) => resolve({ code, out }));
        });
      const third = 'third-encryption-key-abcdefghijklmnopqrstuvwxyz';
      const refused = await cli({ ENCRYPTION_KEY: third });
      assert.equal(refused.code, 1, refused.out);
      assert.match(refused.out, /Nothing changed: \d secret\(s\) open with no configured key/);
      const rotated = await cli({ ENCRYPTION_KEY: third, ENCRYPTION_KEY_PREVIOUS: `${OLD}, ${NEW}` });
      assert.equal(rotated.code, 0, rotated.out);
      assert.match(rotated.out, /Re-sealed 3 secret\(s\) under the current ENCRYPTION_KEY/);
      const token = (await rowsOf()).find((r) => r.name === 'youtube-token')!.value;
      assert.equal(new SecretBox(third).open(token), 'yt-1');
    },
  );
});
