/**
 * Private PostgreSQL and Redis servers for tests that stop, kill and restart
 * them: real server binaries from Debian on random loopback ports, in a temp
 * directory each, never the shared servers of DATABASE_URL / REDIS_URL.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { REPO_ROOT } from '../config/env.ts';
import { until } from './harness.ts';

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user (from /etc/passwd). */
let cachedIds: { uid: number; gid: number } | undefined;
function pgUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (cachedIds) return cachedIds;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a postgres user to run PostgreSQL');
  const [, , uid, gid] = line.split(':');
  cachedIds = { uid: Number(uid), gid: Number(gid) };
  return cachedIds;
}

async function pgRun(program: string, args: string[]): Promise<string> {
  const ids = pgUser();
  const { stdout } = await run(path.join(PG_BIN, program), args, { ...(ids ?? {}), cwd: os.tmpdir(), env: { ...process.env, LC_ALL: 'C' } });
  return stdout;
}

export interface PrivatePostgres {
  port: number;
  dir: string;
  /** A URL of the `postgres` database (trust authentication on loopback). */
  url: string;
  urlOf(database: string): string;
  /** Starts the server (again) on the same port and data. */
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the server dies at once, as in a crash (WAL recovery on the next start). */
  kill(): Promise<void>;
  /** Clean stop and removal of the folder. */
  destroy(): Promise<void>;
}

async function makeDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const ids = pgUser();
  if (ids) chownSync(dir, ids.uid, ids.gid);
  return dir;
}

function pgServer(root: string, data: string, port: number): PrivatePostgres {
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const server: PrivatePostgres = {
    port,
    dir: root,
    url,
    urlOf: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await pgRun('pg_ctl', [
        'start',
        '-w',
        '-t',
        '60',
        '-D',
        data,
        '-l',
        path.join(root, 'server.log'),
        '-o',
        `-p ${port} -k ${root} -c listen_addresses=127.0.0.1`,
      ]);
      await until(
        `private PostgreSQL on ${port}`,
        async () => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          await client.end();
          return true;
        },
        60_000,
        100,
      );
    },
    async kill() {
      await pgRun('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', data]);
    },
    async destroy() {
      await pgRun('pg_ctl', ['stop', '-m', 'fast', '-w', '-D', data]).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return server;
}

/** A new PostgreSQL 15 cluster: initdb in a temp folder, trust on loopback (replication too), a free port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = await makeDir('mona-pg-');
  const data = path.join(root, 'data');
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const ids = pgUser();
  const conf = path.join(data, 'postgresql.auto.conf');
  // Small and quick for tests; fsync off is safe here: only the server process dies, never the machine.
  writeFileSync(
    conf,
    ['fsync = off', 'full_page_writes = off', 'shared_buffers = 32MB', 'max_connections = 100', 'wal_level = replica', 'max_wal_senders = 5', ''].join('\n'),
  );
  if (ids) chownSync(conf, ids.uid, ids.gid);
  const server = pgServer(root, data, await freePort());
  await server.start();
  return server;
}

/**
 * A streaming replica of `primary`: pg_basebackup -R (standby.signal and
 * primary_conninfo written for us), then started as a hot standby.
 */
export async function startReplica(primary: PrivatePostgres, applicationName = 'replica'): Promise<PrivatePostgres> {
  const root = await makeDir('mona-pg-replica-');
  const data = path.join(root, 'data');
  await pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']);
  // Named, so the primary's pg_stat_replication shows which standby it is (walreceiver's application_name is cluster_name).
  const ids = pgUser();
  const conf = path.join(data, 'postgresql.auto.conf');
  const current = readFileSync(conf, 'utf8');
  writeFileSync(conf, `${current}cluster_name = '${applicationName}'\n`);
  if (ids) chownSync(conf, ids.uid, ids.gid);
  const server = pgServer(root, data, await freePort());
  await server.start();
  return server;
}

export interface PrivateRedis {
  port: number;
  url: string;
  pid: () => number | undefined;
  start(): Promise<void>;
  /** SIGKILL: no shutdown, no save (persistence is off, so the data is gone too). */
  kill(): Promise<void>;
  destroy(): Promise<void>;
}

function redisProcess(port: number, dir: string, extra: string[]): { child: () => ChildProcess | undefined; start(): Promise<void>; kill(): Promise<void> } {
  let child: ChildProcess | undefined;
  return {
    child: () => child,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], {
        stdio: 'ignore',
      });
      await until(
        `private Redis on ${port}`,
        () =>
          new Promise<boolean>((resolve) => {
            const socket = net.connect(port, '127.0.0.1', () => {
              socket.end();
              resolve(true);
            });
            socket.on('error', () => resolve(false));
          }),
        30_000,
        50,
      );
    },
    async kill() {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        current.once('exit', () => resolve());
        current.kill('SIGKILL');
      });
    },
  };
}

/** redis-server on a free loopback port, no persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-redis-'));
  const port = await freePort();
  const proc = redisProcess(port, dir, []);
  await proc.start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => proc.child()?.pid,
    start: () => proc.start(),
    kill: () => proc.kill(),
    async destroy() {
      await proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedisCluster {
  ports: number[];
  /** REDIS_CLUSTER_NODES for the app. */
  nodes: string;
  destroy(): Promise<void>;
}

/** Three masters (no replicas) made into a cluster with `redis-cli --cluster create`, waiting for cluster_state:ok. */
export async function startPrivateRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-redis-cluster-'));
  const ports: number[] = [];
  const procs: ReturnType<typeof redisProcess>[] = [];
  for (let i = 0; i < masters; i++) {
    const port = await freePort();
    const proc = redisProcess(port, dir, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '3000']);
    await proc.start();
    ports.push(port);
    procs.push(proc);
  }
  await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
  for (const port of ports) {
    await until(
      `cluster state ok on ${port}`,
      async () => {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        return stdout.includes('cluster_state:ok');
      },
      30_000,
      200,
    );
  }
  return {
    ports,
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    async destroy() {
      for (const proc of procs) await proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type AppProcess = ChildProcess & { output: () => string; port: number; url: string };

/** The API or a worker entrypoint as a child process (tsx), its output kept for failure messages. */
export function startAppProcess(entry: 'api' | 'worker', port: number, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `apps/server/src/entrypoints/${entry}.ts`], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return Object.assign(child, { output: () => out, port, url: `http://127.0.0.1:${port}` });
}

/** Waits for a process's /ready to answer 200 (it fails naming the process's last output). */
export async function waitReady(proc: AppProcess, timeoutMs = 90_000): Promise<void> {
  await until(
    `${proc.url}/ready`,
    async () => {
      if (proc.exitCode !== null) throw new Error(`process exited ${proc.exitCode}:\n${proc.output().slice(-3000)}`);
      return (await fetch(`${proc.url}/ready`, { signal: AbortSignal.timeout(5000) })).status === 200;
    },
    timeoutMs,
    200,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- output ---\n${proc.output().slice(-3000)}`);
  });
}

export async function stopAppProcess(proc: AppProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
