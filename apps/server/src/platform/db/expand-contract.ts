/**
 * Migrations follow expand / contract: a release only adds (tables, nullable
 * or defaulted columns, indexes), so the release before it keeps running on
 * the new schema during a deploy and after a rollback. Removing or reshaping
 * (the contract step) waits until no running release uses the old shape, and
 * says so with a `-- contract: <why it is safe now>` comment on the statement.
 * docs/operations.md ("Rollback") has the procedure.
 */
const RULES: { pattern: RegExp; problem: string }[] = [
  { pattern: /\bDROP\s+TABLE\b/i, problem: 'drops a table (the release before still reads or writes it)' },
  { pattern: /\bDROP\s+COLUMN\b/i, problem: 'drops a column (the release before still reads or writes it)' },
  { pattern: /\bDROP\s+TYPE\b/i, problem: 'drops a type' },
  { pattern: /\bRENAME\b/i, problem: 'renames (the release before knows the old name): add the new one, copy, drop later' },
  { pattern: /\bALTER\s+COLUMN\s+"?[\w]+"?\s+(SET\s+DATA\s+)?TYPE\b/i, problem: 'changes a column type' },
  { pattern: /\bALTER\s+COLUMN\s+"?[\w]+"?\s+SET\s+NOT\s+NULL\b/i, problem: 'makes a column required (the release before may leave it empty)' },
  { pattern: /\bALTER\s+COLUMN\s+"?[\w]+"?\s+DROP\s+DEFAULT\b/i, problem: 'drops a default the release before relies on' },
];

/** A new column the release before does not know must not be required without a default: its inserts would fail. */
const REQUIRED_NEW_COLUMN = /\bADD\s+COLUMN\b(?![^;]*\bDEFAULT\b)[^;]*\bNOT\s+NULL\b/i;

/** The problems of a migration's SQL (drizzle's `--> statement-breakpoint` separated statements), one per offending statement. */
export function contractProblems(sqlText: string): string[] {
  const problems: string[] = [];
  for (const raw of sqlText.split('--> statement-breakpoint')) {
    const lines = raw.split('\n');
    const noted = lines.some((l) => /^\s*--\s*contract:\s*\S/i.test(l));
    const statement = lines
      .filter((l) => !/^\s*--/.test(l))
      .join('\n')
      .trim();
    if (!statement || noted) continue;
    const found = RULES.find((r) => r.pattern.test(statement));
    const problem = found?.problem ?? (REQUIRED_NEW_COLUMN.test(statement) ? 'adds a NOT NULL column without a DEFAULT' : null);
    if (problem) problems.push(`${statement.split('\n')[0]}: ${problem}`);
  }
  return problems;
}
