import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, shot, startSystem, type RunningSystem } from './system.ts';

const WEBHOOK_TOKEN = 'e2e-alertmanager-token-0123456789abcdef';
const METRICS_TOKEN = 'e2e-prometheus-scrape-token-0123456789ab';

describe('operations: the ops page with alerts, services and backups', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;

  before(async () => {
    system = await startSystem({ web: 3290, api: 3291, pg: 54521 }, { ALERT_WEBHOOK_TOKEN: WEBHOOK_TOKEN, METRICS_TOKEN });
    browser = await launchBrowser();
    const match = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(system.output());
    assert.ok(match, 'the first admin is printed at start');
    page = await browser.newPage({ locale: 'en-GB', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${system.webUrl}/login`);
    await page.getByRole('button', { name: /^EN$/ }).click();
    await page.getByLabel('Email').fill(match[1]!);
    await page.getByLabel('Password').fill(match[2]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/status');
  });

  after(async () => {
    await browser?.close();
    if (system) await system.interrupt();
  });

  test('the web server and the API serve /metrics to the scrape token only, each with its service label', async () => {
    for (const [url, service] of [
      [system.webUrl, 'web'],
      [system.apiUrl, 'api'],
    ] as const) {
      const refused = await fetch(`${url}/metrics`);
      assert.equal(refused.status, 401, url);
      assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unauthorized');
      const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.equal(scraped.status, 200, url);
      const text = await scraped.text();
      for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_cpu_cores_available', 'process_memory_limit_bytes']) {
        assert.match(text, new RegExp(`^${name}\\{[^}]*service="${service}"[^}]*\\} \\d`, 'm'), `${name} on ${service}`);
      }
    }
  });

  test('the admin opens Operations from the menu: no alert firing, the services, and no backup yet', async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
    await page.getByText('No alert firing: everything is within its thresholds.').waitFor();
    await page.getByText(/Deployed version:/).waitFor();
    await page.getByRole('row', { name: /^api/ }).waitFor();
    await page.getByText('No backup has been made yet.', { exact: false }).waitFor();
    await page.screenshot({ path: shot('ops-01-calm'), fullPage: true });
  });

  test('an alert Alertmanager delivers shows as firing, then resolved; the admin is told in the bell', async () => {
    const startsAt = new Date(Date.now() - 120_000).toISOString();
    const deliver = (status: 'firing' | 'resolved') =>
      fetch(`${system.apiUrl}/api/ops/alerts/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
        body: JSON.stringify({
          version: '4',
          status,
          receiver: 'mona-api',
          alerts: [
            {
              status,
              labels: { alertname: 'DatabaseDown', severity: 'critical', service: 'api' },
              annotations: { summary: 'The database is unreachable', description: 'mona_dependency_up{dependency="database"} is 0 on api.' },
              startsAt,
              ...(status === 'resolved' ? { endsAt: new Date().toISOString() } : {}),
              fingerprint: 'e2e0database0down',
            },
          ],
        }),
      });
    // Without the token, nothing is stored.
    const refused = await fetch(`${system.apiUrl}/api/ops/alerts/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 401);

    assert.equal((await deliver('firing')).status, 200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const firing = page.getByRole('list', { name: 'Firing' });
    await firing.getByText('The database is unreachable').waitFor();
    await firing.getByText('Critical').waitFor();
    await page.screenshot({ path: shot('ops-02-firing'), fullPage: true });

    assert.equal((await deliver('resolved')).status, 200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('No alert firing: everything is within its thresholds.').waitFor();
    await page.getByRole('region', { name: 'Resolved (last 7 days)' }).getByText('The database is unreachable').waitFor();

    // The admin was notified in the app (and by email, to the local outbox).
    await page.goto(`${system.webUrl}/inbox`);
    await page
      .getByText(/DatabaseDown|The database is unreachable/)
      .first()
      .waitFor();
  });

  test('a backup made with the CLI while the system runs is listed with its size, and the run is recorded', async () => {
    const cli = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/entrypoints/cli.ts', 'backup'], {
      cwd: ROOT,
      env: system.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    assert.equal(code, 0, out);
    const name = /Backup (\S+) \(/.exec(out)?.[1];
    assert.ok(name, out);
    await page.goto(`${system.webUrl}/ops`);
    await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
    const list = page.getByRole('region', { name: 'Available backups' });
    await list.getByText(name).waitFor();
    // The CLI records its run through the API's embedded database: it once found the embedded server full
    // (32 connections, all held by npm start) and the record was missing.
    assert.doesNotMatch(out, /could not record/, out);
    await page.getByRole('region', { name: 'Recent runs' }).getByText('Succeeded').waitFor();
    await page.screenshot({ path: shot('ops-03-backup'), fullPage: true });

    // French too.
    await page.getByRole('button', { name: /^FR$/ }).click();
    await page.getByRole('heading', { name: 'Exploitation', level: 1 }).waitFor();
    await page.getByText('Sauvegardes disponibles').waitFor();
  });
});
