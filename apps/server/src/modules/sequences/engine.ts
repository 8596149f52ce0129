import type { ExitReason, SequenceTrigger } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { DomainEvent } from '../events/events.types.ts';
import type { ComposeRequest, ComposeResult } from '../notifications/notifications.types.ts';
import type { EnrolmentRow, SequenceRow, SequencesRepository, StepRecord } from './sequences.repository.ts';
import type { ExitRule, TriggerConfig } from './sequences.tables.ts';
import type { Q } from './templates.repository.ts';
import { stepDueAt } from './timing.ts';

/** What the engine needs from the notifications service (its compose contract and the cancel of an enrolment's pending messages). */
export interface EngineNotifications {
  /** With `tx`, the message is stored in the caller's transaction. */
  compose(request: ComposeRequest, tx?: Q): Promise<ComposeResult>;
  /** Cancels the enrolment's messages not sent yet, in `tx` when given. */
  cancelForEnrolment(enrolmentId: string, reason: string, tx?: Q): Promise<number>;
  /** Asks a worker to send due messages now (after messages composed in a transaction committed). */
  kick(): Promise<void>;
}

export interface EngineDeps {
  db: Db;
  repo: SequencesRepository;
  notifications: EngineNotifications;
  clock: Clock;
  /** The notifications time zone (whole-day delays keep the local time of day in it). */
  timeZone: () => Promise<string>;
  /** The web app's origin, for {{appUrl}} in templates. */
  appUrl: string;
  logger: Logger;
}

export interface TickResult {
  composed: number;
  completed: number;
  failed: number;
}

/** The idempotency key of a step's message: a tick that runs twice finds the message made by the first. */
export const stepMessageKey = (enrolmentId: string, position: number) => `enrolment:${enrolmentId}:${position}`;

const EXIT_REASON_OF: Record<ExitRule['type'], ExitReason> = {
  order_paid: 'converted',
  unsubscribed: 'unsubscribed',
  stage_changed: 'stage_changed',
  tier_changed: 'tier_changed',
};

/** Does this event end an enrolment with these exit rules? The reason, or null. */
export function exitReasonFor(rules: readonly ExitRule[], event: DomainEvent): ExitReason | null {
  for (const rule of rules) {
    switch (event.name) {
      case 'order.paid': {
        const { offerCode } = event.payload as DomainEvent<'order.paid'>['payload'];
        if (rule.type === 'order_paid' && (!rule.offerCode || rule.offerCode === offerCode)) return EXIT_REASON_OF.order_paid;
        break;
      }
      case 'artist.unsubscribed':
        if (rule.type === 'unsubscribed') return EXIT_REASON_OF.unsubscribed;
        break;
      case 'artist.stage_changed': {
        const { fromStage, toStage } = event.payload as DomainEvent<'artist.stage_changed'>['payload'];
        // The entry of a new record into the pipeline is not a change of stage.
        if (rule.type === 'stage_changed' && fromStage !== null && (!rule.stage || rule.stage === toStage)) return EXIT_REASON_OF.stage_changed;
        break;
      }
      case 'artist.tier_changed': {
        const { newTier } = event.payload as DomainEvent<'artist.tier_changed'>['payload'];
        if (rule.type === 'tier_changed' && (!rule.tier || rule.tier === newTier)) return EXIT_REASON_OF.tier_changed;
        break;
      }
      default:
        break;
    }
  }
  return null;
}

/** The trigger an event fires, and whether a sequence's trigger configuration accepts it. */
export function triggerOf(event: DomainEvent): { trigger: SequenceTrigger; matches: (config: TriggerConfig) => boolean } | null {
  switch (event.name) {
    case 'artist.signed_up':
      return { trigger: 'signup', matches: () => true };
    case 'order.paid': {
      const { offerCode } = event.payload as DomainEvent<'order.paid'>['payload'];
      return { trigger: 'order_paid', matches: (config) => !config.offerCode || config.offerCode === offerCode };
    }
    case 'artist.tier_changed': {
      const { newTier } = event.payload as DomainEvent<'artist.tier_changed'>['payload'];
      return { trigger: 'tier_changed', matches: (config) => !config.tier || config.tier === newTier };
    }
    default:
      return null;
  }
}

/** The artist an event is about (every event the engine handles names one). */
function artistOf(event: DomainEvent): string | null {
  const payload = event.payload as { artistId?: unknown };
  return typeof payload.artistId === 'string' ? payload.artistId : null;
}

