/**
 * HighCpuUsage, HighMemoryUsage and DiskAlmostFull in a real Prometheus and
 * Alertmanager (Debian's packages), scraping an API process started as in
 * production. The limits are real ones the kernel enforces: the process is put
 * in a cgroup with a CPU quota and a memory limit (as a container platform
 * does), and its DATA_DIR is a small tmpfs. User traffic uses up the quota;
 * a memory limit set just above what the process holds leaves it over 80 %;
 * a file fills the volume. Each alert fires, then resolves when the operator
 * acts as the runbook says: the traffic ends, the limit is raised (vertical
 * scaling), the file is deleted.
 *
 * Needs root (cgroup v1 cpu and memory hierarchies writable, tmpfs mounts):
 * each test says why it is skipped otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { until } from '../../test/harness.ts';
import { prometheusMissing, startPrometheusStack, type PrometheusStack } from '../../test/prometheus.ts';
import { freePort, startAppProcess, startPrivatePostgres, stopAppProcess, waitReady, type AppProcess, type PrivatePostgres } from '../../test/servers.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const CGROUP = '/sys/fs/cgroup';
const skip = prometheusMissing([`${PG_BIN}/initdb`, `${PG_BIN}/pg_ctl`]);

/** A child cgroup of this process's own, in the v1 hierarchy of `controller`; null (with the reason) when it cannot be made. */
function makeCgroup(controller: 'cpu' | 'memory'): { dir: string } | { reason: string } {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1]?.split(',').includes(controller));
  if (!line) return { reason: `no cgroup v1 ${controller} hierarchy here (cgroup v2 only)` };
  const [, controllers, own] = line.split(':');
  const mount = [controllers!, controller].map((name) => path.join(CGROUP, name)).find((m) => existsSync(m));
  if (!mount) return { reason: `the ${controller} hierarchy is not mounted under ${CGROUP}` };
  const dir = path.join(mount, own!, `mona-test-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dir);
    return { dir };
  } catch (error) {
    return { reason: `cannot make a ${controller} cgroup (${(error as Error).message})` };
  }
}

describe('resource alerts in a real Prometheus and Alertmanager: CPU quota, memory limit, data volume', { skip }, () => {
  const token = randomBytes(24).toString('hex');
  const metricsToken = randomBytes(24).toString('hex');
  const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'mona-volume-'));
  let mounted: true | string = 'not mounted yet';
  const cgroups: { cpu?: string; memory?: string; reasons: string[] } = { reasons: [] };
  let postgres: PrivatePostgres;
  let api: AppProcess;
  let prom: PrometheusStack;

  before(async () => {
    // A 32 MiB volume for DATA_DIR, as a small disk attached to a service.
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mountPoint], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      mounted = `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()})`;
    }
    for (const controller of ['cpu', 'memory'] as const) {
      const made = makeCgroup(controller);
      if ('dir' in made) cgroups[controller] = made.dir;
      else cgroups.reasons.push(made.reason);
    }
    postgres = await startPrivatePostgres();
    const port = await freePort();
    // As in production, /metrics answers only Prometheus's bearer token.
    api = startAppProcess('api', port, {
      DATABASE_URL: postgres.url,
      REDIS_URL: '',
      DATA_DIR: mountPoint,
      ALERT_WEBHOOK_TOKEN: token,
      METRICS_TOKEN: metricsToken,
      LOG_LEVEL: 'warn',
    });
    await waitReady(api);
    // In the cgroups from now on, as if the platform had started it there.
    for (const dir of [cgroups.cpu, cgroups.memory]) if (dir) writeFileSync(path.join(dir, 'cgroup.procs'), String(api.pid));
    assert.equal((await fetch(`${api.url}/metrics`)).status, 401);
    prom = await startPrometheusStack({ targets: [`127.0.0.1:${port}`], webhookUrl: `${api.url}/api/ops/alerts/webhook`, webhookToken: token, metricsToken });
  });

  after(async () => {
    await prom?.stop();
    await stopAppProcess(api);
    await postgres?.destroy();
    for (const dir of [cgroups.cpu, cgroups.memory]) if (dir) rmdirSync(dir);
    if (mounted === true) execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const value = async (expr: string) => Number((await prom.query(expr))[0]?.value[1]);
  const firingAlert = (name: string) =>
    until(`${name} firing in Prometheus`, async () => (await prom.firing()).find((a) => a.labels.alertname === name), 60_000, 500);
  const resolved = (name: string) => until(`${name} resolved in Prometheus`, async () => !(await prom.isFiring(name)), 60_000, 500);

  test('the data volume over 80 %: DiskAlmostFull fires; the file deleted: it resolves', async (t) => {
    if (mounted !== true) return t.skip(mounted);
    const ratio = 'max(data_volume_used_bytes / (data_volume_used_bytes + data_volume_available_bytes))';
    assert.ok((await value(ratio)) < 0.5, 'the volume starts nearly empty');
    assert.equal(await prom.isFiring('DiskAlmostFull'), false);
    const filler = path.join(mountPoint, 'exports', 'large-export.bin');
    mkdirSync(path.dirname(filler), { recursive: true });
    writeFileSync(filler, Buffer.alloc(28 * 1024 * 1024, 1));
    const alert = await firingAlert('DiskAlmostFull');
    assert.equal(alert.labels.path, mountPoint);
    assert.ok((await value(ratio)) > 0.8);
    rmSync(filler);
    await resolved('DiskAlmostFull');
  });

  test('a CPU quota of 0.2 cores used up by user traffic: HighCpuUsage fires; the traffic over: it resolves', async (t) => {
    if (!cgroups.cpu) return t.skip(cgroups.reasons.join('; '));
    writeFileSync(path.join(cgroups.cpu, 'cpu.cfs_period_us'), '100000');
    writeFileSync(path.join(cgroups.cpu, 'cpu.cfs_quota_us'), '20000');
    await until('the quota in the metrics', async () => (await value('max(process_cpu_cores_available)')) === 0.2, 30_000, 500);
    assert.equal(await prom.isFiring('HighCpuUsage'), false);
    // Six users at once, each sending the next request as soon as the last is answered.
    let running = true;
    const users = Array.from({ length: 6 }, async () => {
      while (running)
        await fetch(`${api.url}/ready`, { signal: AbortSignal.timeout(10_000) }).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
    });
    try {
      const alert = await firingAlert('HighCpuUsage');
      assert.equal(alert.labels.service, 'api');
      assert.ok((await value('max(rate(process_cpu_seconds_total[20s]) / process_cpu_cores_available)')) > 0.8);
    } finally {
      running = false;
      await Promise.all(users);
    }
    await resolved('HighCpuUsage');
    writeFileSync(path.join(cgroups.cpu, 'cpu.cfs_quota_us'), '-1');
  });

  test('a memory limit the process holds over 80 % of: HighMemoryUsage fires; the limit raised: it resolves', async (t) => {
    if (!cgroups.memory) return t.skip(cgroups.reasons.join('; '));
    // As a platform plan too small for the service: the process holds 87 % of its memory. Its
    // resident size moves (a garbage collection after the CPU test's traffic frees tens of MB),
    // so the limit follows it every 2 s until the alert fires: never under what it holds (the
    // kernel would kill it), never so far above that the share drops under 80 %.
    const file = path.join(cgroups.memory, 'memory.limit_in_bytes');
    const page = 4096;
    const resident = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'))?.[1]) * 1024;
    let limit = 0;
    const hold = () => {
      const next = Math.ceil(resident() / 0.87 / page) * page;
      try {
        writeFileSync(file, String(next));
        limit = next;
      } catch {
        // EBUSY: the page cache over the new limit could not be reclaimed yet; next round
      }
    };
    hold();
    const keeper = setInterval(hold, 2000);
    try {
      await until('the cgroup limit in the metrics', async () => (await value('max(process_memory_limit_bytes)')) < os.totalmem(), 30_000, 500);
      const alert = await firingAlert('HighMemoryUsage');
      assert.equal(alert.labels.service, 'api');
    } finally {
      clearInterval(keeper);
    }
    assert.ok(limit > 0);
    assert.ok(api.exitCode === null, 'the process still runs');
    // Vertical scaling: a plan with four times the memory.
    writeFileSync(file, String(limit * 4));
    await resolved('HighMemoryUsage');
  });
});
