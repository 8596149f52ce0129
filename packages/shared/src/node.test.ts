import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { availableCpuCores, memoryLimitBytes, type CgroupFiles } from './node.ts';

const GiB = 1024 ** 3;

describe('cgroup limits: the tightest over the cgroups of the process and their ancestors (v2 and v1)', () => {
  const temps: string[] = [];
  after(async () => {
    for (const dir of temps) await rm(dir, { recursive: true, force: true });
  });

  /** A fake cgroup file system: `files` relative to its root (a trailing `/` makes a directory), and the /proc/self/cgroup text. */
  const fakeCgroups = async (procSelfCgroup: string, files: Record<string, string>): Promise<Required<CgroupFiles>> => {
    const dir = await mkdtemp(join(os.tmpdir(), 'cgroup-limits-'));
    temps.push(dir);
    const cgroupRoot = join(dir, 'cgroup');
    await mkdir(cgroupRoot);
    for (const [path, text] of Object.entries(files)) {
      if (path.endsWith('/')) {
        await mkdir(join(cgroupRoot, path), { recursive: true });
        continue;
      }
      await mkdir(dirname(join(cgroupRoot, path)), { recursive: true });
      await writeFile(join(cgroupRoot, path), text);
    }
    await writeFile(join(dir, 'self-cgroup'), procSelfCgroup);
    return { cgroupRoot, procSelfCgroup: join(dir, 'self-cgroup') };
  };

  test('v2: the limits of the process cgroup, and a tighter one of a parent wins', async () => {
    const files = await fakeCgroups('0::/app.slice/api.service\n', {
      'cpu.max': 'max 100000\n',
      'memory.max': 'max\n',
      'app.slice/cpu.max': '50000 100000\n',
      'app.slice/memory.max': `${GiB}\n`,
      'app.slice/api.service/cpu.max': '200000 100000\n',
      'app.slice/api.service/memory.max': `${2 * GiB}\n`,
    });
    assert.equal(await availableCpuCores(files), Math.min(0.5, os.availableParallelism()));
    assert.equal(await memoryLimitBytes(files), Math.min(GiB, os.totalmem()));
  });

  test('v2: the limit of the process cgroup when it is the tighter one', async () => {
    const files = await fakeCgroups('0::/app.slice/api.service\n', {
      'app.slice/cpu.max': '400000 100000\n',
      'app.slice/memory.max': `${2 * GiB}\n`,
      'app.slice/api.service/cpu.max': '25000 100000\n',
      'app.slice/api.service/memory.max': `${GiB / 2}\n`,
    });
    assert.equal(await availableCpuCores(files), 0.25);
    assert.equal(await memoryLimitBytes(files), Math.min(GiB / 2, os.totalmem()));
  });

  test('v2 in a cgroup namespace (0::/): the root files are read', async () => {
    const files = await fakeCgroups('0::/\n', { 'cpu.max': '50000 100000\n', 'memory.max': `${GiB / 4}\n` });
    assert.equal(await availableCpuCores(files), 0.5);
    assert.equal(await memoryLimitBytes(files), Math.min(GiB / 4, os.totalmem()));
  });

  test('v2 "max" everywhere: the machine', async () => {
    const files = await fakeCgroups('0::/a/b\n', {
      'cpu.max': 'max 100000\n',
      'memory.max': 'max\n',
      'a/b/cpu.max': 'max 100000\n',
      'a/b/memory.max': 'max\n',
    });
    assert.equal(await availableCpuCores(files), os.availableParallelism());
    assert.equal(await memoryLimitBytes(files), os.totalmem());
  });

  test('v1: joined cpu,cpuacct controllers and a memory limit, each in its own hierarchy', async () => {
    const procSelfCgroup = ['9:name=systemd:/', '4:memory:/process_api/abc', '2:cpu,cpuacct:/x', '0::/', ''].join('\n');
    const files = await fakeCgroups(procSelfCgroup, {
      'cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
      'cpu,cpuacct/cpu.cfs_period_us': '100000\n',
      'cpu,cpuacct/x/cpu.cfs_quota_us': '150000\n',
      'cpu,cpuacct/x/cpu.cfs_period_us': '100000\n',
      'memory/memory.limit_in_bytes': '9223372036854771712\n',
      'memory/process_api/memory.limit_in_bytes': `${GiB}\n`,
      'memory/process_api/abc/memory.limit_in_bytes': `${3 * GiB}\n`,
    });
    assert.equal(await availableCpuCores(files), Math.min(1.5, os.availableParallelism()));
    assert.equal(await memoryLimitBytes(files), Math.min(GiB, os.totalmem()));
  });

  test('v1: a joined hierarchy mounted at a single controller name (/sys/fs/cgroup/cpu)', async () => {
    const files = await fakeCgroups('3:cpuacct,cpu:/x\n', {
      'cpu/x/cpu.cfs_quota_us': '50000\n',
      'cpu/x/cpu.cfs_period_us': '100000\n',
    });
    assert.equal(await availableCpuCores(files), 0.5);
  });

  test('v1 "no limit" values (-1 quota, a huge memory limit): the machine', async () => {
    const files = await fakeCgroups('4:memory:/process_api/abc\n1:cpu:/\n', {
      'cpu/cpu.cfs_quota_us': '-1\n',
      'cpu/cpu.cfs_period_us': '100000\n',
      'memory/memory.limit_in_bytes': '9223372036854771712\n',
      'memory/process_api/abc/memory.limit_in_bytes': '9223372036854771712\n',
    });
    assert.equal(await availableCpuCores(files), os.availableParallelism());
    assert.equal(await memoryLimitBytes(files), os.totalmem());
  });

  test('files that cannot be read are skipped; none at all, or no /proc/self/cgroup: the machine', async () => {
    // A directory where a limit file should be cannot be read as a file (this holds for root too, unlike chmod).
    const unreadable = await fakeCgroups('0::/a\n4:memory:/b\n', { 'cpu.max/': '', 'a/memory.max/': '', 'memory/b/memory.limit_in_bytes/': '' });
    assert.equal(await availableCpuCores(unreadable), os.availableParallelism());
    assert.equal(await memoryLimitBytes(unreadable), os.totalmem());

    const skipped = await fakeCgroups('0::/a\n', { 'a/cpu.max/': '', 'cpu.max': '50000 100000\n' });
    assert.equal(await availableCpuCores(skipped), 0.5);

    const empty = await fakeCgroups('0::/a/b\n', {});
    assert.equal(await availableCpuCores(empty), os.availableParallelism());
    assert.equal(await memoryLimitBytes(empty), os.totalmem());

    const noProc = { cgroupRoot: empty.cgroupRoot, procSelfCgroup: join(empty.cgroupRoot, 'missing') };
    assert.equal(await availableCpuCores(noProc), os.availableParallelism());
    assert.equal(await memoryLimitBytes(noProc), os.totalmem());
  });

  test('this machine: positive finite numbers, at most the machine', async () => {
    const cores = await availableCpuCores();
    const memory = await memoryLimitBytes();
    assert.ok(Number.isFinite(cores) && cores > 0 && cores <= os.availableParallelism(), `cores ${cores}`);
    assert.ok(Number.isFinite(memory) && memory > 0 && memory <= os.totalmem(), `memory ${memory}`);
  });
});
