import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MIGRATIONS_DIR } from './client.ts';
import { contractProblems } from './expand-contract.ts';

describe('migrations are expand-only, so the previous release runs on the newest schema', () => {
  test('every migration file: no contracting statement without a `-- contract:` note', () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    assert.ok(files.length >= 7, 'the migrations are found');
    const problems = files.flatMap((f) => contractProblems(readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8')).map((p) => `${f}: ${p}`));
    assert.deepEqual(problems, []);
  });

  test('the rule catches what breaks the release before, and lets expanding statements pass', () => {
    const refused = [
      'ALTER TABLE "artists" DROP COLUMN "bio";',
      'DROP TABLE "tasks";',
      'ALTER TABLE "artists" RENAME COLUMN "bio" TO "about";',
      'ALTER TABLE "tasks" RENAME TO "todos";',
      'ALTER TABLE "artists" ALTER COLUMN "score" SET DATA TYPE numeric;',
      'ALTER TABLE "artists" ALTER COLUMN "score" TYPE numeric;',
      'ALTER TABLE "artists" ALTER COLUMN "bio" SET NOT NULL;',
      'ALTER TABLE "artists" ALTER COLUMN "tier" DROP DEFAULT;',
      'ALTER TABLE "artists" ADD COLUMN "region" text NOT NULL;',
      'DROP TYPE "old_enum";',
    ];
    for (const statement of refused) assert.equal(contractProblems(statement).length, 1, statement);
    const allowed = [
      'CREATE TABLE "x" ("id" uuid PRIMARY KEY NOT NULL, "name" text NOT NULL);',
      'ALTER TABLE "artists" ADD COLUMN "engagement_score" integer DEFAULT 0 NOT NULL;',
      'ALTER TABLE "artists" ADD COLUMN "region" text;',
      'CREATE INDEX "a_idx" ON "artists" USING btree ("name");',
      'ALTER TABLE "artists" ALTER COLUMN "bio" DROP NOT NULL;',
      'DROP INDEX "old_idx";',
      '-- contract: bio moved to profiles in 0007, read by no release since 1.4\nALTER TABLE "artists" DROP COLUMN "bio";',
    ];
    for (const statement of allowed) assert.deepEqual(contractProblems(statement), [], statement);
    // Statements are judged one by one: a note covers only its own.
    const two = '-- contract: gone since 1.2\nDROP TABLE "a";--> statement-breakpoint\nDROP TABLE "b";';
    assert.deepEqual(contractProblems(two), ['DROP TABLE "b";: drops a table (the release before still reads or writes it)']);
  });
});