const laterOf = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/**
 * Runs sequences: enrols artists when a trigger fires, composes each step's
 * message when it falls due (the tick), and ends enrolments on an exit event.
 * Everything is stored: `nextRunAt` says when an enrolment needs the tick
 * again, so delays survive restarts, and every write is idempotent (an event
 * or a tick handled twice changes nothing the second time).
 */
export class SequenceEngine {
  constructor(private readonly deps: EngineDeps) {}

  /** The zone whole-day delays are read in. */
  timeZone(): Promise<string> {
    return this.deps.timeZone();
  }

  /**
   * Enrols an artist in a sequence; undefined when they already have an
   * active enrolment in it or this event already enrolled them.
   */
  async enrol(
    sequence: Pick<SequenceRow, 'id'>,
    artistId: string,
    options: { triggerEventId?: string | null; enrolledBy?: string | null; tx?: Q } = {},
  ): Promise<EnrolmentRow | undefined> {
    // Read before the transaction: on the embedded database another connection's query waits for it to end.
    const timeZone = await this.deps.timeZone();
    const run = async (tx: Q) => {
      const steps = await this.deps.repo.steps([sequence.id], tx);
      const startedAt = this.deps.clock.now();
      const first = steps[0];
      // A sequence without steps completes at the first tick.
      const nextRunAt = first ? stepDueAt(startedAt, first.delayMinutes, timeZone) : startedAt;
      return this.deps.repo.enrol(tx, {
        sequenceId: sequence.id,
        artistId,
        startedAt,
        nextRunAt,
        triggerEventId: options.triggerEventId ?? null,
        enrolledBy: options.enrolledBy ?? null,
      });
    };
    return options.tx ? run(options.tx) : this.deps.db.transaction(run);
  }

  /**
   * A domain event: first the exits it causes (an enrolment made by this very
   * event is never ended by it), then the enrolments it triggers. So an artist
   * who pays MONA 290 leaves the welcome sequence as converted and enters the
   * nurturing one, in that order.
   */
  async handleEvent(event: DomainEvent): Promise<{ exited: { enrolmentId: string; reason: ExitReason }[]; enrolled: string[] }> {
    const artistId = artistOf(event);
    if (!artistId) return { exited: [], enrolled: [] };
    const exited = await this.applyExits(event, artistId);
    const enrolled: string[] = [];
    const trigger = triggerOf(event);
    if (trigger) {
      for (const sequence of await this.deps.repo.activeByTrigger(trigger.trigger)) {
        if (!trigger.matches(sequence.triggerConfig)) continue;
        const row = await this.enrol(sequence, artistId, { triggerEventId: event.id });
        if (row) enrolled.push(row.id);
      }
    }
    if (exited.length || enrolled.length)
      this.deps.logger.info({ event: event.name, eventId: event.id, artistId, exited, enrolled }, 'sequence enrolments changed');
    return { exited, enrolled };
  }

  /** Ends the artist's active enrolments this event exits, and cancels their pending messages, in one transaction. */
  private async applyExits(event: DomainEvent, artistId: string): Promise<{ enrolmentId: string; reason: ExitReason }[]> {
    const now = this.deps.clock.now();
    return this.deps.db.transaction(async (tx) => {
      const out: { enrolmentId: string; reason: ExitReason }[] = [];
      for (const enrolment of await this.deps.repo.activeOfArtistForExit(tx, artistId)) {
        if (enrolment.triggerEventId === event.id) continue;
        const reason = exitReasonFor(enrolment.exitRules, event);
        if (!reason) continue;
        if (!(await this.deps.repo.exit(tx, enrolment.id, reason, now))) continue;
        await this.deps.notifications.cancelForEnrolment(enrolment.id, `sequence exit: ${reason}`, tx);
        out.push({ enrolmentId: enrolment.id, reason });
      }
      return out;
    });
  }

  /** Ends one active enrolment (staff removal) and cancels its pending messages; undefined when it is not active. */
  async exit(enrolmentId: string, reason: ExitReason): Promise<EnrolmentRow | undefined> {
    return this.deps.db.transaction(async (tx) => {
      const row = await this.deps.repo.exit(tx, enrolmentId, reason, this.deps.clock.now());
      if (row) await this.deps.notifications.cancelForEnrolment(enrolmentId, `sequence exit: ${reason}`, tx);
      return row;
    });
  }

