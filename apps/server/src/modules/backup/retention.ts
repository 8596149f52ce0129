/**
 * Which backups to keep: the newest of each of the last `keepDaily` days that
 * have a backup, and the newest of each of the last `keepWeekly` ISO weeks
 * (Monday to Sunday, UTC) that have one. Everything else goes, except the
 * backup `protect` (the one just made), whatever its date.
 */
export function planRetention(
  backups: readonly { name: string; createdAt: string | Date }[],
  keep: { daily: number; weekly: number },
  protect?: string,
): { keep: string[]; remove: string[] } {
  const newestFirst = [...backups].sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || b.name.localeCompare(a.name));
  const kept = new Set<string>();
  const pick = (key: (d: Date) => string, count: number) => {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const k = key(new Date(backup.createdAt));
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      kept.add(backup.name);
    }
  };
  pick(dayKey, keep.daily);
  pick(isoWeekKey, keep.weekly);
  if (protect) kept.add(protect);
  return {
    keep: newestFirst.filter((b) => kept.has(b.name)).map((b) => b.name),
    remove: newestFirst.filter((b) => !kept.has(b.name)).map((b) => b.name),
  };
}

const dayKey = (d: Date) => d.toISOString().slice(0, 10);

/** "2026-W48": the ISO year and week of a UTC instant. */
export function isoWeekKey(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of the same week decides the ISO year.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
