import os from 'node:os';
import type client from 'prom-client';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { IncomingAlert } from './alerts.repository.ts';
import { ALERTS, durationMs, LONG_LIVED_ROUTES, PRODUCTION_RULE_OPTIONS, type AlertDefinition, type Breach, type ProcessSample } from './alerts.ts';
import { fingerprintOf, type AlertsService } from './alerts.service.ts';

type MetricJson = Awaited<ReturnType<client.Registry['getMetricsAsJSON']>>[number];
type Values = { labels: Record<string, string | number>; value: number; metricName?: string }[];

const valuesOf = (metrics: MetricJson[], name: string): Values => (metrics.find((m) => m.name === name)?.values ?? []) as Values;
const sum = (values: Values, keep: (labels: Record<string, string | number>) => boolean = () => true) =>
  values.filter((v) => keep(v.labels)).reduce((total, v) => total + v.value, 0);
const first = (values: Values) => values[0]?.value ?? 0;

/** One sample of the process's /metrics registry, in the shape the alert definitions check. */
export async function sampleRegistry(registry: client.Registry, at: number, service: string): Promise<ProcessSample> {
  const metrics = await registry.getMetricsAsJSON();
  const latencyBuckets = new Map<number, number>();
  for (const v of valuesOf(metrics, 'http_request_duration_seconds')) {
    if (v.metricName !== 'http_request_duration_seconds_bucket' || (LONG_LIVED_ROUTES as readonly string[]).includes(String(v.labels.route))) continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    latencyBuckets.set(le, (latencyBuckets.get(le) ?? 0) + v.value);
  }
  const requests = valuesOf(metrics, 'http_requests_total');
  const volumes = new Map<string, { path: string; used: number; available: number }>();
  for (const v of valuesOf(metrics, 'data_volume_used_bytes')) volumes.set(String(v.labels.path), { path: String(v.labels.path), used: v.value, available: 0 });
  for (const v of valuesOf(metrics, 'data_volume_available_bytes')) {
    const volume = volumes.get(String(v.labels.path));
    if (volume) volume.available = v.value;
  }
  const dependencies: ProcessSample['dependencies'] = {};
  for (const v of valuesOf(metrics, 'dependency_up')) {
    if (v.labels.dependency === 'database' || v.labels.dependency === 'redis') dependencies[v.labels.dependency] = v.value;
  }
  const queueWaiting: Record<string, number> = {};
  for (const v of valuesOf(metrics, 'queue_jobs')) if (v.labels.state === 'waiting') queueWaiting[String(v.labels.queue)] = v.value;
  const byStage = (name: string) => new Map(valuesOf(metrics, name).map((v) => [`${v.labels.from_stage}>${v.labels.to_stage}`, v.value]));
  const [ratio, target, candidates, minimum] = [
    byStage('business_stage_conversion_ratio'),
    byStage('business_stage_conversion_target'),
    byStage('business_stage_candidates'),
    byStage('business_stage_conversion_min_candidates'),
  ];
  return {
    at,
    service,
    cpuSecondsTotal: first(valuesOf(metrics, 'process_cpu_seconds_total')),
    cpuCores: first(valuesOf(metrics, 'process_cpu_cores_available')),
    residentMemoryBytes: first(valuesOf(metrics, 'process_resident_memory_bytes')),
    memoryLimitBytes: first(valuesOf(metrics, 'process_memory_limit_bytes')),
    volumes: [...volumes.values()],
    requests: { total: sum(requests), serverErrors: sum(requests, (l) => l.status_class === '5xx') },
    latencyBuckets,
    dependencies,
    queueWaiting,
    conversions: [...target.keys()].map((key) => {
      const [fromStage, toStage] = key.split('>') as [string, string];
      return {
        fromStage,
        toStage,
        ratio: ratio.get(key) ?? null,
        target: target.get(key)!,
        candidates: candidates.get(key) ?? 0,
        minCandidates: minimum.get(key) ?? Infinity,
      };
    }),
  };
}

/** Prometheus's humanizePercentage / humanizeDuration, enough for the annotations of alerts.ts. */
function renderTemplate(text: string, labels: Record<string, string>, value: number): string {
  const round = (n: number) => String(Math.round(n * 1000) / 1000);
  return text
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, name: string) => labels[name] ?? '')
    .replace(/\{\{ \$value \| humanizePercentage \}\}/g, () => `${round(value * 100)}%`)
    .replace(/\{\{ \$value \| humanizeDuration \}\}/g, () => `${round(value)}s`)
    .replace(/\{\{ \$value \}\}/g, () => round(value));
}

interface Tracked {
  definition: AlertDefinition;
  labels: Record<string, string>;
  fingerprint: string;
  /** When the condition began to hold (Prometheus's activeAt: the alert's startsAt). */
  since: number;
  value: number;
  fired: boolean;
}

export interface EvaluationResult {
  evaluated: boolean;
  /** Alert names firing after this evaluation. */
  firing: string[];
  /** Alerts recorded (new or resolved) by this evaluation. */
  recorded: number;
}

/**
 * The alert rules evaluated inside the process, for a system without
 * Prometheus (`npm start`): every run samples the process's /metrics registry,
 * checks each definition of alerts.ts on the samples of the window (5 minutes,
 * as the generated rules), holds a condition for the alert's `for` before it
 * fires, and records firings and resolutions in the same store the
 * Alertmanager webhook feeds (admins notified the same way). The maintenance
 * job `ops.evaluate-alerts` runs it every minute.
 */