  /**
   * Composes the messages of every due step of active sequences, one
   * enrolment per transaction: the enrolment is claimed FOR UPDATE SKIP
   * LOCKED, its step's message composed with the key
   * `enrolment:<id>:<position>` and `notBefore` = start + delay (the step's
   * window rule and the recipient's quiet hours then place it), and the
   * enrolment moved to its next step. After the last step it stays active
   * until that message's send time, so an exit can still cancel it, then
   * completes. A failing enrolment is skipped for the rest of the run (and
   * retried at the next tick). A run stops when nothing is due, after
   * `limit` steps or after `maxMs` of real time (so a backlog — a large
   * inactivity batch — drains over consecutive runs without overlapping the
   * 30 s schedule much).
   */
  async tick(options: { limit?: number; maxMs?: number } = {}): Promise<TickResult> {
    const limit = options.limit ?? 20_000;
    const deadline = Date.now() + (options.maxMs ?? 25_000);
    const now = this.deps.clock.now();
    const timeZone = await this.deps.timeZone();
    const failedIds: string[] = [];
    const result: TickResult = { composed: 0, completed: 0, failed: 0 };
    let dueNow = false;
    for (let i = 0; i < limit && Date.now() < deadline; i++) {
      let claimedId: string | null = null;
      try {
        const outcome = await this.deps.db.transaction(async (tx) => {
          const enrolment = await this.deps.repo.claimDue(tx, now, failedIds);
          if (!enrolment) return 'none' as const;
          claimedId = enrolment.id;
          return this.runStep(tx, enrolment, now, timeZone);
        });
        if (outcome === 'none') break;
        result[outcome.kind] += 1;
        if (outcome.dueNow) dueNow = true;
      } catch (error) {
        if (!claimedId) throw error;
        failedIds.push(claimedId);
        result.failed += 1;
        this.deps.logger.error({ err: (error as Error).message, enrolmentId: claimedId }, 'sequence step failed; retried at the next tick');
      }
    }
    // Messages composed inside the tick's transactions: wake the dispatcher once they are committed.
    if (dueNow) await this.deps.notifications.kick();
    return result;
  }

  private async runStep(tx: Q, enrolment: EnrolmentRow, now: Date, timeZone: string): Promise<{ kind: 'composed' | 'completed'; dueNow: boolean }> {
    const steps: StepRecord[] = await this.deps.repo.steps([enrolment.sequenceId], tx);
    const position = enrolment.nextPosition;
    const step = steps[position];
    if (!step) {
      await this.deps.repo.advance(tx, enrolment.id, { nextPosition: position, nextRunAt: null, status: 'completed', endedAt: now }, now);
      return { kind: 'completed', dueNow: false };
    }
    const composed = await this.deps.notifications.compose(
      {
        idempotencyKey: stepMessageKey(enrolment.id, position),
        templateCode: step.templateCode,
        artistId: enrolment.artistId,
        variables: { appUrl: this.deps.appUrl },
        notBefore: stepDueAt(enrolment.startedAt, step.delayMinutes, timeZone),
        windowRule: step.windowRule,
        enrolment: { id: enrolment.id, position },
        link: '/portal',
      },
      tx,
    );
    const next = steps[position + 1];
    const nextRunAt = next ? stepDueAt(enrolment.startedAt, next.delayMinutes, timeZone) : laterOf(new Date(composed.sendAfter), now);
    await this.deps.repo.advance(tx, enrolment.id, { nextPosition: position + 1, nextRunAt }, now);
    return { kind: 'composed', dueNow: composed.created && composed.status === 'pending' && new Date(composed.sendAfter) <= now };
  }

  /**
   * The daily inactivity run: for each active inactivity sequence, enrols
   * the artists with no activity for its `days` (see
   * SequencesRepository.enrolInactive), in batches.
   */
  async enrolInactive(options: { batch?: number } = {}): Promise<{ sequenceId: string; enrolled: number }[]> {
    const batch = options.batch ?? 1000;
    const now = this.deps.clock.now();
    const timeZone = await this.deps.timeZone();
    const out: { sequenceId: string; enrolled: number }[] = [];
    for (const sequence of await this.deps.repo.activeByTrigger('inactivity')) {
      const days = sequence.triggerConfig.days;
      if (!days) continue;
      const [first] = await this.deps.repo.steps([sequence.id]);
      const nextRunAt = first ? stepDueAt(now, first.delayMinutes, timeZone) : now;
      const cutoff = new Date(now.getTime() - days * 86_400_000);
      let enrolled = 0;
      for (;;) {
        const n = await this.deps.repo.enrolInactive(this.deps.db, { sequenceId: sequence.id, cutoff, startedAt: now, nextRunAt, limit: batch });
        enrolled += n;
        if (n < batch) break;
      }
      out.push({ sequenceId: sequence.id, enrolled });
    }
    return out;
  }
}
