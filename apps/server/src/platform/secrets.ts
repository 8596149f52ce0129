import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from './db/client.ts';

/**
 * Secrets kept at rest in the database (platform_secrets: generated VAPID
 * keys, platform tokens) are sealed with AES-256-GCM under a key derived from
 * ENCRYPTION_KEY, so a database dump or backup alone gives none of them away.
 *
 * Sealed form: `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The key
 * id (a hash of the key, not the key) says which key sealed it, so that after
 * a rotation the previous keys (ENCRYPTION_KEY_PREVIOUS) still open what has
 * not been re-sealed yet. `v1.<iv>.<tag>.<ciphertext>` (before key ids) is
 * still read, trying each key.
 */
export class SecretBox {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(current: string, previous: readonly string[] = []) {
    if (!current) throw new Error('ENCRYPTION_KEY is empty');
    const all = [current, ...previous.filter((k) => k && k !== current)];
    this.keys = all.map((k) => ({ id: keyId(k), key: derive(k) }));
  }

  /** The id of the current key (what `seal` writes). */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  seal(plain: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v2', id, b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.');
  }

  /** Throws SecretError when no known key opens it (another ENCRYPTION_KEY, or tampered). */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, id, iv, tag, body] = parts as [string, string, string, string, string];
      const entry = this.keys.find((k) => k.id === id);
      if (!entry) throw new SecretError(`sealed with a key that is neither ENCRYPTION_KEY nor in ENCRYPTION_KEY_PREVIOUS (key id ${id})`);
      return decrypt(entry.key, iv, tag, body);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, body] = parts as [string, string, string, string];
      for (const { key } of this.keys) {
        try {
          return decrypt(key, iv, tag, body);
        } catch {
          // the next key
        }
      }
      throw new SecretError('no configured key opens this secret (ENCRYPTION_KEY, ENCRYPTION_KEY_PREVIOUS)');
    }
    throw new SecretError('not a sealed secret');
  }

  /** True when `sealed` is not sealed with the current key in the current form. */
  isStale(sealed: string): boolean {
    return !sealed.startsWith(`v2.${this.currentKeyId}.`);
  }
}

export class SecretError extends Error {}

/** A string that has the form of a sealed secret (either version). */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && (/^v2\.[\w-]{11}\.[\w-]+\.[\w-]+\.[\w-]*$/.test(value) || /^v1\.[\w-]+\.[\w-]+\.[\w-]*$/.test(value));
}

function derive(encryptionKey: string): Buffer {
  return createHash('sha256').update(`mona-spark:platform-secrets:${encryptionKey}`).digest();
}

function keyId(encryptionKey: string): string {
  return createHash('sha256').update(`mona-spark:key-id:${encryptionKey}`).digest().subarray(0, 8).toString('base64url');
}

const b64 = (b: Buffer) => b.toString('base64url');

function decrypt(key: Buffer, iv: string, tag: string, body: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export interface RotationReport {
  /** platform_secrets rows read. */
  rows: number;
  /** Sealed values re-sealed with the current key (or that would be, on a dry run). */
  resealed: number;
  /** Sealed values already under the current key. */
  current: number;
  /** `row name: reason` for every value no key opens; when any, nothing was written. */
  unreadable: string[];
}

/**
 * Re-seals, under the current ENCRYPTION_KEY, every sealed value of
 * platform_secrets (a row's value is a sealed string or a JSON object whose
 * sealed string fields are its secrets). One transaction with the rows
 * locked: all or nothing. When any value opens with no known key, nothing is
 * written and the report names it.
 */
export async function rotateSecrets(db: Db, box: SecretBox, options: { dryRun?: boolean } = {}): Promise<RotationReport> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ name: string; value: string }>(sql`select name, value from platform_secrets order by name for update`);
    const report: RotationReport = { rows: rows.length, resealed: 0, current: 0, unreadable: [] };
    const updates: { name: string; value: string }[] = [];
    for (const row of rows) {
      const reseal = (value: string): string => {
        if (!box.isStale(value)) {
          report.current++;
          return value;
        }
        try {
          const next = box.seal(box.open(value));
          report.resealed++;
          return next;
        } catch (error) {
          report.unreadable.push(`${row.name}: ${(error as Error).message}`);
          return value;
        }
      };
      let next: string;
      if (isSealed(row.value)) {
        next = reseal(row.value);
      } else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(row.value);
        } catch {
          continue; // not a secret of ours
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
        const fields = Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, isSealed(v) ? reseal(v) : v] as const);
        next = JSON.stringify(Object.fromEntries(fields));
      }
      if (next !== row.value) updates.push({ name: row.name, value: next });
    }
    if (report.unreadable.length > 0 || options.dryRun) return report;
    for (const u of updates) await tx.execute(sql`update platform_secrets set value = ${u.value} where name = ${u.name}`);
    return report;
  });
}
