/**
 * `npm run test:rollback`: the previous release's own test suite, run against
 * the newest schema. It proves what a rollback relies on: migrations are
 * expand-only (apps/server/src/platform/db/expand-contract.ts), so the code of
 * the release before runs on the database as the newest release left it.
 *
 * The previous release is, in order: ROLLBACK_FROM (a commit or tag); else the
 * commit named in deploy/previous-release (tracked, so a fresh clone without
 * tags checks the same release); else the newest `v*` tag that is not HEAD;
 * else the commit before the newest one that added a migration (the last code
 * that ran before the newest schema change).
 * Its tree is exported (git archive) to a temporary folder, its migrations
 * folder is replaced by the newest one, and its `npm test` runs there with
 * this environment (DATABASE_URL / REDIS_URL as set): every test database it
 * makes is migrated with the newest migrations by the old code. Dependencies
 * are linked from this checkout when the lockfiles match, else installed with
 * `npm ci`. Extra arguments filter its test files like `npm test -- x`.
 *
 * Ends with the old suite's `N passed, N failed` line; exits non-zero when a
 * test fails or the previous release cannot be found.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIGRATIONS = 'apps/server/migrations';
const RECORD = 'deploy/previous-release';

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

function previousRelease(): { commit: string; why: string } {
  const head = git('rev-parse', 'HEAD');
  const pinned = process.env.ROLLBACK_FROM?.trim();
  if (pinned) return { commit: git('rev-parse', `${pinned}^{commit}`), why: `ROLLBACK_FROM=${pinned}` };
  const recorded = path.join(ROOT, RECORD);
  if (existsSync(recorded)) {
    const line = readFileSync(recorded, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('#'));
    if (line) {
      const [ref, ...name] = line.split(/\s+/);
      let commit: string;
      try {
        commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
      } catch {
        throw new Error(`${RECORD} names ${ref}, which this clone does not have (a shallow clone? git fetch --unshallow).`);
      }
      if (commit !== head) return { commit, why: `${RECORD}: ${name.join(' ') || ref}` };
    }
  }
  const tags = git('tag', '--list', 'v*', '--sort=-creatordate', '--merged', 'HEAD').split('\n').filter(Boolean);
  for (const tag of tags) {
    const commit = git('rev-parse', `${tag}^{commit}`);
    if (commit !== head) return { commit, why: `the newest release tag, ${tag}` };
  }
  if (git('rev-parse', '--is-shallow-repository') === 'true') {
    throw new Error('This clone is shallow: fetch the history (git fetch --unshallow) or set ROLLBACK_FROM to the previous release.');
  }
  const lastMigration = git('log', '-1', '--diff-filter=A', '--format=%H', '--', `${MIGRATIONS}/*.sql`);
  if (!lastMigration) throw new Error('No migration in the history: nothing to check.');
  const parent = git('rev-parse', `${lastMigration}^`);
  return {
    commit: parent,
    why: `the commit before ${lastMigration.slice(0, 10)} (the newest migration: ${git('log', '-1', '--format=%s', lastMigration).slice(0, 80)})`,
  };
}

/** node_modules of the old tree: this checkout's packages, but the workspace links point into the old tree. */
function linkDependencies(dir: string): void {
  const source = path.join(ROOT, 'node_modules');
  const target = path.join(dir, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (entry === '@mona') continue;
    symlinkSync(path.join(source, entry), path.join(target, entry));
  }
  mkdirSync(path.join(target, '@mona'));
  for (const link of readdirSync(path.join(source, '@mona'))) {
    const real = path.relative(ROOT, execFileSync('readlink', ['-f', path.join(source, '@mona', link)], { encoding: 'utf8' }).trim());
    symlinkSync(path.join(dir, real), path.join(target, '@mona', link));
  }
}

const { commit, why } = previousRelease();
const dir = mkdtempSync(path.join(os.tmpdir(), `mona-rollback-${commit.slice(0, 10)}-`));
process.stdout.write(`Previous release: ${commit.slice(0, 10)} (${why})\nTree: ${dir}\n`);
let code = 1;
try {
  execFileSync('sh', ['-c', `git archive --format=tar ${commit} | tar -x -C "${dir}"`], { cwd: ROOT, stdio: 'inherit' });
  const oldMigrations = readdirSync(path.join(dir, MIGRATIONS)).filter((f) => f.endsWith('.sql'));
  const newMigrations = readdirSync(path.join(ROOT, MIGRATIONS)).filter((f) => f.endsWith('.sql'));
  rmSync(path.join(dir, MIGRATIONS), { recursive: true });
  cpSync(path.join(ROOT, MIGRATIONS), path.join(dir, MIGRATIONS), { recursive: true });
  const added = newMigrations.filter((f) => !oldMigrations.includes(f));
  process.stdout.write(
    `Newest schema: ${newMigrations.length} migrations, ${added.length} newer than that release${added.length ? ` (${added.join(', ')})` : ''}\n`,
  );

  const sameLock =
    existsSync(path.join(dir, 'package-lock.json')) &&
    readFileSync(path.join(dir, 'package-lock.json'), 'utf8') === readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8');
  if (sameLock) {
    linkDependencies(dir);
    process.stdout.write('Dependencies: the same lockfile, linked from this checkout\n');
  } else {
    process.stdout.write('Dependencies: the lockfile differs, npm ci...\n');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: 'inherit' });
  }

  process.stdout.write(`\nThe previous release's tests on the newest schema${process.env.DATABASE_URL ? ' (PostgreSQL)' : ' (embedded)'}:\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', ...process.argv.slice(2)], { cwd: dir, stdio: 'inherit', env: process.env });
  code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.stdout.write('0 passed, 1 failed\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
