/**
 * A real Prometheus and Alertmanager (Debian's packages) on loopback for the
 * alert tests: Prometheus scrapes the given targets with the rules of
 * ops/alerts.ts (short windows and `for`, made by the production generator),
 * and Alertmanager delivers to the API's webhook with its bearer token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderAlertRules } from '../modules/ops/alert-rules.ts';
import { until } from './harness.ts';
import { freePort } from './servers.ts';

export const PROMETHEUS_BINARIES = ['/usr/bin/prometheus', '/usr/bin/prometheus-alertmanager'];

/** Why the Prometheus tests cannot run here (for `{ skip }`), or false. */
export function prometheusMissing(extra: string[] = []): string | false {
  const absent = [...PROMETHEUS_BINARIES, ...extra].filter((b) => !existsSync(b));
  return absent.length ? `not installed here: ${absent.join(', ')} (apt-get install prometheus prometheus-alertmanager postgresql-15)` : false;
}

export type PromAlert = { labels: Record<string, string>; state: 'pending' | 'firing'; value?: string };
export type PromSample = { metric: Record<string, string>; value: [number, string] };

export interface PrometheusStack {
  url: string;
  query(expr: string): Promise<PromSample[]>;
  firing(): Promise<PromAlert[]>;
  isFiring(name: string): Promise<boolean>;
  /** Waits for `evaluations` more rule evaluations (one a second). */
  evaluations(evaluations: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrometheusStack(options: {
  /** host:port of each process to scrape (job mona-api). */
  targets: string[];
  webhookUrl: string;
  webhookToken: string;
  /** Range of rate() and the like in the rules; the test's `for` is 2 s. */
  window?: string;
  /** The targets' METRICS_TOKEN, presented as a bearer token on each scrape. */
  metricsToken?: string;
}): Promise<PrometheusStack> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mona-prom-'));
  const children: ChildProcess[] = [];
  const [promPort, amPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${promPort}`;
  writeFileSync(path.join(root, 'alerts.yml'), await renderAlertRules({ window: options.window ?? '20s', forOverride: '2s' }));
  writeFileSync(
    path.join(root, 'prometheus.yml'),
    [
      // The scrape timeout leaves room for a dependency check that waits for its 2 s timeout (Redis down).
      'global: { scrape_interval: 3s, scrape_timeout: 3s, evaluation_interval: 1s }',
      'rule_files: [alerts.yml]',
      `alerting: { alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:${amPort}'] }] }] }`,
      `scrape_configs: [{ job_name: mona-api, ${options.metricsToken ? `authorization: { type: Bearer, credentials: ${options.metricsToken} }, ` : ''}static_configs: [{ targets: [${options.targets.map((t) => `'${t}'`).join(', ')}] }] }]`,
    ].join('\n'),
  );
  writeFileSync(
    path.join(root, 'alertmanager.yml'),
    [
      'route: { receiver: mona-api, group_by: [alertname], group_wait: 1s, group_interval: 1s, repeat_interval: 1h }',
      'receivers:',
      '  - name: mona-api',
      '    webhook_configs:',
      `      - url: ${options.webhookUrl}`,
      '        send_resolved: true',
      `        http_config: { authorization: { type: Bearer, credentials: ${options.webhookToken} } }`,
    ].join('\n'),
  );
  const start = (bin: string, args: string[]) => {
    const child = spawn(bin, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    child.on('exit', (code) => {
      if (code) process.stderr.write(`${path.basename(bin)} exited ${code}:\n${log}\n`);
    });
    children.push(child);
  };
  start('/usr/bin/prometheus-alertmanager', [
    '--config.file=alertmanager.yml',
    `--storage.path=${path.join(root, 'am')}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    '--cluster.listen-address=',
  ]);
  start('/usr/bin/prometheus', [
    '--config.file=prometheus.yml',
    `--storage.tsdb.path=${path.join(root, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);

  async function query(expr: string): Promise<PromSample[]> {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return ((await res.json()) as { data: { result: PromSample[] } }).data.result;
  }
  async function firing(): Promise<PromAlert[]> {
    const res = await fetch(`${url}/api/v1/alerts`);
    return ((await res.json()) as { data: { alerts: PromAlert[] } }).data.alerts.filter((a) => a.state === 'firing');
  }
  const now = async () => Number((await query('vector(time())'))[0]!.value[1]);
  const stack: PrometheusStack = {
    url,
    query,
    firing,
    isFiring: async (name) => (await firing()).some((a) => a.labels.alertname === name),
    async evaluations(n) {
      const from = await now();
      await until(`${n} more rule evaluations`, async () => (await now()) > from + n, 10_000 + n * 2000, 250);
    },
    async stop() {
      // Prometheus and Alertmanager must be gone (and their pipes closed) before the file ends, or they keep it alive.
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(timer);
          }
          child.stderr?.destroy();
        }),
      );
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await until(
      'Prometheus scraping every target',
      async () => {
        const up = await query('up{job="mona-api"}').catch(() => []);
        return up.length === options.targets.length && up.every((s) => s.value[1] === '1');
      },
      60_000,
      250,
    );
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
