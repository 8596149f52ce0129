import { ApiError } from '@mona/sdk';
import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import { describeError } from './errors.ts';
import { format, type Messages } from './i18n.ts';

const isStage = (value: unknown): value is PipelineStage => typeof value === 'string' && (PIPELINE_STAGES as readonly string[]).includes(value);

/**
 * A refused stage move in the reader's language. The API's 409 carries the
 * two stages in `details` and its reason in the message; known reasons are
 * translated, anything else is shown as the API wrote it.
 */
export function describeMoveError(error: unknown, m: Messages): { title: string; reason: string } {
  if (!(error instanceof ApiError) || error.status !== 409) return { title: m.pipeline.moveFailed, reason: describeError(error, m) };
  const from = error.details?.from;
  const to = error.details?.to;
  const stages = isStage(from) && isStage(to) ? { from: m.crm.stages[from], to: m.crm.stages[to] } : null;
  const title = stages ? format(m.pipeline.moveRefusedTitle, stages) : m.pipeline.moveRefused;
  const message = error.message;
  let reason = message;
  if (/archived meanwhile|moved or archived/.test(message)) reason = m.pipeline.refusals.concurrent;
  else if (/is archived/.test(message)) reason = m.pipeline.refusals.archived;
  else if (/already in/.test(message) && stages) reason = format(m.pipeline.refusals.same, stages);
  else if (/Cannot skip/.test(message) && isStage(from)) {
    const next = PIPELINE_STAGES[PIPELINE_STAGES.indexOf(from) + 1];
    reason = next ? format(m.pipeline.refusals.skip, { next: m.crm.stages[next] }) : message;
  }
  return { title, reason };
}
