import client from 'prom-client';
import type pg from 'pg';

export interface MetricsSources {
  pool?: pg.Pool;
  /** Job counts per queue and state, read at scrape time. */
  queueCounts?: () => Promise<Record<string, Record<string, number>>>;
  /** 1 when the dependency answers, read at scrape time. */
  dependencies?: () => Promise<Record<string, boolean>>;
}

/**
 * The Prometheus registry of one process: HTTP latency by method, route and
 * status; process CPU, memory and event-loop lag (prom-client defaults);
 * database pool; queue depths; dependency health.
 */
export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status_code'>;

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
            const counts = await queueCounts();
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
  }

  contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
