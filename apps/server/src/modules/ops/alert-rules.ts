import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../config/env.ts';
import { ALERTS, PRODUCTION_RULE_OPTIONS, type RuleOptions } from './alerts.ts';

/** Where the generated rules live (committed; a test fails when they differ from the definitions). */
export const RULES_FILE = path.join(REPO_ROOT, 'deploy/prometheus/alerts.yml');

const HEADER = `# Generated from apps/server/src/modules/ops/alerts.ts by \`npm run alerts:rules --workspace apps/server\`.
# Do not edit by hand: change the definitions (ALERT_THRESHOLDS) and regenerate.
`;

/** The Prometheus rules file of every alert in alerts.ts, formatted as the repository's Prettier would. */
export async function renderAlertRules(options: RuleOptions = PRODUCTION_RULE_OPTIONS): Promise<string> {
  const rules = ALERTS.map((alert) => ({
    alert: alert.name,
    expr: alert.expr(options),
    for: options.forOverride ?? alert.for,
    labels: { severity: alert.severity },
    annotations: { summary: alert.summary, description: alert.description, threshold: alert.threshold },
  }));
  const text = HEADER + stringify({ groups: [{ name: 'mona-spark', rules }] }, { lineWidth: 0 });
  return format(text, { ...(await resolveConfig(RULES_FILE)), parser: 'yaml' });
}

/** `--check`: exit 1 when the committed file is not the generated one; otherwise (re)write it. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const generated = await renderAlertRules();
  if (process.argv.includes('--check')) {
    const same = readFileSync(RULES_FILE, 'utf8') === generated;
    process.stdout.write(
      same ? `${RULES_FILE} is up to date\n` : `${RULES_FILE} differs from the definitions: run npm run alerts:rules --workspace apps/server\n`,
    );
    process.exit(same ? 0 : 1);
  }
  writeFileSync(RULES_FILE, generated);
  process.stdout.write(`wrote ${RULES_FILE}\n`);
}
