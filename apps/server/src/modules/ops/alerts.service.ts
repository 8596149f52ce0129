import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { unauthorized } from '../../platform/errors.ts';
import { BearerToken } from '@mona/shared/node';
import type { Logger } from '../../platform/logger.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { SqlTx } from '../artists/artists.repository.ts';
import type { AlertsRepository, IncomingAlert, OpsAlertRow } from './alerts.repository.ts';
import type { AlertmanagerWebhookBody, OpsAlertDto } from './alerts.schemas.ts';

/** Alertmanager's "no end yet" (Go's zero time). */
const ZERO_TIME = '0001-01-01T00:00:00Z';
const DAY_MS = 86_400_000;
/** The ops page the notifications link to (built by the web app). */
export const OPS_PAGE = '/ops';

/** The fingerprint of a label set, for alerts raised in-process (stable; Alertmanager's own is used for its alerts). */
export function fingerprintOf(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export function toAlertDto(row: OpsAlertRow): OpsAlertDto {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    alertname: row.alertname,
    status: row.status,
    severity: row.severity,
    summary: row.annotations.summary ?? row.alertname,
    description: row.annotations.description ?? '',
    labels: row.labels,
    annotations: row.annotations,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    source: row.source,
    receivedAt: row.receivedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The alert store: alerts from Alertmanager's webhook and from the in-process
 * evaluator, each episode notified to every admin (in-app and email,
 * transactional) once per status.
 */
export class AlertsService {
  private readonly webhookToken: BearerToken;

  constructor(
    private readonly deps: {
      repo: AlertsRepository;
      notifications: Pick<NotificationsService, 'compose' | 'kick'>;
      clock: Clock;
      logger: Logger;
      webhookToken: string | undefined;
      inProcess: boolean;
    },
  ) {
    this.webhookToken = new BearerToken(deps.webhookToken);
  }

  /** Checks `Authorization: Bearer <ALERT_WEBHOOK_TOKEN>` in constant time (digests of equal length). */
  verifyWebhookToken(header: string | undefined): void {
    if (!this.webhookToken.configured) throw unauthorized('The alert webhook is turned off: set ALERT_WEBHOOK_TOKEN');
    if (!this.webhookToken.matches(header)) throw unauthorized('Invalid alert webhook token');
  }

  /** Stores Alertmanager's alerts; returns how many were new or changed status. */
  async receiveWebhook(body: AlertmanagerWebhookBody): Promise<{ received: number; changed: number }> {
    const alerts: IncomingAlert[] = body.alerts.map((a) => ({
      fingerprint: a.fingerprint,
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.startsAt),
      endsAt: a.endsAt && a.endsAt !== ZERO_TIME && !a.endsAt.startsWith('0001-') ? new Date(a.endsAt) : null,
      generatorUrl: a.generatorURL ?? null,
    }));
    const changed = await this.record('alertmanager', alerts);
    return { received: alerts.length, changed };
  }

  /** Records alerts of a source; each new episode or change of status notifies the admins in the same transaction. */
  async record(source: OpsAlertRow['source'], alerts: IncomingAlert[]): Promise<number> {
    let changed = 0;
    for (const alert of alerts) {
      const row = await this.deps.repo.record(alert, source, this.deps.clock.now(), (tx, r) => this.notifyAdmins(tx, r));
      if (row) {
        changed += 1;
        this.deps.logger.warn({ alert: row.alertname, status: row.status, labels: row.labels, source }, `alert ${row.status}`);
      }
    }
    if (changed) await this.deps.notifications.kick();
    return changed;
  }

  /** The firing alerts a source raised (the in-process evaluator resolves what it no longer sees). */
  async firingFrom(source: OpsAlertRow['source']): Promise<OpsAlertRow[]> {
    return this.deps.repo.firingFrom(source);
  }

  private async notifyAdmins(tx: SqlTx, row: OpsAlertRow): Promise<void> {
    const admins = await this.deps.repo.adminIds(tx);
    const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '');
    const variables = {
      alertname: row.alertname,
      severity: row.severity,
      summary: row.annotations.summary ?? row.alertname,
      description: row.annotations.description ?? '',
      startsAt: when(row.startsAt),
      endsAt: when(row.endsAt),
      source: row.source === 'alertmanager' ? 'Prometheus / Alertmanager' : 'in-process evaluation',
    };
    for (const userId of admins) {
      for (const channel of ['email', 'inapp'] as const) {
        await this.deps.notifications.compose(
          {
            // One message per episode, status, admin and channel, however often the alert is delivered.
            idempotencyKey: `ops-alert:${row.fingerprint}:${row.startsAt.toISOString()}:${row.status}:${userId}:${channel}`,
            templateCode: `ops.alert.${row.status}.${channel}`,
            userId,
            variables,
            link: OPS_PAGE,
          },
          tx,
        );
      }
    }
  }

  async list(query: { days: number; limit: number }) {
    const since = new Date(this.deps.clock.now().getTime() - query.days * DAY_MS);
    const [firing, resolved] = await Promise.all([this.deps.repo.firing(), this.deps.repo.resolvedSince(since, query.limit)]);
    return {
      firing: firing.map(toAlertDto),
      resolved: resolved.map(toAlertDto),
      evaluation: { inProcess: this.deps.inProcess, webhookConfigured: this.webhookToken.configured },
    };
  }
}

/** Whether this system evaluates the alert rules itself (ALERTS_IN_PROCESS; auto = on the embedded database). */
export function inProcessAlerts(config: { ALERTS_IN_PROCESS: 'auto' | 'true' | 'false'; databaseMode: 'embedded' | 'postgresql' }): boolean {
  return config.ALERTS_IN_PROCESS === 'auto' ? config.databaseMode === 'embedded' : config.ALERTS_IN_PROCESS === 'true';
}
