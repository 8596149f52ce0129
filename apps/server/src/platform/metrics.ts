import { statfs } from 'node:fs/promises';
import client from 'prom-client';
import { addProcessLimitGauges } from '@mona/shared/node';
import type pg from 'pg';

/** Windows of the business gauges. */
export const ACTIVITY_WINDOWS = ['day', 'week', 'month'] as const;
export type ActivityWindow = (typeof ACTIVITY_WINDOWS)[number];

/** The business numbers read from the database at scrape time (cached briefly by their source). */
export interface BusinessSnapshot {
  activeUsers: Record<ActivityWindow, number>;
  ordersPaid: Record<ActivityWindow, { count: number; amountCents: number }>;
  /** Pipeline conversions over `windowDays`: stage i → i+1. `rate` is null when nobody was in the stage. */
  conversions: { fromStage: string; toStage: string; inStage: number; converted: number; rate: number | null; target: number; minArtists: number }[];
  windowDays: number;
}

export interface MetricsSources {
  pool?: pg.Pool;
  /** Job counts per queue and state, read at scrape time. */
  queueCounts?: () => Promise<Record<string, Record<string, number>>>;
  /** 1 when the dependency answers, read at scrape time. */
  dependencies?: () => Promise<Record<string, boolean>>;
  /** The data volume (DATA_DIR): its size, use and free space are read with statfs at scrape time. */
  dataDir?: string;
  /** Business gauges (API only, so that one process reports them). */
  business?: () => Promise<BusinessSnapshot>;
  /** Counters owned by other parts of the process (job outcomes, notifications). */
  extra?: client.Metric[];
}

/** Size, used and available bytes of the file system holding `dir` (used / (used + available) is df's Use%). */
export async function volumeUsage(dir: string): Promise<{ size: number; used: number; available: number }> {
  const s = await statfs(dir);
  return { size: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize, available: s.bavail * s.bsize };
}

/**
 * The Prometheus registry of one process: HTTP requests (count by status class,
 * latency histogram by method, route and status); process CPU, memory and
 * event-loop lag (prom-client defaults) with the cores and memory available;
 * the data volume; database pool; queue depths; dependency health; job outcomes;
 * on the API, the business gauges.
 */
