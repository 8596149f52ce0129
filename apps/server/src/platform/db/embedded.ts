import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL the `pg` driver connects to. */
  url: string;
  port: number;
  /** The PGlite instance itself (in this process). */
  pglite: PGlite;
  /**
   * Runs `fn` with the database to itself: it starts between two connections'
   * work (no transaction or extended-query sequence open), and every socket
   * connection waits until it ends. `fn` uses `pglite` directly (backups).
   */
  alone<T>(fn: () => Promise<T>): Promise<T>;
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

/** The parts of pglite-socket's (unexported) query queue that the function below replaces; pinned by the exact package version. */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}
interface QueryQueueInternals {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Frontend message types (PostgreSQL protocol): these open or continue an extended-query
// (or COPY FROM STDIN) sequence of one connection, which only Sync (or CopyDone/CopyFail) ends.
const SEQUENCE_CONTINUES = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd'].map((c) => c.charCodeAt(0)));
const SEQUENCE_ENDS = new Set(['S', 'c', 'f'].map((c) => c.charCodeAt(0)));

/**
 * pglite-socket multiplexes every connection onto PGlite's one session and keeps a
 * connection's messages together only inside a transaction. A parameterised query
 * is several messages (Parse, Bind, Describe, Execute, Sync) that may arrive in
 * separate TCP chunks, so another connection's messages could run in between and
 * PostgreSQL answered `portal "" does not exist` (electric-sql/pglite issue 1046).
 * This replaces the queue's scheduling so that once a connection starts such a
 * sequence, only its messages run until the sequence ends; it also resets the
 * queue's state when PGlite throws (the original left it stuck). Covered by
 * embedded.test.ts, which reproduces the interleaving without it.
 */
function keepProtocolSequencesTogether(server: PGLiteSocketServer, db: PGlite): <T>(fn: () => Promise<T>) => Promise<T> {
  const queue = (server as unknown as { queryQueue: QueryQueueInternals }).queryQueue;
  if (!queue || !Array.isArray(queue.queue) || typeof queue.processQueue !== 'function') {
    throw new Error('Unsupported @electric-sql/pglite-socket version: its query queue changed; review keepProtocolSequencesTogether');
  }
  /** The connection in the middle of an extended-query sequence, whose messages go first. */
  let sequenceOwner: number | null = null;
  /** Work that needs the database alone (see `alone`), run at the next point where no connection is mid-way. */
  const aloneTasks: (() => Promise<void>)[] = [];
  const atCleanPoint = () => sequenceOwner === null && !db.isInTransaction();

  queue.processQueue = async function processQueue(this: QueryQueueInternals) {
    if (this.processing || (this.queue.length === 0 && aloneTasks.length === 0)) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 || (aloneTasks.length > 0 && atCleanPoint())) {
        // While a task runs, `processing` stays set, so the connections' messages wait in the queue.
        if (aloneTasks.length > 0 && atCleanPoint()) {
          await aloneTasks.shift()!();
          continue;
        }
        const sticky = sequenceOwner ?? (db.isInTransaction() ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (sticky !== null) {
          const index = this.queue.findIndex((q) => q.handlerId === sticky);
          // The owner's next message has not arrived yet: wait for it (its enqueue restarts the loop).
          if (index === -1) break;
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        const current = item;
        const type = current.message[0] ?? 0;
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          if (sequenceOwner === current.handlerId) sequenceOwner = null;
          current.reject(error);
          continue;
        }
        if (SEQUENCE_CONTINUES.has(type)) sequenceOwner = current.handlerId;
        else if (SEQUENCE_ENDS.has(type) && sequenceOwner === current.handlerId) sequenceOwner = null;
        this.lastHandlerId = current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clearQueueForHandler(handlerId);
    if (sequenceOwner === handlerId) {
      sequenceOwner = null;
      void queue.processQueue();
    }
  };

  return <T>(fn: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      aloneTasks.push(() => fn().then(resolve, reject));
      void queue.processQueue.call(queue);
    });
}

/**
 * Connections the embedded server accepts at once. Every connection is multiplexed onto PGlite's
 * one session, so one costs a socket and a small handler, not a backend: the cap only guards
 * against a leak. It must exceed what `npm start` holds (the pool, DB_POOL_MAX, plus up to 3 per
 * job queue and worker, about 32 at start) with room for the CLI, separate workers and psql: at
 * 32, `npm start` alone filled it and the next connection (a CLI backup recording its run, a
 * request needing a fresh pool connection) was closed at once.
 */
export const EMBEDDED_MAX_CONNECTIONS = 256;

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
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port,
    maxConnections: options.maxConnections ?? EMBEDDED_MAX_CONNECTIONS,
  });
  const alone = keepProtocolSequencesTogether(server, db);
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
    pglite: db,
    alone,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (lockFile) rmSync(lockFile, { force: true });
    },
  };
}
