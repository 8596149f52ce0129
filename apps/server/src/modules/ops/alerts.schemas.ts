import { z } from 'zod';

const labelMap = z.record(z.string(), z.string());

/** One alert of Alertmanager's webhook payload (version 4). */
export const alertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap.refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, 'labels.alertname is required'),
  annotations: labelMap.default({}),
  startsAt: z.iso.datetime({ offset: true }),
  /** "0001-01-01T00:00:00Z" while firing with no end known. */
  endsAt: z.iso.datetime({ offset: true }).optional(),
  generatorURL: z.string().max(2000).optional(),
  fingerprint: z.string().min(1).max(128),
});

/** Alertmanager's webhook body (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). Unknown fields are kept out, not refused. */
export const alertmanagerWebhookBody = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(4000).optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(500).optional(),
  alerts: z.array(alertmanagerAlert).min(1).max(1000),
});
export type AlertmanagerWebhookBody = z.infer<typeof alertmanagerWebhookBody>;

export const webhookResponse = z.object({
  received: z.number().int().describe('Alerts in the payload'),
  changed: z.number().int().describe('Alerts whose episode was new or changed status (admins notified)'),
});

export const opsAlertSchema = z
  .object({
    id: z.uuid(),
    fingerprint: z.string().describe("Alertmanager's fingerprint of the label set (in-process: the same, computed from the labels)"),
    alertname: z
      .string()
      .describe(
        'HighCpuUsage, HighMemoryUsage, DiskAlmostFull, HighErrorRate, SlowResponses, DatabaseDown, RedisDown, QueueBacklogGrowing, ConversionBelowTarget',
      ),
    status: z.enum(['firing', 'resolved']),
    severity: z.string().describe('critical or warning'),
    summary: z.string().describe('annotations.summary, or the alert name'),
    description: z.string().describe('annotations.description, or empty'),
    labels: labelMap,
    annotations: labelMap,
    startsAt: z.string(),
    endsAt: z.string().nullable().describe('null while firing'),
    source: z.enum(['alertmanager', 'in-process']),
    receivedAt: z.string().describe('When this episode was first received'),
    updatedAt: z.string().describe('Its last change of status or content'),
  })
  .meta({ id: 'OpsAlert' });
export type OpsAlertDto = z.infer<typeof opsAlertSchema>;

export const alertsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(7).describe('Resolved alerts of the last N days'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('At most this many resolved alerts'),
});

export const alertsResponse = z
  .object({
    firing: z.array(opsAlertSchema).describe('Alerts firing now, most severe first, then newest'),
    resolved: z.array(opsAlertSchema).describe('Alerts resolved within `days`, newest first'),
    evaluation: z
      .object({
        inProcess: z.boolean().describe('Whether this system evaluates the rules itself (ALERTS_IN_PROCESS; no Prometheus)'),
        webhookConfigured: z.boolean().describe('Whether ALERT_WEBHOOK_TOKEN is set, so Alertmanager can deliver'),
      })
      .describe('Where alerts come from'),
  })
  .meta({ id: 'OpsAlerts' });
