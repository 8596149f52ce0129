import type { BudgetKind } from '@mona/shared';

// Pure budget arithmetic of a villa, in integer cents.

export interface BudgetLineAmounts {
  id: string;
  kind: BudgetKind;
  plannedCents: number;
  actualCents: number;
}

export interface PlannedActual {
  plannedCents: number;
  actualCents: number;
}

export interface BudgetTotals {
  costs: PlannedActual;
  revenues: PlannedActual;
  /** Revenue − cost; negative is a loss. */
  margin: PlannedActual;
  breakEven: {
    /** The revenue that covers the costs: total planned cost, and total actual cost. */
    revenueNeeded: PlannedActual;
    /** Revenue still missing to break even (0 once reached). */
    revenueMissing: PlannedActual;
    reached: { planned: boolean; actual: boolean };
  };
  /** Cost lines whose actual amount passed the planned one. */
  overBudgetLineIds: string[];
  /** The villa-level alert: any cost line over budget. */
  overBudget: boolean;
}

/** A cost line is over budget when its actual amount is above its planned amount. */
export const isOverBudget = (line: Pick<BudgetLineAmounts, 'kind' | 'plannedCents' | 'actualCents'>) =>
  line.kind === 'cost' && line.actualCents > line.plannedCents;

export function budgetTotals(lines: readonly BudgetLineAmounts[]): BudgetTotals {
  const sum = (kind: BudgetKind): PlannedActual => {
    const own = lines.filter((l) => l.kind === kind);
    return { plannedCents: own.reduce((s, l) => s + l.plannedCents, 0), actualCents: own.reduce((s, l) => s + l.actualCents, 0) };
  };
  const costs = sum('cost');
  const revenues = sum('revenue');
  const overBudgetLineIds = lines.filter(isOverBudget).map((l) => l.id);
  return {
    costs,
    revenues,
    margin: { plannedCents: revenues.plannedCents - costs.plannedCents, actualCents: revenues.actualCents - costs.actualCents },
    breakEven: {
      revenueNeeded: { plannedCents: costs.plannedCents, actualCents: costs.actualCents },
      revenueMissing: {
        plannedCents: Math.max(0, costs.plannedCents - revenues.plannedCents),
        actualCents: Math.max(0, costs.actualCents - revenues.actualCents),
      },
      reached: { planned: revenues.plannedCents >= costs.plannedCents, actual: revenues.actualCents >= costs.actualCents },
    },
    overBudgetLineIds,
    overBudget: overBudgetLineIds.length > 0,
  };
}
