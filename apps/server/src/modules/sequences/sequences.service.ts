import { EXIT_REASONS, type SequenceStatus, type SequenceTrigger } from '@mona/shared';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { assertTeam, fieldError } from '../users/team.ts';
import { DEFAULT_SEQUENCES, DEFAULT_TEMPLATES } from './defaults.ts';
import type { SequenceEngine } from './engine.ts';
import type { EnrolmentRecord, NewStep, SequenceChanges, SequenceRow, SequencesRepository, StepRecord } from './sequences.repository.ts';
import { LOCALES } from './templates.schemas.ts';
import type {
  CreateSequenceInput,
  EnrolmentDto,
  ListEnrolmentsQuery,
  SequenceDto,
  SequenceStatsDto,
  StepDto,
  StepInput,
  UpdateSequenceInput,
} from './sequences.schemas.ts';
import type { ExitRule, TriggerConfig } from './sequences.tables.ts';
import type { Q, TemplatesRepository } from './templates.repository.ts';
import { delayLabel, stepDueAt } from './timing.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toStepDto(step: StepRecord): StepDto {
  return {
    id: step.id,
    position: step.position,
    channel: step.channel,
    templateId: step.templateId,
    templateCode: step.templateCode,
    templateName: step.templateName,
    kind: step.kind,
    delayMinutes: step.delayMinutes,
    delayLabel: delayLabel(step.delayMinutes),
    windowRule: step.windowRule,
  };
}

