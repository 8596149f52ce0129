import { sql } from 'drizzle-orm';
import webpush from 'web-push';
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { SecretBox } from '../../platform/secrets.ts';

/** The key pair push services check our messages with (RFC 8292), and the contact they may use. */
export interface VapidDetails {
  publicKey: string;
  privateKey: string;
  subject: string;
  /** env: VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY; generated: made once by the system and kept in platform_secrets. */
  source: 'env' | 'generated';
}

/** The platform_secrets row of the generated pair. */
export const VAPID_SECRET_NAME = 'vapid';

export interface VapidConfig {
  VAPID_PUBLIC_KEY?: string | undefined;
  VAPID_PRIVATE_KEY?: string | undefined;
  VAPID_SUBJECT?: string | undefined;
  NEXT_PUBLIC_APP_URL: string;
  ENCRYPTION_KEY: string;
  ENCRYPTION_KEY_PREVIOUS?: readonly string[] | undefined;
}

/** The subject when VAPID_SUBJECT is not set: the web app when it is served over https, else a mailto push services accept. */
export function defaultVapidSubject(appUrl: string): string {
  const url = new URL(appUrl);
  if (url.protocol === 'https:' && url.hostname !== 'localhost') return url.origin;
  return 'mailto:notifications@mona-spark.invalid';
}

/**
 * The VAPID keys of the platform, resolved once per process: from the
 * environment when both keys are set; otherwise a pair generated with web-push
 * and stored (encrypted) in platform_secrets. Instances starting together each
 * generate a pair, insert it with ON CONFLICT DO NOTHING, then read the row: all
 * of them use the one that was stored first. Browsers subscribe with the public
 * key, so it must never change behind their back.
 */
export class VapidKeys {
  private pending: Promise<VapidDetails> | null = null;

  constructor(
    private readonly deps: {
      db: Db;
      config: VapidConfig;
      logger: Logger;
    },
  ) {
    const { VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY } = deps.config;
    if (Boolean(VAPID_PUBLIC_KEY) !== Boolean(VAPID_PRIVATE_KEY)) throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither');
  }

  get(): Promise<VapidDetails> {
    // A failure (database away) is not remembered: the next call tries again.
    this.pending ??= this.resolve().catch((error: unknown) => {
      this.pending = null;
      throw error;
    });
    return this.pending;
  }

  private async resolve(): Promise<VapidDetails> {
    const { config, db, logger } = this.deps;
    const subject = config.VAPID_SUBJECT ?? defaultVapidSubject(config.NEXT_PUBLIC_APP_URL);
    if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
      return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject, source: 'env' };
    }
    const box = new SecretBox(config.ENCRYPTION_KEY, config.ENCRYPTION_KEY_PREVIOUS);
    const generated = webpush.generateVAPIDKeys();
    const sealed = JSON.stringify({ publicKey: generated.publicKey, privateKey: box.seal(generated.privateKey) });
    const inserted = await db.execute<{ name: string }>(
      sql`insert into platform_secrets (name, value) values (${VAPID_SECRET_NAME}, ${sealed}) on conflict (name) do nothing returning name`,
    );
    const { rows } = await db.execute<{ value: string }>(sql`select value from platform_secrets where name = ${VAPID_SECRET_NAME}`);
    const stored = rows[0];
    if (!stored) throw new Error('platform_secrets: the VAPID key pair vanished right after it was stored');
    const parsed = JSON.parse(stored.value) as { publicKey: string; privateKey: string };
    let privateKey: string;
    try {
      privateKey = box.open(parsed.privateKey);
    } catch {
      throw new Error(
        'The stored VAPID private key cannot be decrypted with this ENCRYPTION_KEY. Restore the ENCRYPTION_KEY it was made with ' +
          '(or list it in ENCRYPTION_KEY_PREVIOUS and run `npm run cli -- rotate-encryption-key`), ' +
          `or set VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY, or delete the platform_secrets row '${VAPID_SECRET_NAME}' (every browser then subscribes again).`,
      );
    }
    if (inserted.rows.length > 0)
      logger.info('VAPID key pair generated and stored in platform_secrets (set VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY to use your own)');
    return { publicKey: parsed.publicKey, privateKey, subject, source: 'generated' };
  }
}