export class AlertEvaluator {
  private readonly samples: ProcessSample[] = [];
  private readonly tracked = new Map<string, Tracked>();
  /** Changes not stored yet (the database did not answer): tried again next run. */
  private unsent: IncomingAlert[] = [];
  private adopted = false;
  private registry: { metrics: Metrics; service: string } | null = null;
  private readonly windowMs = durationMs(PRODUCTION_RULE_OPTIONS.window);

  constructor(
    private readonly deps: {
      alerts: AlertsService;
      clock: Clock;
      logger: Logger;
      enabled: boolean;
      /** A registry for a process that serves no /metrics of its own (made on first use). */
      fallback: () => Metrics;
      definitions?: readonly AlertDefinition[];
      instance?: string;
    },
  ) {}

  /** The process's /metrics: the API's when this process serves it (its requests count), else a worker's. */
  attach(metrics: Metrics, service: string): void {
    if (!this.registry || (service === 'api' && this.registry.service !== 'api')) this.registry = { metrics, service };
  }

  get enabled(): boolean {
    return this.deps.enabled;
  }

  async evaluate(): Promise<EvaluationResult> {
    if (!this.deps.enabled) return { evaluated: false, firing: [], recorded: 0 };
    this.registry ??= { metrics: this.deps.fallback(), service: 'worker' };
    const now = this.deps.clock.now().getTime();
    const last = await sampleRegistry(this.registry.metrics.registry, now, this.registry.service);
    this.samples.push(last);
    // Keep the window and one sample before it (the rate's start).
    while (this.samples.length > 2 && this.samples[1]!.at <= now - this.windowMs) this.samples.shift();
    const start = this.samples[0]!;
    const instance = this.deps.instance ?? os.hostname();

    await this.adoptStored();
    const seen = new Set<string>();
    const changes: IncomingAlert[] = [];
    for (const definition of this.deps.definitions ?? ALERTS) {
      let breaches: Breach[];
      try {
        breaches = definition.check(start, last);
      } catch (error) {
        this.deps.logger.warn({ alert: definition.name, err: (error as Error).message }, 'alert check failed');
        continue;
      }
      for (const breach of breaches) {
        const labels = { alertname: definition.name, severity: definition.severity, instance, ...breach.labels };
        const fingerprint = fingerprintOf(labels);
        seen.add(fingerprint);
        const tracked = this.tracked.get(fingerprint) ?? { definition, labels, fingerprint, since: now, value: breach.value, fired: false };
        tracked.value = breach.value;
        this.tracked.set(fingerprint, tracked);
        if (!tracked.fired && now - tracked.since >= durationMs(definition.for)) {
          tracked.fired = true;
          changes.push(this.incoming(tracked, 'firing', null));
        }
      }
    }
    for (const [fingerprint, tracked] of this.tracked) {
      if (seen.has(fingerprint)) continue;
      this.tracked.delete(fingerprint);
      if (tracked.fired) changes.push(this.incoming(tracked, 'resolved', new Date(now)));
    }
    const recorded = await this.store(changes);
    return {
      evaluated: true,
      firing: [...this.tracked.values()].filter((t) => t.fired).map((t) => t.definition.name),
      recorded,
    };
  }

  private incoming(tracked: Tracked, status: 'firing' | 'resolved', endsAt: Date | null): IncomingAlert {
    const { definition, labels, value } = tracked;
    return {
      fingerprint: tracked.fingerprint,
      status,
      labels,
      annotations: {
        summary: renderTemplate(definition.summary, labels, value),
        description: renderTemplate(definition.description, labels, value),
        threshold: definition.threshold,
      },
      startsAt: new Date(tracked.since),
      endsAt,
      generatorUrl: null,
    };
  }

  /** Alerts this evaluation raised before a restart: still firing in the store, resolved once their condition is gone. */
  private async adoptStored(): Promise<void> {
    if (this.adopted) return;
    try {
      for (const row of await this.deps.alerts.firingFrom('in-process')) {
        const definition = (this.deps.definitions ?? ALERTS).find((d) => d.name === row.alertname);
        if (!definition || this.tracked.has(row.fingerprint)) continue;
        this.tracked.set(row.fingerprint, {
          definition,
          labels: row.labels,
          fingerprint: row.fingerprint,
          since: row.startsAt.getTime(),
          value: 0,
          fired: true,
        });
      }
      this.adopted = true;
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message }, 'alerts: the stored in-process alerts could not be read; trying again next run');
    }
  }

  private async store(changes: IncomingAlert[]): Promise<number> {
    const pending = [...this.unsent, ...changes];
    this.unsent = [];
    if (!pending.length) return 0;
    try {
      return await this.deps.alerts.record('in-process', pending);
    } catch (error) {
      // The database is down (DatabaseDown itself, often): log now, store and notify when it answers again.
      this.unsent = pending;
      for (const alert of pending) {
        this.deps.logger.error({ alert: alert.labels.alertname, status: alert.status, labels: alert.labels }, `alert ${alert.status} (not stored yet)`);
      }
      this.deps.logger.warn({ err: (error as Error).message }, 'alerts: could not store the alerts; trying again next run');
      return 0;
    }
  }
}
