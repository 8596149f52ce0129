import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig, REPO_ROOT } from './config/env.ts';
import { renderOpenApi } from './openapi.ts';

test('the committed packages/sdk/openapi.json matches the routes (run `npm run openapi` after changing the API)', async () => {
  const committed = readFileSync(path.join(REPO_ROOT, 'packages/sdk/openapi.json'), 'utf8');
  const current = await renderOpenApi(parseConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), ENCRYPTION_KEY: 'x'.repeat(32) }));
  const document = JSON.parse(current) as { paths: Record<string, unknown>; info: { version: string } };
  // The render is the real one, not an empty document that would trivially match an empty file.
  assert.ok(document.paths['/api/auth/login'], 'the rendered document lists /api/auth/login');
  assert.equal(document.info.version, '1.0.0', 'the committed document has a fixed version');
  assert.ok(
    committed === current,
    'packages/sdk/openapi.json is out of date with the API routes: run `npm run openapi` (it also regenerates the SDK types) and commit the result',
  );
});

test('the SDK types (packages/sdk/src/schema.ts) are generated from the committed document', () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'mona-sdk-')), 'schema.ts');
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/openapi-typescript/bin/cli.js'), 'packages/sdk/openapi.json', '-o', out], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  const generated = readFileSync(out, 'utf8');
  assert.match(generated, /"\/api\/auth\/login"/);
  assert.ok(
    generated === readFileSync(path.join(REPO_ROOT, 'packages/sdk/src/schema.ts'), 'utf8'),
    'packages/sdk/src/schema.ts is stale: run `npm run openapi`',
  );
});
