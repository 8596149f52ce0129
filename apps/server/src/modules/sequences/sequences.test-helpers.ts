import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../../platform/clock.ts';
import type { ManualClock } from '../../platform/clock.ts';
import { bearer, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { startFakeTwilio, type FakeTwilio } from '../../test/twilio.ts';
import type { DomainEvent, DomainEventName } from '../events/events.types.ts';
import { sequenceEventJob } from './sequences.jobs.ts';

/** One email as the local SMTP server received and mailparser read it, with the simulated time it arrived. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Header names as they arrived, lower-cased. */
  headerNames: string[];
  at: Date;
}

export interface LocalSmtp {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on loopback (no TLS, no auth) that parses every message it accepts. */
export async function startLocalSmtp(clock: Clock): Promise<LocalSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            headerNames: parsed.headerLines.map((h) => h.key.toLowerCase()),
            at: clock.now(),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface SequencesSystem {
  system: TestSystem;
  clock: ManualClock;
  smtp: LocalSmtp;
  twilio: FakeTwilio;
  staff: string;
  close(): Promise<void>;
}

/** A test system whose email goes to a local SMTP server and SMS to a local Twilio, on a simulated clock. */
export async function startSequencesSystem(clock: ManualClock): Promise<SequencesSystem> {
  const smtp = await startLocalSmtp(clock);
  const twilio = await startFakeTwilio();
  const system = await startTestSystem({
    clock,
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: 'MONA x SPARK <hello@mona-spark.test>',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+33700000000',
      TWILIO_BASE_URL: twilio.url,
      NEXT_PUBLIC_APP_URL: 'http://app.mona.test',
    },
  });
  const staff = (await signInAs(system, 'staff')).accessToken;
  return {
    system,
    clock,
    smtp,
    twilio,
    staff,
    async close() {
      await system.close();
      await smtp.close();
      await twilio.close();
    },
  };
}

/** Runs the sequences' event job on every recorded event of that name about the artist, as a worker would (`times` runs each). */
export async function runEventJob(system: TestSystem, name: DomainEventName, artistId: string, times = 1): Promise<DomainEvent[]> {
  const events = (await system.ctx.events.list({ name, aggregateId: name === 'order.paid' ? undefined : artistId, limit: 500 })).filter(
    (e) => (e.payload as { artistId?: string }).artistId === artistId,
  );
  const job = system.ctx.registry.require(sequenceEventJob.name);
  for (const event of events.reverse()) {
    for (let i = 0; i < times; i++) {
      await job.handler(job.payload.parse(event), { jobId: `${event.id}-test-${i}`, attempt: 1, logger: system.ctx.platform.logger, requestId: undefined });
    }
  }
  return events;
}

/** One scheduler round as the workers would run it: the tick, then the dispatcher; twice each (every job may run twice). */
export async function tickAndDispatch(system: TestSystem): Promise<void> {
  for (let i = 0; i < 2; i++) await system.ctx.services.sequenceEngine.tick();
  for (let i = 0; i < 2; i++) await system.ctx.notifications.dispatcher.drain();
}

/** The next instant something is due after the clock's now: an enrolment's next step or a pending message's send time. */
export async function nextDueInstant(system: TestSystem): Promise<Date | null> {
  const now = system.ctx.clock.now().toISOString();
  const result = await system.ctx.platform.database.db.execute<{ at: string | null }>(sql`
    select to_char(min(t) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from (
      select e.next_run_at as t from sequence_enrolments e join sequences s on s.id = e.sequence_id
      where e.status = 'active' and s.status = 'active' and e.next_run_at > ${now}::timestamptz
      union all
      select send_after from notification_messages where status = 'pending' and send_after > ${now}::timestamptz
    ) due`);
  const at = result.rows[0]?.at;
  return at ? new Date(at) : null;
}

/**
 * Moves the simulated clock from one due instant to the next until `until`,
 * running the tick and the dispatcher at each: messages arrive exactly at
 * their send times, as workers polling often would deliver them.
 */
export async function runUntil(system: TestSystem, clock: ManualClock, until: Date): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await tickAndDispatch(system);
    const next = await nextDueInstant(system);
    if (!next || next > until) break;
    clock.set(next);
  }
  clock.set(until);
  await tickAndDispatch(system);
}

export function api(system: TestSystem) {
  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token?: string, payload?: unknown) =>
    system.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { inject };
}

/** A staff-made artist record (email, phone, marketing consent), as the CRM creates them. */
export async function createArtist(
  system: TestSystem,
  staff: string,
  values: { stageName?: string; email?: string; phone?: string; consentMarketing?: boolean } = {},
): Promise<{ id: string; stageName: string; email: string | null }> {
  const stageName = values.stageName ?? `Artist ${Math.random().toString(36).slice(2, 8)}`;
  const res = await api(system).inject('POST', '/api/artists', staff, {
    stageName,
    ...(values.email !== undefined ? { email: values.email } : {}),
    ...(values.phone !== undefined ? { phone: values.phone } : {}),
    consentMarketing: values.consentMarketing ?? true,
  });
  if (res.statusCode !== 201) throw new Error(`artist creation failed: ${res.statusCode} ${res.body}`);
  return res.json();
}