export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  readonly httpRequests: client.Counter<'method' | 'route' | 'status_class'>;

  constructor(labels: { service: string; version: string }, sources: MetricsSources) {
    this.registry.setDefaultLabels({ service: labels.service });
    client.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    new client.Gauge({ name: 'app_info', help: 'Build information', labelNames: ['version'], registers: [this.registry] }).set({ version: labels.version }, 1);
    this.httpDuration = new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [this.registry],
    });
    this.httpRequests = new client.Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by status class (2xx, 3xx, 4xx, 5xx)',
      labelNames: ['method', 'route', 'status_class'],
      registers: [this.registry],
    });
    addProcessLimitGauges(client, this.registry);
    const { dataDir } = sources;
    if (dataDir) {
      const volume = (name: string, help: string, pick: (u: Awaited<ReturnType<typeof volumeUsage>>) => number) =>
        new client.Gauge({
          name,
          help,
          labelNames: ['path'],
          registers: [this.registry],
          async collect() {
            try {
              this.set({ path: dataDir }, pick(await volumeUsage(dataDir)));
            } catch {
              // DATA_DIR not there (yet): no sample
            }
          },
        });
      volume('data_volume_size_bytes', 'Size of the file system holding DATA_DIR', (u) => u.size);
      volume('data_volume_used_bytes', 'Bytes used on the file system holding DATA_DIR', (u) => u.used);
      volume('data_volume_available_bytes', 'Bytes available to this process on the file system holding DATA_DIR', (u) => u.available);
    }
    const { pool } = sources;
    if (pool) {
      new client.Gauge({
        name: 'db_pool_connections',
        help: 'Database pool connections by state',
        labelNames: ['state'],
        registers: [this.registry],
        collect() {
          this.set({ state: 'total' }, pool.totalCount);
          this.set({ state: 'idle' }, pool.idleCount);
          this.set({ state: 'waiting' }, pool.waitingCount);
        },
      });
    }
    const { queueCounts } = sources;
    if (queueCounts) {
      new client.Gauge({
        name: 'queue_jobs',
        help: 'Jobs per queue and state',
        labelNames: ['queue', 'state'],
        registers: [this.registry],
        async collect() {
          try {
            // With Redis away, BullMQ holds commands until it is back: a scrape must answer anyway (dependency_up says why).
            const counts = await withTimeout(queueCounts(), QUEUE_COUNTS_TIMEOUT_MS);
            for (const [queue, states] of Object.entries(counts)) {
              for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
            }
          } catch {
            // The queue's store is down: dependency_up says so; keep the last values.
          }
        },
      });
    }
    const { dependencies } = sources;
    if (dependencies) {
      new client.Gauge({
        name: 'dependency_up',
        help: '1 when the dependency answers',
        labelNames: ['dependency'],
        registers: [this.registry],
        async collect() {
          for (const [name, up] of Object.entries(await dependencies())) this.set({ dependency: name }, up ? 1 : 0);
        },
      });
    }
    const { business } = sources;
    if (business) this.businessGauges(business);
    for (const metric of sources.extra ?? []) this.registry.registerMetric(metric);
  }

  /** One read of the business numbers per scrape (the source caches it), shared by the gauges below. */
  private businessGauges(source: () => Promise<BusinessSnapshot>): void {
    let pending: Promise<BusinessSnapshot | null> | null = null;
    const read = () => {
      pending ??= source()
        .catch(() => null)
        .finally(() => setImmediate(() => (pending = null)));
      return pending;
    };
    const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: client.Gauge<L>, s: BusinessSnapshot) => void) =>
      new client.Gauge<L>({
        name,
        help,
        labelNames,
        registers: [this.registry],
        async collect() {
          const snapshot = await read();
          // The database is down: no sample (dependency_up says why), rather than a misleading zero.
          this.reset();
          if (snapshot) fill(this, snapshot);
        },
      });
    gauge('business_active_users', 'Distinct users who signed in or refreshed a session in the window', ['window'], (g, s) => {
      for (const w of ACTIVITY_WINDOWS) g.set({ window: w }, s.activeUsers[w]);
    });
    gauge('business_orders_paid', 'Orders paid in the window', ['window'], (g, s) => {
      for (const w of ACTIVITY_WINDOWS) g.set({ window: w }, s.ordersPaid[w].count);
    });
    gauge('business_orders_paid_amount_cents', 'Amount of the orders paid in the window, EUR cents', ['window'], (g, s) => {
      for (const w of ACTIVITY_WINDOWS) g.set({ window: w }, s.ordersPaid[w].amountCents);
    });
    const stage = ['from_stage', 'to_stage'] as const;
    gauge('business_stage_candidates', 'Artists in the stage at some time in the conversion window', [...stage], (g, s) => {
      for (const c of s.conversions) g.set({ from_stage: c.fromStage, to_stage: c.toStage }, c.inStage);
    });
    gauge('business_stage_conversions', 'Artists moved to the next stage in the conversion window', [...stage], (g, s) => {
      for (const c of s.conversions) g.set({ from_stage: c.fromStage, to_stage: c.toStage }, c.converted);
    });
    gauge('business_stage_conversion_ratio', 'Conversions ÷ candidates over the window (absent when no candidate)', [...stage], (g, s) => {
      for (const c of s.conversions) if (c.rate !== null) g.set({ from_stage: c.fromStage, to_stage: c.toStage }, c.rate);
    });
    gauge('business_stage_conversion_target', 'Target conversion ratio (setting `monitoring`)', [...stage], (g, s) => {
      for (const c of s.conversions) g.set({ from_stage: c.fromStage, to_stage: c.toStage }, c.target);
    });
    gauge('business_stage_conversion_min_candidates', 'Candidates needed before the conversion alert applies (setting `monitoring`)', [...stage], (g, s) => {
      for (const c of s.conversions) g.set({ from_stage: c.fromStage, to_stage: c.toStage }, c.minArtists);
    });
  }

  /** Records one answered request (called by the HTTP server for every response). */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
    this.httpRequests.inc({ method, route, status_class: `${Math.floor(statusCode / 100)}xx` });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** How long a scrape waits for the queue's counts before keeping the last values (Prometheus's scrape timeout is 10 s by default). */
const QUEUE_COUNTS_TIMEOUT_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
