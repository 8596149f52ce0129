import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetTotals } from './budget.ts';

test('budget totals: sums, margin, break-even and the over-budget alert', () => {
  const totals = budgetTotals([
    { id: 'venue', kind: 'cost', plannedCents: 1_000_000, actualCents: 1_200_000 },
    { id: 'food', kind: 'cost', plannedCents: 500_000, actualCents: 400_000 },
    { id: 'crew', kind: 'cost', plannedCents: 0, actualCents: 0 },
    { id: 'sponsors', kind: 'revenue', plannedCents: 2_000_000, actualCents: 1_500_000 },
    { id: 'merch', kind: 'revenue', plannedCents: 100_000, actualCents: 150_000 },
  ]);
  assert.deepEqual(totals.costs, { plannedCents: 1_500_000, actualCents: 1_600_000 });
  assert.deepEqual(totals.revenues, { plannedCents: 2_100_000, actualCents: 1_650_000 });
  assert.deepEqual(totals.margin, { plannedCents: 600_000, actualCents: 50_000 });
  assert.deepEqual(totals.breakEven, {
    revenueNeeded: { plannedCents: 1_500_000, actualCents: 1_600_000 },
    revenueMissing: { plannedCents: 0, actualCents: 0 },
    reached: { planned: true, actual: true },
  });
  assert.deepEqual(totals.overBudgetLineIds, ['venue']);
  assert.equal(totals.overBudget, true);
});

test('budget totals: a loss shows the revenue missing; revenue over plan is never an alert', () => {
  const totals = budgetTotals([
    { id: 'c', kind: 'cost', plannedCents: 800, actualCents: 800 },
    { id: 'r', kind: 'revenue', plannedCents: 300, actualCents: 900 },
  ]);
  assert.deepEqual(totals.margin, { plannedCents: -500, actualCents: 100 });
  assert.deepEqual(totals.breakEven.revenueMissing, { plannedCents: 500, actualCents: 0 });
  assert.deepEqual(totals.breakEven.reached, { planned: false, actual: true });
  assert.equal(totals.overBudget, false);
  assert.deepEqual(budgetTotals([]).margin, { plannedCents: 0, actualCents: 0 });
});
