/**
 * The alerts of the system, defined once. Each alert has its threshold (from
 * ALERT_THRESHOLDS), its Prometheus expression (alert-rules.ts writes
 * deploy/prometheus/alerts.yml from them) and the same test made in-process on
 * the samples of the process's own /metrics registry (evaluator.ts), for the
 * embedded `npm start` without Prometheus.
 */

/** The numbers every alert is built from. Change them here, then `npm run alerts:rules --workspace apps/server`. */
export const ALERT_THRESHOLDS = {
  /** CPU, memory and disk: share of what is available. */
  resourceUse: 0.8,
  /** 5xx answers as a share of all answers. */
  errorRatio: 0.01,
  /** 95th percentile of response time, seconds. */
  latencyP95Seconds: 2,
  /** Waiting jobs in one queue above which a growing backlog alerts. */
  queueBacklogMin: 100,
} as const;

export type AlertSeverity = 'critical' | 'warning';

/** Routes whose requests stay open on purpose (server-sent events): left out of the latency percentile. */
export const LONG_LIVED_ROUTES = ['/api/me/inbox/stream'] as const;

/** One sample of a process's metrics (see evaluator.ts), in the units of /metrics. */
export interface ProcessSample {
  /** Milliseconds (the clock's). */
  at: number;
  service: string;
  cpuSecondsTotal: number;
  cpuCores: number;
  residentMemoryBytes: number;
  memoryLimitBytes: number;
  /** Per path of DATA_DIR. */
  volumes: { path: string; used: number; available: number }[];
  requests: { total: number; serverErrors: number };
  /** Cumulative request-duration buckets (upper bound → count), long-lived routes left out; `Infinity` is +Inf. */
  latencyBuckets: Map<number, number>;
  /** 1 / 0 per dependency; absent when the process does not report it. */
  dependencies: Partial<Record<'database' | 'redis', number>>;
  /** Waiting jobs per queue; empty when the queue store did not answer. */
  queueWaiting: Record<string, number>;
  conversions: { fromStage: string; toStage: string; ratio: number | null; target: number; candidates: number; minCandidates: number }[];
}

/** A condition that holds now, with the labels Prometheus would give it and the value compared. */
export interface Breach {
  labels: Record<string, string>;
  value: number;
}

export interface RuleOptions {
  /** Range of rate(), delta() and the like. Production: 5m. */
  window: string;
  /** Replaces every alert's `for` (tests); production uses each alert's own. */
  forOverride?: string;
}

export const PRODUCTION_RULE_OPTIONS: RuleOptions = { window: '5m' };

export interface AlertDefinition {
  name: string;
  severity: AlertSeverity;
  /** How long the condition must hold before the alert fires (Prometheus duration). */
  for: string;
  summary: string;
  /** May use {{ $labels.x }} and {{ $value }} (Prometheus templates); the in-process evaluator fills the same two. */
  description: string;
  /** The threshold, for the docs and the alert's annotations. */
  threshold: string;
  expr(options: RuleOptions): string;
  /**
   * The same condition on the samples of one process: `last` now, `first` the
   * oldest within the window (the two give rates). Returns what breaches now.
   */
  check(first: ProcessSample, last: ProcessSample): Breach[];
}

const T = ALERT_THRESHOLDS;
const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;

/** Per-second increase of a counter between two samples (a counter reset counts from zero, as rate() does). */
function rate(first: number, last: number, seconds: number): number {
  if (seconds <= 0) return 0;
  return (last >= first ? last - first : last) / seconds;
}

/** Prometheus's histogram_quantile on cumulative buckets (linear inside the bucket; the +Inf bucket answers its lower bound). */
export function histogramQuantile(q: number, buckets: Map<number, number>): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? (bounds.length ? buckets.get(bounds[bounds.length - 1]!)! : 0);
  if (!total) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const upper of bounds) {
    const count = buckets.get(upper)!;
    if (count >= rank) {
      if (upper === Infinity) return lower;
      return lower + ((upper - lower) * (rank - below)) / Math.max(count - below, Number.EPSILON);
    }
    lower = upper;
    below = count;
  }
  return lower;
}

