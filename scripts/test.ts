/**
 * Runs the test suite with node's test runner and ends with its summary and
 * a plain `N passed, N failed` line.
 *   npm test            unit + integration (embedded defaults, or the servers of DATABASE_URL / REDIS_URL)
 *   npm run test:e2e    the end-to-end tests in headless Chromium (e2e/*.e2e.ts)
 * Extra arguments filter the files by substring: `npm test -- auth`.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const e2e = args.includes('--e2e');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.next' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

const pattern = e2e ? /\.e2e\.ts$/ : /\.test\.ts$/;
const roots = e2e ? ['e2e'] : ['apps/server/src', 'packages', 'scripts'];
const files = roots
  .flatMap((r) => walk(path.join(root, r)))
  .filter((f) => pattern.test(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  process.stderr.write('No test files matched.\n');
  process.exit(1);
}

let passed = 0;
let failed = 0;
const stream = run({ files, concurrency: e2e ? 1 : 2, timeout: e2e ? 600_000 : 300_000 });
stream.on('test:pass', (event) => {
  if (event.details.type !== 'suite' && !event.skip && !event.todo) passed += 1;
});
stream.on('test:fail', (event) => {
  if (event.details.type !== 'suite') failed += 1;
});
stream.compose<NodeJS.ReadableStream>(new spec()).pipe(process.stdout);
stream.once('end', () => {
  // Printed after the reporter has flushed its summary.
  setImmediate(() => {
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
    process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
  });
});
