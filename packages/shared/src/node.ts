/**
 * Node-only helpers shared by the server and the web app's server side
 * (`@mona/shared/node`; never imported by browser code): what a process may use
 * (its cgroup's CPU and memory limits) for /metrics, and the bearer-token check
 * of machine endpoints (/metrics, Alertmanager's webhook).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join, posix } from 'node:path';
import type PromClient from 'prom-client';

/** Where the cgroup limits are read from (the real ones by default; tests point them at a fake tree). */
export interface CgroupFiles {
  /** The cgroup file system (default `/sys/fs/cgroup`). */
  cgroupRoot?: string;
  /** The list of cgroups of this process, `hierarchy-id:controllers:path` a line (default `/proc/self/cgroup`). */
  procSelfCgroup?: string;
}

/** A positive finite limit as it is, anything else ("max", -1, empty) as no limit (Infinity). */
const limitOf = (n: number) => (n > 0 && Number.isFinite(n) ? n : Infinity);
const readLimitFile = async (dir: string, file: string) => (await readFile(join(dir, file), 'utf8')).trim();

/**
 * The tightest limit `read` finds for `controller` in the cgroup this process is in
 * and in each of its ancestors up to the root (a parent's limit applies too): the
 * cgroup v2 directory (`0::/path` in /proc/self/cgroup) and the v1 ones of the
 * hierarchy naming the controller (`4:memory:/path`, mounted at the joined
 * controller list or at a single controller's name). Walking up to the root also
 * covers a container's namespaced path `/`. Files that cannot be read are skipped;
 * Infinity when no limit is found.
 */
async function tightestCgroupLimit(
  controller: 'cpu' | 'memory',
  read: (dir: string, v2: boolean) => Promise<number>,
  { cgroupRoot = '/sys/fs/cgroup', procSelfCgroup = '/proc/self/cgroup' }: CgroupFiles,
): Promise<number> {
  const dirs: { dir: string; v2: boolean }[] = [];
  try {
    for (const line of (await readFile(procSelfCgroup, 'utf8')).split('\n')) {
      const match = /^(\d+):([^:]*):(\/.*)$/.exec(line.trim());
      if (!match) continue;
      const [, id, controllers = '', path = '/'] = match;
      const v2 = id === '0' && controllers === '';
      const names = controllers.split(',');
      if (!v2 && !names.includes(controller)) continue;
      const mounts = v2 ? [cgroupRoot] : [controllers, ...names].map((name) => join(cgroupRoot, name));
      for (let cgroup = path; ; cgroup = posix.dirname(cgroup)) {
        for (const mount of mounts) dirs.push({ dir: join(mount, cgroup), v2 });
        if (cgroup === '/') break;
      }
    }
  } catch {
    // no /proc/self/cgroup (not Linux): no limit
  }
  const limits = await Promise.all(dirs.map(({ dir, v2 }) => read(dir, v2).catch(() => Infinity)));
  return Math.min(Infinity, ...limits);
}

/** CPU cores this process may use: the tightest cgroup quota over its cgroup and their ancestors (v2 `cpu.max`, v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`), at most the machine's. */
export async function availableCpuCores(files: CgroupFiles = {}): Promise<number> {
  const cores = await tightestCgroupLimit(
    'cpu',
    async (dir, v2) => {
      const [quota, period] = v2
        ? (await readLimitFile(dir, 'cpu.max')).split(/\s+/)
        : await Promise.all([readLimitFile(dir, 'cpu.cfs_quota_us'), readLimitFile(dir, 'cpu.cfs_period_us')]);
      return limitOf(Number(quota) / Number(period));
    },
    files,
  );
  return Math.min(cores, os.availableParallelism());
}

/** Memory this process may use: the tightest cgroup limit over its cgroup and their ancestors (v2 `memory.max`, v1 `memory.limit_in_bytes`), at most the machine's total. */
export async function memoryLimitBytes(files: CgroupFiles = {}): Promise<number> {
  const limit = await tightestCgroupLimit(
    'memory',
    async (dir, v2) => limitOf(Number(await readLimitFile(dir, v2 ? 'memory.max' : 'memory.limit_in_bytes'))),
    files,
  );
  return Math.min(limit, os.totalmem());
}

/**
 * The gauges `process_cpu_cores_available` and `process_memory_limit_bytes` on
 * `registry`, read at scrape time: with prom-client's process metrics they give
 * the CPU and memory use as a share of what the process may use (the alerts).
 */
export function addProcessLimitGauges(client: typeof PromClient, registry: PromClient.Registry): void {
  new client.Gauge({
    name: 'process_cpu_cores_available',
    help: 'CPU cores this process may use (cgroup quota, else the machine)',
    registers: [registry],
    async collect() {
      this.set(await availableCpuCores());
    },
  });
  new client.Gauge({
    name: 'process_memory_limit_bytes',
    help: 'Memory this process may use (cgroup limit, else the machine total)',
    registers: [registry],
    async collect() {
      this.set(await memoryLimitBytes());
    },
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * A shared secret a machine presents as `Authorization: Bearer <token>`
 * (Alertmanager's webhook, Prometheus's scrapes). The check compares digests of
 * equal length in constant time; without a token configured nothing matches.
 */
export class BearerToken {
  private readonly digest: Buffer | null;

  constructor(token: string | undefined) {
    this.digest = token ? sha256(token) : null;
  }

  get configured(): boolean {
    return this.digest !== null;
  }

  matches(header: string | null | undefined): boolean {
    if (!this.digest) return false;
    const presented = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : null;
    return presented !== null && presented !== '' && timingSafeEqual(sha256(presented), this.digest);
  }
}
