import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../config/env.ts';
import { renderAlertRules, RULES_FILE } from './alert-rules.ts';
import { ALERT_THRESHOLDS, ALERTS, durationMs } from './alerts.ts';

const DIR = path.join(REPO_ROOT, 'deploy/prometheus');
const binary = (name: string) => ['/usr/bin', '/usr/local/bin'].map((d) => path.join(d, name)).find((p) => existsSync(p));
const promtool = binary('promtool');
const amtool = binary('amtool');
const missing = promtool ? false : 'promtool is not installed (apt-get install prometheus): the rules are not checked by Prometheus here';

function run(bin: string, args: string[]) {
  const result = spawnSync(bin, args, { cwd: DIR, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('alert rules: one definition, a generated rules file, promtool', () => {
  test('deploy/prometheus/alerts.yml is the file generated from alerts.ts (run npm run alerts:rules --workspace apps/server)', async () => {
    assert.equal(readFileSync(RULES_FILE, 'utf8'), await renderAlertRules());
    // The script's own check agrees.
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'apps/server/src/modules/ops/alert-rules.ts'), '--check'], {
      encoding: 'utf8',
    });
    assert.match(out, /up to date/);
  });

  test('the rules carry the thresholds of ALERT_THRESHOLDS and each alert its own for', async () => {
    const rules = (parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: { alert: string; expr: string; for: string }[] }[] }).groups[0]!.rules;
    assert.deepEqual(
      rules.map((r) => r.alert),
      ALERTS.map((a) => a.name),
    );
    const expr = (name: string) => rules.find((r) => r.alert === name)!.expr;
    for (const name of ['HighCpuUsage', 'HighMemoryUsage', 'DiskAlmostFull']) assert.match(expr(name), new RegExp(`> ${ALERT_THRESHOLDS.resourceUse}$`));
    assert.match(expr('HighErrorRate'), new RegExp(`> ${ALERT_THRESHOLDS.errorRatio}$`));
    assert.match(expr('SlowResponses'), new RegExp(`> ${ALERT_THRESHOLDS.latencyP95Seconds}$`));
    assert.match(expr('QueueBacklogGrowing'), new RegExp(`> ${ALERT_THRESHOLDS.queueBacklogMin} and`));
    for (const rule of rules) assert.equal(rule.for, ALERTS.find((a) => a.name === rule.alert)!.for);
    for (const alert of ALERTS) assert.ok(durationMs(alert.for) > 0, alert.name);
    // Options shorten the windows and the for durations, for tests, without touching the committed file.
    const short = await renderAlertRules({ window: '15s', forOverride: '2s' });
    assert.doesNotMatch(short, /\[5m\]/);
    assert.match(short, /\[15s\]/);
    assert.equal((short.match(/^ {8}for: 2s$/gm) ?? []).length, ALERTS.length);
  });

  test('the unit tests cover every alert firing and not firing', () => {
    const tests = (
      parse(readFileSync(path.join(DIR, 'alerts.test.yml'), 'utf8')) as {
        tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
      }
    ).tests.flatMap((t) => t.alert_rule_test);
    for (const alert of ALERTS) {
      const own = tests.filter((t) => t.alertname === alert.name);
      assert.ok(
        own.some((t) => t.exp_alerts.length > 0),
        `${alert.name} firing`,
      );
      assert.ok(
        own.some((t) => t.exp_alerts.length === 0),
        `${alert.name} not firing`,
      );
    }
  });

  test('promtool check rules and test rules pass; the example configurations are valid', { skip: missing }, async () => {
    const check = run(promtool!, ['check', 'rules', 'alerts.yml']);
    assert.equal(check.code, 0, check.output);
    assert.match(check.output, new RegExp(`SUCCESS: ${ALERTS.length} rules found`));
    const unit = run(promtool!, ['test', 'rules', 'alerts.test.yml']);
    assert.equal(unit.code, 0, unit.output);
    assert.match(unit.output, /SUCCESS/);
    const config = run(promtool!, ['check', 'config', 'prometheus.yml']);
    assert.equal(config.code, 0, config.output);
    if (amtool) {
      const am = run(amtool, ['check-config', 'alertmanager.yml']);
      assert.equal(am.code, 0, am.output);
    }
    // The shortened rules of the real-Prometheus test are valid too.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-rules-'));
    try {
      writeFileSync(path.join(dir, 'short.yml'), await renderAlertRules({ window: '15s', forOverride: '2s' }));
      const short = run(promtool!, ['check', 'rules', path.join(dir, 'short.yml')]);
      assert.equal(short.code, 0, short.output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('promtool test rules fails when a threshold in the rules no longer matches the expectations', { skip: missing }, () => {
    // The unit tests can fail: the same tests against rules whose CPU threshold is 95 % report HighCpuUsage missing.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-rules-'));
    try {
      writeFileSync(
        path.join(dir, 'alerts.yml'),
        readFileSync(RULES_FILE, 'utf8').replace('(process_cpu_cores_available) > 0.8', '(process_cpu_cores_available) > 0.95'),
      );
      writeFileSync(path.join(dir, 'alerts.test.yml'), readFileSync(path.join(DIR, 'alerts.test.yml'), 'utf8'));
      const unit = spawnSync(promtool!, ['test', 'rules', 'alerts.test.yml'], { cwd: dir, encoding: 'utf8' });
      assert.notEqual(unit.status, 0);
      assert.match(`${unit.stdout}${unit.stderr}`, /alertname: HighCpuUsage/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