export function toSequenceDto(row: SequenceRow, steps: StepRecord[], activeEnrolments: number): SequenceDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    trigger: row.trigger,
    // Stored only after the same checks as the API's (or from defaults.ts).
    triggerConfig: row.triggerConfig as SequenceDto['triggerConfig'],
    exitRules: row.exitRules as SequenceDto['exitRules'],
    status: row.status,
    pausedAt: iso(row.pausedAt),
    steps: steps.filter((s) => s.sequenceId === row.id).map(toStepDto),
    activeEnrolments,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toEnrolmentDto(row: EnrolmentRecord, steps: StepRecord[]): EnrolmentDto {
  const own = steps.filter((s) => s.sequenceId === row.sequenceId);
  const next = row.status === 'active' ? own[row.nextPosition] : undefined;
  return {
    id: row.id,
    sequenceId: row.sequenceId,
    sequenceName: row.sequenceName,
    artistId: row.artistId,
    artistName: row.artistName,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    stepsTotal: own.length,
    stepsDone: Math.min(row.nextPosition, own.length),
    nextStep: next ? toStepDto(next) : null,
    nextRunAt: iso(row.nextRunAt),
    exitReason: row.exitReason,
    endedAt: iso(row.endedAt),
    enrolledBy: row.enrolledBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Why a sequence cannot go from one status to another, or null when it can (the same status is a no-op). */
export function statusRefusal(from: SequenceStatus, to: SequenceStatus, stepCount: number): string | null {
  if (from === to) return null;
  if (from === 'draft' && to === 'active') return stepCount > 0 ? null : 'add at least one step before activating it';
  if (from === 'active' && to === 'paused') return null;
  if (from === 'paused' && to === 'active') return null;
  if (to === 'draft') return 'a sequence that ran cannot go back to draft; pause it instead';
  return `a ${from} sequence can only become ${from === 'draft' ? 'active' : from === 'active' ? 'paused' : 'active'}`;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : 0);

/** Sequences as data: staff edit them, the engine runs them. */
export class SequencesService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: SequencesRepository;
      templates: TemplatesRepository;
      engine: SequenceEngine;
      artists: { findById(id: string): Promise<{ id: string; archivedAt: Date | null; stageName: string } | undefined> };
      offerCodes: () => Promise<string[]>;
      clock: Clock;
    },
  ) {}

  async list(caller: Caller): Promise<SequenceDto[]> {
    assertTeam(caller, 'Only the team manages sequences');
    const rows = await this.deps.repo.list();
    const ids = rows.map((r) => r.id);
    const [steps, active] = await Promise.all([this.deps.repo.steps(ids), this.deps.repo.countActive(ids)]);
    return rows.map((row) => toSequenceDto(row, steps, active.get(row.id) ?? 0));
  }

  async get(caller: Caller, id: string): Promise<SequenceDto> {
    assertTeam(caller, 'Only the team manages sequences');
    return this.dto(await this.require(id));
  }

  async create(caller: Caller, input: CreateSequenceInput): Promise<SequenceDto> {
    assertTeam(caller, 'Only the team manages sequences');
    const triggerConfig = await this.checkTrigger(input.trigger, input.triggerConfig ?? {});
    const exitRules = await this.checkExitRules(input.exitRules ?? []);
    const steps = input.steps ? await this.resolveSteps(input.steps) : [];
    const row = await this.deps.db.transaction(async (tx) => {
      const created = await this.deps.repo.insert(tx, {
        name: input.name,
        description: input.description ?? '',
        trigger: input.trigger,
        triggerConfig,
        exitRules,
        status: 'draft',
        createdBy: caller.id,
      });
      await this.deps.repo.replaceSteps(tx, created.id, steps);
      return created;
    });
    return this.dto(row);
  }

  /**
   * Changes fields and/or the status. Status rules: draft → active (with
   * steps), active → paused, paused → active; anything else is 409. Resuming
   * moves the active enrolments' start and next run forward by the length of
   * the pause, so what fell due during the pause is sent once, with the same
   * spacing as before.
   */
  async update(caller: Caller, id: string, input: UpdateSequenceInput): Promise<SequenceDto> {
    assertTeam(caller, 'Only the team manages sequences');
    const current = await this.require(id);
    const trigger: SequenceTrigger = input.trigger ?? current.trigger;
    const changes: SequenceChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.trigger !== undefined || input.triggerConfig !== undefined) {
      changes.trigger = trigger;
      changes.triggerConfig = await this.checkTrigger(trigger, input.triggerConfig ?? current.triggerConfig);
    }
    if (input.exitRules !== undefined) changes.exitRules = await this.checkExitRules(input.exitRules);
    const row = await this.deps.db.transaction(async (tx) => {
      // Locked: a concurrent status change waits, then reads this one's result.
      const locked = await this.deps.repo.lock(tx, id);
      if (!locked) throw notFound('Sequence not found');
      if (input.status !== undefined && input.status !== locked.status) {
        const stepCount = (await this.deps.repo.steps([id], tx)).length;
        const refusal = statusRefusal(locked.status, input.status, stepCount);
        if (refusal)
          throw conflict(`Cannot change the sequence from ${locked.status} to ${input.status}: ${refusal}`, { from: locked.status, to: input.status });
        const now = this.deps.clock.now();
        changes.status = input.status;
        if (input.status === 'paused') changes.pausedAt = now;
        if (locked.status === 'paused' && input.status === 'active') {
          changes.pausedAt = null;
          if (locked.pausedAt) await this.deps.repo.shiftActive(tx, id, now.getTime() - locked.pausedAt.getTime(), now);
        }
      }
      if (Object.keys(changes).length === 0) return locked;
      return (await this.deps.repo.update(tx, id, changes))!;
    });
    return this.dto(row);
  }

  /**
   * Replaces the ordered steps. Active enrolments keep their position and
   * wait for the step now at that position (its delay still counts from
   * their start); steps already composed are not sent again.
   */
  async replaceSteps(caller: Caller, id: string, input: StepInput[]): Promise<SequenceDto> {
    assertTeam(caller, 'Only the team manages sequences');
    const steps = await this.resolveSteps(input);
    const timeZone = await this.deps.engine.timeZone();
    const row = await this.deps.db.transaction(async (tx) => {
      const locked = await this.deps.repo.lock(tx, id);
      if (!locked) throw notFound('Sequence not found');
      if (locked.status !== 'draft' && steps.length === 0) throw conflict('A sequence that ran keeps at least one step; pause it instead');
      await this.deps.repo.replaceSteps(tx, id, steps);
      const now = this.deps.clock.now();
      await this.deps.repo.rescheduleActive(
        tx,
        id,
        (enrolment) => {
          const step = steps[enrolment.nextPosition];
          return step ? stepDueAt(enrolment.startedAt, step.delayMinutes, timeZone) : now;
        },
        now,
      );
      return (await this.deps.repo.update(tx, id, {}))!;
    });
    return this.dto(row);
  }

  async listEnrolments(caller: Caller, sequenceId: string, query: ListEnrolmentsQuery): Promise<EnrolmentDto[]> {
    assertTeam(caller, 'Only the team sees enrolments');
    await this.require(sequenceId);
    const rows = await this.deps.repo.listEnrolments({ sequenceId, status: query.status }, query.limit);
    const steps = await this.deps.repo.steps([sequenceId]);
    return rows.map((r) => toEnrolmentDto(r, steps));
  }

  async artistEnrolments(caller: Caller, artistId: string): Promise<EnrolmentDto[]> {
    assertTeam(caller, "Only the team sees an artist's enrolments");
    if (!(await this.deps.artists.findById(artistId))) throw notFound('Artist not found');
    const rows = await this.deps.repo.listEnrolments({ artistId }, 500);
    const steps = await this.deps.repo.steps([...new Set(rows.map((r) => r.sequenceId))]);
    return rows.map((r) => toEnrolmentDto(r, steps));
  }

  /** Staff enrol an artist by hand (any trigger); only into an active sequence, once at a time. */
  async enrol(caller: Caller, sequenceId: string, artistId: string): Promise<EnrolmentDto> {
    assertTeam(caller, 'Only the team enrols artists');
    const sequence = await this.require(sequenceId);
    const artist = await this.deps.artists.findById(artistId);
    if (!artist) throw fieldError('artistId', 'Artist not found');
    if (artist.archivedAt) throw conflict(`${artist.stageName} is archived: unarchive the artist first`);
    if (sequence.status !== 'active') throw conflict(`The sequence is ${sequence.status}: activate it before enrolling artists`);
    const row = await this.deps.engine.enrol(sequence, artistId, { enrolledBy: caller.id });
    if (!row) throw conflict(`${artist.stageName} is already going through this sequence`, { issues: [{ path: 'artistId', message: 'Already enrolled' }] });
    return this.enrolmentDto(row.id);
  }

  /** Staff take an artist out of a sequence: exit reason removed, pending messages cancelled at once. */
  async remove(caller: Caller, sequenceId: string, enrolmentId: string): Promise<EnrolmentDto> {
    assertTeam(caller, 'Only the team removes enrolments');
    const enrolment = await this.deps.repo.findEnrolment(enrolmentId);
    if (!enrolment || enrolment.sequenceId !== sequenceId) throw notFound('Enrolment not found');
    if (enrolment.status !== 'active') throw conflict(`This enrolment is already ${enrolment.status}`);
    const exited = await this.deps.engine.exit(enrolmentId, 'removed');
    if (!exited) throw conflict('This enrolment ended meanwhile');
    return this.enrolmentDto(enrolmentId);
  }

  async stats(caller: Caller, sequenceId: string): Promise<SequenceStatsDto> {
    assertTeam(caller, 'Only the team sees sequence statistics');
    await this.require(sequenceId);
    const [enrolments, messages] = await Promise.all([this.deps.repo.enrolmentCounts(sequenceId), this.deps.repo.messageCounts(sequenceId)]);
    const exitedByReason = Object.fromEntries(EXIT_REASONS.map((r) => [r, enrolments.byReason[r] ?? 0])) as SequenceStatsDto['exitedByReason'];
    return {
      sequenceId,
      enrolled: enrolments.enrolled,
      active: enrolments.active,
      completed: enrolments.completed,
      exited: enrolments.exited,
      exitedByReason,
      converted: exitedByReason.converted,
      conversionRate: ratio(exitedByReason.converted, enrolments.enrolled),
      messagesSent: messages.sent,
      messagesByStatus: messages.byStatus,
      emailsSent: messages.emailsSent,
      opened: messages.opened,
      clicked: messages.clicked,
      openRate: ratio(messages.opened, messages.emailsSent),
      clickRate: ratio(messages.clicked, messages.sent),
    };
  }

  /**
   * Installs the default templates and sequences (defaults.ts) that do not
   * exist yet, in one transaction: `on conflict (code) do nothing`, so staff
   * edits are never overwritten and concurrent start-ups install once.
   * Returns what was created.
   */
  async installDefaults(): Promise<{ templates: number; sequences: number }> {
    const templateCodes = DEFAULT_TEMPLATES.map((t) => t.code);
    const sequenceCodes = DEFAULT_SEQUENCES.map((q) => q.code);
    // Every start-up after the first finds everything there: two reads, no write.
    const [haveTemplates, haveSequences] = await Promise.all([this.deps.templates.findByCodes(templateCodes), this.deps.repo.codesPresent(sequenceCodes)]);
    if (haveTemplates.length === templateCodes.length && haveSequences.length === sequenceCodes.length) return { templates: 0, sequences: 0 };
    return this.deps.db.transaction(async (tx) => {
      const created = await this.deps.templates.insertMany(
        tx,
        DEFAULT_TEMPLATES.map((t) => ({ code: t.code, channel: t.channel, kind: t.kind, name: t.name })),
      );
      await this.deps.templates.insertContents(
        tx,
        created.flatMap((row) => {
          const { contents } = DEFAULT_TEMPLATES.find((t) => t.code === row.code)!;
          return LOCALES.map((locale) => ({ templateId: row.id, locale, ...contents[locale] }));
        }),
      );
      const byCode = new Map((await this.deps.templates.findByCodes(templateCodes, tx)).map((t) => [t.code, t]));
      const sequences = await this.deps.repo.insertManyIfAbsent(
        tx,
        DEFAULT_SEQUENCES.map((q) => ({
          code: q.code,
          name: q.name,
          description: q.description,
          trigger: q.trigger,
          triggerConfig: q.triggerConfig,
          exitRules: q.exitRules,
          status: 'active' as const,
        })),
      );
      // Steps only for the sequences created now: an existing one keeps the steps staff gave it.
      await this.deps.repo.insertSteps(
        tx,
        sequences.flatMap((row) =>
          DEFAULT_SEQUENCES.find((q) => q.code === row.code)!.steps.map((step, position) => {
            const template = byCode.get(step.templateCode);
            if (!template) throw new Error(`Default template ${step.templateCode} is missing`);
            return {
              sequenceId: row.id,
              position,
              channel: template.channel,
              templateId: template.id,
              delayMinutes: step.delayMinutes,
              windowRule: step.windowRule,
            };
          }),
        ),
      );
      return { templates: created.length, sequences: sequences.length };
    });
  }

  private async require(id: string, tx?: Q): Promise<SequenceRow> {
    const row = await this.deps.repo.find(id, tx);
    if (!row) throw notFound('Sequence not found');
    return row;
  }

  private async dto(row: SequenceRow): Promise<SequenceDto> {
    const [steps, active] = await Promise.all([this.deps.repo.steps([row.id]), this.deps.repo.countActive([row.id])]);
    return toSequenceDto(row, steps, active.get(row.id) ?? 0);
  }

  private async enrolmentDto(id: string): Promise<EnrolmentDto> {
    const row = await this.deps.repo.findEnrolment(id);
    if (!row) throw notFound('Enrolment not found');
    return toEnrolmentDto(row, await this.deps.repo.steps([row.sequenceId]));
  }

  /** The trigger's parameters, checked against the trigger: 400 on the field that does not fit. */
  private async checkTrigger(trigger: SequenceTrigger, config: TriggerConfig): Promise<TriggerConfig> {
    const allowed: Record<SequenceTrigger, (keyof TriggerConfig)[]> = {
      signup: [],
      manual: [],
      order_paid: ['offerCode'],
      tier_changed: ['tier'],
      inactivity: ['days'],
    };
    for (const key of Object.keys(config) as (keyof TriggerConfig)[]) {
      if (config[key] !== undefined && !allowed[trigger].includes(key)) throw fieldError(`triggerConfig.${key}`, `The ${trigger} trigger takes no ${key}`);
    }
    if (trigger === 'tier_changed' && !config.tier) throw fieldError('triggerConfig.tier', 'Choose the tier that starts the sequence');
    if (trigger === 'inactivity' && !config.days) throw fieldError('triggerConfig.days', 'Give the number of days without activity');
    if (config.offerCode && !(await this.deps.offerCodes()).includes(config.offerCode))
      throw fieldError('triggerConfig.offerCode', `No offer has the code ${config.offerCode}`);
    return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  }

  private async checkExitRules(rules: ExitRule[]): Promise<ExitRule[]> {
    const param: Record<ExitRule['type'], keyof ExitRule | null> = {
      order_paid: 'offerCode',
      stage_changed: 'stage',
      tier_changed: 'tier',
      unsubscribed: null,
    };
    const codes = rules.some((r) => r.offerCode) ? await this.deps.offerCodes() : [];
    return rules.map((rule, i) => {
      for (const key of ['offerCode', 'stage', 'tier'] as const) {
        if (rule[key] !== undefined && param[rule.type] !== key) throw fieldError(`exitRules.${i}.${key}`, `A ${rule.type} exit takes no ${key}`);
      }
      if (rule.offerCode && !codes.includes(rule.offerCode)) throw fieldError(`exitRules.${i}.offerCode`, `No offer has the code ${rule.offerCode}`);
      return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as ExitRule;
    });
  }

  /** Steps as stored: each template found (by id or code) and of the step's channel; delays never decrease. */
  private async resolveSteps(input: StepInput[]): Promise<NewStep[]> {
    const [byId, byCode] = await Promise.all([
      this.deps.templates.findByIds([...new Set(input.flatMap((s) => (s.templateId ? [s.templateId] : [])))]),
      this.deps.templates.findByCodes([...new Set(input.flatMap((s) => (s.templateCode ? [s.templateCode] : [])))]),
    ]);
    return input.map((step, i) => {
      const template = step.templateId ? byId.find((t) => t.id === step.templateId) : byCode.find((t) => t.code === step.templateCode);
      const field = step.templateId ? 'templateId' : 'templateCode';
      if (!template) throw fieldError(`steps.${i}.${field}`, 'No template has this ' + (step.templateId ? 'id' : 'code'));
      if (template.channel !== step.channel)
        throw fieldError(
          `steps.${i}.channel`,
          `Template ${template.code} is a ${template.channel} template; choose the ${template.channel} channel or another template`,
        );
      const previous = input[i - 1];
      if (previous && step.delayMinutes < previous.delayMinutes)
        throw fieldError(`steps.${i}.delayMinutes`, 'Delays count from the start of the enrolment: a step cannot come before the previous one');
      return { channel: step.channel, templateId: template.id, delayMinutes: step.delayMinutes, windowRule: step.windowRule };
    });
  }
}
