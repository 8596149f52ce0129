import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL the `pg` driver connects to. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const embeddedUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

/**
 * Runs PGlite (PostgreSQL compiled to WebAssembly) and serves it over the
 * PostgreSQL wire protocol on loopback, so the application keeps one driver.
 * `dataDir: null` keeps everything in memory (tests). Only one process may
 * open a data folder: a pid file guards it.
 */
export async function startEmbeddedPostgres(options: { dataDir: string | null; port: number; maxConnections?: number }): Promise<EmbeddedPostgres> {
  let lockFile: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    lockFile = path.join(options.dataDir, '..', 'pglite.pid');
    if (existsSync(lockFile)) {
      const pid = Number(readFileSync(lockFile, 'utf8'));
      if (pid && pid !== process.pid && processAlive(pid)) {
        throw new Error(
          `The embedded database in ${options.dataDir} is already open in process ${pid}. Stop that process first, or run this command while it runs (the CLI then connects to it).`,
        );
      }
    }
    writeFileSync(lockFile, String(process.pid));
  }
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port, maxConnections: options.maxConnections ?? 32 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    if (lockFile) rmSync(lockFile, { force: true });
    throw error;
  }
  const conn = server.getServerConn();
  const port = Number(conn.split(':').pop());
  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (lockFile) rmSync(lockFile, { force: true });
    },
  };
}
