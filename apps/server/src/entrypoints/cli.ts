import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext } from '../context.ts';
import { AppError } from '../platform/errors.ts';
import { createLogger } from '../platform/logger.ts';
import { createPlatform } from '../platform/platform.ts';
import { rotateSecrets, SecretBox } from '../platform/secrets.ts';
import { migrate } from '../runtime.ts';
import { emailSchema, nameSchema } from '../modules/users/users.schemas.ts';
import { assertSeedAllowed, formatSeedReport, runSeed } from '../seed/seed.ts';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                                  apply the database migrations
  create-admin --email <e> [--name <n>] [--password <p>]
                                           create an admin account (a password is generated and printed when omitted)
  seed [--size <n>] [--force]              load the demo dataset (idempotent: a rerun adds nothing); refused when
                                           NODE_ENV=production unless --force
  backup                                   dump the database (pg_dump custom format; plain SQL for the embedded
                                           database) with a manifest into BACKUP_DIR, copy it to BACKUP_S3_BUCKET
                                           when set, and apply the retention (BACKUP_KEEP_DAILY / _WEEKLY)
  backups                                  list the backups in BACKUP_DIR
  restore <backup> [--target-url <url>]    restore a backup (a manifest or dump path, a name in BACKUP_DIR, or
                                           s3:<name> / s3:latest) into an EMPTY database (the configured one or
                                           --target-url), checking the dump's SHA-256 before and the row counts after
  rotate-encryption-key [--dry-run]        re-seal the secrets kept in the database (platform_secrets) under the current
                                           ENCRYPTION_KEY, opening them with ENCRYPTION_KEY_PREVIOUS; all or nothing
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    size: { type: 'string' },
    force: { type: 'boolean' },
    'target-url': { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const command = positionals[0];
if (!command || values.help) {
  process.stdout.write(USAGE);
  process.exit(command ? 0 : 64);
}

const config = loadConfig();
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'cli' });
// With `npm start` running, the CLI talks to its embedded database; otherwise it opens it itself.
const platform = await createPlatform(config, logger, { name: 'cli', embedded: 'connect-or-own' });
const ctx = createContext(platform);
let exitCode = 0;
try {
  switch (command) {
    case 'migrate':
      await migrate(ctx);
      process.stdout.write('Migrations applied.\n');
      break;
    case 'create-admin': {
      const email = emailSchema.safeParse(values.email ?? '');
      if (!email.success) throw new AppError(400, 'validation_failed', '--email must be a valid email address');
      const name = nameSchema.parse(values.name ?? 'Admin');
      await migrate(ctx);
      const { user, temporaryPassword } = await ctx.services.users.create('cli', { email: email.data, name, role: 'admin', password: values.password });
      process.stdout.write(`Admin created: ${user.email}\n`);
      if (temporaryPassword) process.stdout.write(`Password (shown once): ${temporaryPassword}\n`);
      break;
    }
    case 'seed': {
      const size = values.size === undefined ? undefined : Number(values.size);
      if (size !== undefined && !(Number.isInteger(size) && size > 0)) throw new AppError(400, 'validation_failed', '--size must be a positive whole number');
      assertSeedAllowed(config.NODE_ENV, values.force ?? false);
      await migrate(ctx);
      process.stdout.write('Seeding the demo data...\n');
      const report = await runSeed(ctx, { size, force: values.force ?? false, log: (line) => process.stdout.write(`${line}\n`) });
      process.stdout.write(formatSeedReport(report));
      break;
    }
    case 'backup': {
      const { manifest, manifestPath, remote, deleted } = await ctx.services.backups.create('cli');
      const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `Backup ${manifest.name} (${manifest.database.kind}, ${manifest.database.dumpTool}): ${Object.keys(manifest.tables).length} tables, ${rows} rows, ` +
          `${manifest.dump.sizeBytes} bytes, sha256 ${manifest.dump.sha256}\n  ${manifestPath}\n`,
      );
      if (remote) process.stdout.write(`  uploaded: ${remote}\n`);
      if (deleted.length > 0) process.stdout.write(`  retention deleted: ${deleted.join(', ')}\n`);
      break;
    }
    case 'backups': {
      const backups = await ctx.services.backups.list();
      process.stdout.write(`${backups.length} backup(s) in ${ctx.services.backups.directory}\n`);
      for (const b of backups) process.stdout.write(`  ${b.name}  ${b.database.kind}  ${b.dump.sizeBytes} bytes  ${b.migrations.applied} migrations\n`);
      break;
    }
    case 'restore': {
      const ref = positionals[1];
      if (!ref) throw new AppError(400, 'validation_failed', 'restore needs a backup: a manifest or dump path, a name in BACKUP_DIR, or s3:<name> / s3:latest');
      const targetUrl = values['target-url'];
      if (targetUrl !== undefined && !/^postgres(ql)?:\/\//.test(targetUrl))
        throw new AppError(400, 'validation_failed', '--target-url must be a postgres:// URL');
      const result = await ctx.services.backups.restore(ref, { targetUrl });
      process.stdout.write(`Restored ${result.name} into ${result.target}: ${result.tables} tables, ${result.rows} rows; checksum and row counts verified.\n`);
      break;
    }
    case 'rotate-encryption-key': {
      await migrate(ctx);
      const box = new SecretBox(config.ENCRYPTION_KEY, config.ENCRYPTION_KEY_PREVIOUS);
      const report = await rotateSecrets(platform.database.db, box, { dryRun: values['dry-run'] ?? false });
      if (report.unreadable.length > 0) {
        throw new Error(
          `Nothing changed: ${report.unreadable.length} secret(s) open with no configured key. Put the key they were sealed with in ENCRYPTION_KEY_PREVIOUS.\n` +
            report.unreadable.map((u) => `  ${u}`).join('\n'),
        );
      }
      process.stdout.write(
        `${values['dry-run'] ? 'Dry run: would re-seal' : 'Re-sealed'} ${report.resealed} secret(s) under the current ENCRYPTION_KEY ` +
          `(key id ${box.currentKeyId}); ${report.current} already were; ${report.rows} row(s) read.\n` +
          (values['dry-run'] || report.resealed === 0 ? '' : 'ENCRYPTION_KEY_PREVIOUS can now be removed from every service.\n'),
      );
      break;
    }
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
      exitCode = 64;
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await ctx.queue.close();
  await platform.close();
}
process.exit(exitCode);
