import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { envSchema, REPO_ROOT } from './env.ts';

const SEED_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'TWITCH_CLIENT_ID',
  'TWITCH_CLIENT_SECRET',
  'YOUTUBE_API_KEY',
  'TIKTOK_API_KEY',
  'SMTP_HOST',
  'SMTP_USER',
  'SMTP_PASS',
  'SMTP_PORT',
  'NEXT_PUBLIC_API_URL',
  'NEXT_PUBLIC_APP_URL',
];

const example = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
const listed = example
  .split('\n')
  .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
  .map((line) => line.split('=')[0]!);

test('.env.example lists every variable of the seed document', () => {
  for (const name of SEED_VARIABLES) assert.ok(listed.includes(name), `${name} missing from .env.example`);
});

test('.env.example and the config schema name the same variables', () => {
  const schemaKeys = Object.keys(envSchema.shape).sort();
  assert.deepEqual([...listed].sort(), schemaKeys);
});

test('the production secrets come first', () => {
  assert.deepEqual(listed.slice(0, 3), ['NODE_ENV', 'JWT_SECRET', 'ENCRYPTION_KEY']);
});
