import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestSystem } from '../../test/harness.ts';
import { dueForClaim } from './notifications.repository.ts';
import { makeArtist } from './notifications.test-helpers.ts';

interface PlanNode {
  'Node Type': string;
  'Actual Rows'?: number;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/**
 * Found by bench/notifications: a campaign released at one send-window opening
 * gives thousands of messages the same send_after, and a claim ordered by
 * (send_after, id) read and sorted all of them for each batch of 50. A claim
 * must read its batch from the due index and stop.
 */
test('a claim reads only its batch when a whole campaign shares one send_after', async () => {
  const system = await startTestSystem();
  try {
    const db = system.ctx.platform.database.db;
    const artist = await makeArtist(db);
    const opening = new Date('2027-04-06T08:00:00Z');
    await db.execute(sql`
      insert into notification_messages (idempotency_key, channel, kind, artist_id, to_address, subject, status, send_after, created_at)
      select 'campaign:' || g, 'email', 'marketing', ${artist.id}, 'artist@example.com', 'Campaign', 'pending',
             ${opening.toISOString()}::timestamptz, ${opening.toISOString()}::timestamptz - interval '1 day' + g * interval '1 ms'
      from generate_series(1, 2000) g`);
    await db.execute(sql`analyze notification_messages`);
    const now = new Date(opening.getTime() + 1000);

    const plan = await db.transaction(async (tx) => {
      // On a table this small the planner may prefer reading it whole; at production sizes it takes an index (docs/benchmarks.md).
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const result = await tx.execute<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(sql`explain (analyze, format json) ${dueForClaim('email', now, 50)}`);
      const raw = result.rows[0]!['QUERY PLAN'];
      return (typeof raw === 'string' ? (JSON.parse(raw) as { Plan: PlanNode }[]) : raw)[0]!.Plan;
    });
    const nodes = nodesOf(plan);
    const sorts = nodes.filter((n) => /Sort/.test(n['Node Type'])).map((n) => n['Node Type']);
    assert.deepEqual(sorts, [], 'the due index gives the order: no sort');
    const scan = nodes.find((n) => n['Relation Name'] === 'notification_messages');
    assert.ok(scan, 'the plan reads notification_messages');
    assert.ok(scan['Actual Rows']! <= 50, `a claim of 50 read ${scan['Actual Rows']} messages`);

    // Claims still take disjoint batches of tied messages.
    const repo = system.ctx.repos.notifications;
    const lease = new Date(now.getTime() + 300_000);
    const first = await repo.claim(db, 'email', now, lease, 50);
    const second = await repo.claim(db, 'email', now, lease, 50);
    assert.equal(first.length, 50);
    assert.equal(second.length, 50);
    assert.equal(new Set([...first, ...second].map((m) => m.id)).size, 100);
  } finally {
    await system.close();
  }
});
