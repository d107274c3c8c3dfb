import { z } from 'zod';
import { fieldsSchema } from '../fields';
import type { MeetingBody, ProcedureGraph, Step } from '../graph';
import { MeetingCountsSchema, MeetingRulesSchema } from '../meeting';
import { problem, zodDetails } from './problems';
import { ActionErrorCode, EngineError, type ActionProblem, type MatterState } from './types';

/** What a step's action carries: its fields, a meeting record, a link when the amount needs one. */

export const MeetingRecordDataBase = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
  minutesHash: z.string().regex(/^[0-9a-f]{64}$/, 'minutesHash must be the sha256 hex digest of the minutes file'),
  body: z.string().optional(),
});

/** Above the procedure's threshold, the amount needs a linked decision (checked by the API at start). */
export function linkProblem(
  graph: ProcedureGraph,
  state: MatterState,
  stepId: string,
  data: unknown,
): ActionProblem | undefined {
  const link = graph.link;
  if (!link || link.step !== stepId || (state.links ?? []).length > 0) return undefined;
  const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[link.field] : undefined;
  if (typeof value !== 'number' || value <= link.above) return undefined;
  return problem(
    ActionErrorCode.LinkRequired,
    `${link.field} ${value} is above ${link.above}: start the matter linked to a completed ${link.procedure} of this village`,
    [{ field: `data.${link.field}`, message: `above ${link.above} needs a linked ${link.procedure}` }],
  );
}

/** A meeting record holds the step's own fields and the record proper (body, date, counts, minutes). */
export function splitMeetingData(
  step: Step,
  data: unknown,
): { own: Record<string, unknown>; rest: Record<string, unknown> } {
  const fieldNames = new Set(step.fields.map((f) => f.name));
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  const raw = typeof data === 'object' && data !== null ? Object.entries(data) : [];
  for (const [k, v] of raw) (fieldNames.has(k) ? own : rest)[k] = v;
  return { own, rest };
}

export function validateStepData(
  graph: ProcedureGraph,
  step: Step,
  action: string,
  data: unknown,
): ActionProblem | undefined {
  const invalid = (error: z.ZodError) =>
    problem(
      ActionErrorCode.InvalidData,
      `invalid data: ${zodDetails(error)
        .map((d) => `${d.field}: ${d.message}`)
        .join('; ')}`,
      zodDetails(error),
    );
  if (action === 'submit') {
    const parsed = fieldsSchema(step.fields).safeParse(data ?? {});
    return parsed.success ? undefined : invalid(parsed.error);
  }
  if (action === 'record') {
    const { own, rest } = splitMeetingData(step, data);
    const meta = MeetingRecordDataBase.and(MeetingCountsSchema).safeParse(rest);
    if (!meta.success) return invalid(meta.error);
    const bodies = step.bodies ?? [];
    const body = meta.data.body ?? (bodies.length === 1 ? bodies[0] : undefined);
    if (!body || !bodies.includes(body as MeetingBody)) {
      return problem(ActionErrorCode.InvalidData, `body must be one of ${bodies.join(', ')}`, [
        { field: 'data.body', message: `must be one of ${bodies.join(', ')}` },
      ]);
    }
    const rules = MeetingRulesSchema.safeParse(graph.policy.meetingRules);
    if (!rules.success || !rules.data[body as MeetingBody])
      throw new EngineError(`policy has no meeting rule for ${body}`);
    if (body === 'villagers' && meta.data.households !== undefined && meta.data.householdsRepresented === undefined) {
      return problem(ActionErrorCode.InvalidData, 'householdsRepresented is needed with households', [
        { field: 'data.householdsRepresented', message: 'required with households' },
      ]);
    }
    const fields = fieldsSchema(step.fields).safeParse(own);
    return fields.success ? undefined : invalid(fields.error);
  }
  return undefined;
}