function bucketIncrease(first: Map<number, number>, last: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [le, count] of last) {
    const before = first.get(le) ?? 0;
    out.set(le, count >= before ? count - before : count);
  }
  return out;
}

const seconds = (a: ProcessSample, b: ProcessSample) => (b.at - a.at) / 1000;
const longLived = LONG_LIVED_ROUTES.join('|');

export const ALERTS: readonly AlertDefinition[] = [
  {
    name: 'HighCpuUsage',
    severity: 'warning',
    for: '10m',
    threshold: `CPU over ${percent(T.resourceUse)} of the cores available`,
    summary: `CPU use of {{ $labels.service }} over ${percent(T.resourceUse)}`,
    description: '{{ $labels.service }} ({{ $labels.instance }}) uses {{ $value | humanizePercentage }} of the CPU available to it.',
    expr: (o) =>
      `sum by (service, instance) (rate(process_cpu_seconds_total[${o.window}])) / max by (service, instance) (process_cpu_cores_available) > ${T.resourceUse}`,
    check: (a, b) => {
      const used = rate(a.cpuSecondsTotal, b.cpuSecondsTotal, seconds(a, b)) / (b.cpuCores || 1);
      return seconds(a, b) > 0 && used > T.resourceUse ? [{ labels: { service: b.service }, value: used }] : [];
    },
  },
  {
    name: 'HighMemoryUsage',
    severity: 'warning',
    for: '10m',
    threshold: `resident memory over ${percent(T.resourceUse)} of the limit`,
    summary: `Memory use of {{ $labels.service }} over ${percent(T.resourceUse)}`,
    description: '{{ $labels.service }} ({{ $labels.instance }}) uses {{ $value | humanizePercentage }} of its memory limit.',
    expr: () => `max by (service, instance) (process_resident_memory_bytes) / max by (service, instance) (process_memory_limit_bytes) > ${T.resourceUse}`,
    check: (_a, b) => {
      const used = b.residentMemoryBytes / (b.memoryLimitBytes || Infinity);
      return used > T.resourceUse ? [{ labels: { service: b.service }, value: used }] : [];
    },
  },
  {
    name: 'DiskAlmostFull',
    severity: 'warning',
    for: '10m',
    threshold: `data volume over ${percent(T.resourceUse)} used`,
    summary: `Data volume {{ $labels.path }} over ${percent(T.resourceUse)} full`,
    description: 'The file system of {{ $labels.path }} ({{ $labels.instance }}) is {{ $value | humanizePercentage }} full.',
    expr: () => `max by (instance, path) (data_volume_used_bytes / (data_volume_used_bytes + data_volume_available_bytes)) > ${T.resourceUse}`,
    check: (_a, b) => b.volumes.map((v) => ({ labels: { path: v.path }, value: v.used / (v.used + v.available || 1) })).filter((x) => x.value > T.resourceUse),
  },
  {
    name: 'HighErrorRate',
    severity: 'critical',
    for: '5m',
    threshold: `5xx answers over ${percent(T.errorRatio)} of requests`,
    summary: `{{ $labels.service }}: over ${percent(T.errorRatio)} of requests answered 5xx`,
    description: '{{ $value | humanizePercentage }} of the requests to {{ $labels.service }} failed with a 5xx status.',
    expr: (o) =>
      `sum by (service) (rate(http_requests_total{status_class="5xx"}[${o.window}])) / sum by (service) (rate(http_requests_total[${o.window}])) > ${T.errorRatio}`,
    check: (a, b) => {
      const total = b.requests.total - a.requests.total;
      const errors = b.requests.serverErrors - a.requests.serverErrors;
      if (total <= 0 || errors < 0) return [];
      return errors / total > T.errorRatio ? [{ labels: { service: b.service }, value: errors / total }] : [];
    },
  },
  {
    name: 'SlowResponses',
    severity: 'warning',
    for: '10m',
    threshold: `95th percentile of response time over ${T.latencyP95Seconds} s`,
    summary: `{{ $labels.service }}: p95 response time over ${T.latencyP95Seconds} s`,
    description: 'The 95th percentile of response time of {{ $labels.service }} is {{ $value | humanizeDuration }} (live streams left out).',
    expr: (o) =>
      `histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{route!~"${longLived}"}[${o.window}]))) > ${T.latencyP95Seconds}`,
    check: (a, b) => {
      const p95 = histogramQuantile(0.95, bucketIncrease(a.latencyBuckets, b.latencyBuckets));
      return p95 !== null && p95 > T.latencyP95Seconds ? [{ labels: { service: b.service }, value: p95 }] : [];
    },
  },
  {
    name: 'DatabaseDown',
    severity: 'critical',
    for: '1m',
    threshold: 'the database does not answer',
    summary: 'The database does not answer {{ $labels.service }}',
    description: '{{ $labels.service }} ({{ $labels.instance }}) cannot reach the database: requests that need it answer 503.',
    expr: () => `max by (service, instance) (dependency_up{dependency="database"}) == 0`,
    check: (_a, b) => (b.dependencies.database === 0 ? [{ labels: { service: b.service }, value: 0 }] : []),
  },
  {
    name: 'RedisDown',
    severity: 'critical',
    for: '1m',
    threshold: 'Redis does not answer (when REDIS_URL is set)',
    summary: 'Redis does not answer {{ $labels.service }}',
    description: '{{ $labels.service }} ({{ $labels.instance }}) cannot reach Redis: jobs, live notifications and shared rate limits are affected.',
    expr: () => `max by (service, instance) (dependency_up{dependency="redis"}) == 0`,
    check: (_a, b) => (b.dependencies.redis === 0 ? [{ labels: { service: b.service }, value: 0 }] : []),
  },
  {
    name: 'QueueBacklogGrowing',
    severity: 'warning',
    for: '15m',
    threshold: `over ${T.queueBacklogMin} waiting jobs in a queue, and more than at the start of the window`,
    summary: 'The {{ $labels.queue }} queue keeps growing',
    description: '{{ $value }} jobs wait in the {{ $labels.queue }} queue and the number keeps growing: its workers are down, too few or failing.',
    expr: (o) => `max by (queue) (queue_jobs{state="waiting"}) > ${T.queueBacklogMin} and max by (queue) (delta(queue_jobs{state="waiting"}[${o.window}])) > 0`,
    check: (a, b) =>
      Object.entries(b.queueWaiting)
        .filter(([queue, waiting]) => waiting > T.queueBacklogMin && waiting > (a.queueWaiting[queue] ?? Infinity))
        .map(([queue, waiting]) => ({ labels: { queue }, value: waiting })),
  },
  {
    name: 'ConversionBelowTarget',
    severity: 'warning',
    for: '1h',
    threshold: 'a pipeline stage converts below its target (setting `monitoring`), with enough artists in the stage',
    summary: 'Conversion {{ $labels.from_stage }} → {{ $labels.to_stage }} below target',
    description:
      'Over the window of the `monitoring` setting, {{ $value | humanizePercentage }} of the artists in {{ $labels.from_stage }} moved to {{ $labels.to_stage }}, below the target.',
    expr: () =>
      'max by (from_stage, to_stage) (business_stage_conversion_ratio) < max by (from_stage, to_stage) (business_stage_conversion_target)' +
      ' and max by (from_stage, to_stage) (business_stage_candidates) >= max by (from_stage, to_stage) (business_stage_conversion_min_candidates)',
    check: (_a, b) =>
      b.conversions
        .filter((c) => c.ratio !== null && c.ratio < c.target && c.candidates >= c.minCandidates)
        .map((c) => ({ labels: { from_stage: c.fromStage, to_stage: c.toStage }, value: c.ratio! })),
  },
];

/** Prometheus duration ("90s", "10m", "1h", "1h30m") in milliseconds. */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) throw new Error(`Not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

export function alertByName(name: string): AlertDefinition {
  const found = ALERTS.find((a) => a.name === name);
  if (!found) throw new Error(`Unknown alert ${name}`);
  return found;
}
