import { z } from 'zod';
import { fieldsSchema } from '../fields';
import type { MeetingBody, ProcedureGraph, Step } from '../graph';
import type { Register } from '../meeting';
import {
  MeetingCountsSchema,
  MeetingRulesSchema,
  isCalendarDate,
  registeredSize,
  type MeetingCounts,
} from '../meeting';
import { problem, zodDetails } from './problems';
import { ActionErrorCode, EngineError, type ActionProblem, type EngineEvent, type MatterState } from './types';

/** What a step's action carries: its fields, a meeting record, a link when the amount needs one. */

const MeetingRecordDataBase = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
  minutesHash: z.string().regex(/^[0-9a-f]{64}$/, 'minutesHash must be the sha256 hex digest of the minutes file'),
  body: z.string().optional(),
});
/** A meeting record's own part: the record proper and its counts (built once, used on every record). */
export const MeetingRecordData = MeetingRecordDataBase.and(MeetingCountsSchema);

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
    const meta = MeetingRecordData.safeParse(rest);
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

/** The calendar day in Beijing (UTC+8 all year: China keeps no summer time) of an instant. */
function beijingDate(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A meeting record under the register rule: its date is a real day, not after the day it is
 * recorded (meetings are recorded after they are held), and the members who should attend are
 * the village's register on that day, not the recorder's number (村民委员会组织法 Arts. 22, 26).
 */
export function meetingRegisterProblem(
  state: MatterState,
  step: Step,
  event: Extract<EngineEvent, { type: 'act' }>,
): ActionProblem | undefined {
  if (event.action !== 'record' || state.rules?.meetingRegister !== true) return undefined;
  const { rest } = splitMeetingData(step, event.data);
  const date = String(rest.date);
  if (!isCalendarDate(date))
    return problem(ActionErrorCode.InvalidData, `${date} is not a calendar date / 会议日期不存在`, [
      { field: 'data.date', message: 'not a calendar date' },
    ]);
  const today = beijingDate(event.at);
  if (date > today)
    return problem(
      ActionErrorCode.InvalidData,
      `the meeting date ${date} is after today (${today}) / 会议日期晚于今天`,
      [{ field: 'data.date', message: `after ${today}: record a meeting once it is held` }],
    );
  const register = event.register;
  if (!register)
    return problem(
      ActionErrorCode.InvalidData,
      `village ${state.village} has no register of body sizes on ${date} / 本村在该日没有登记各会议的应到人数`,
      [{ field: 'register', message: `no register for ${state.village} on ${date}` }],
    );
  const body = (rest.body ?? step.bodies?.[0]) as MeetingBody;
  const size = registeredSize(register, body);
  const typed = rest as Partial<MeetingCounts>;
  if (typed.members !== size.members)
    return problem(
      ActionErrorCode.InvalidData,
      `${body} has ${size.members} members in the register (from ${register.from}), not ${String(typed.members)} / 名册登记的应到人数为 ${size.members}`,
      [{ field: 'data.members', message: `the register says ${size.members}` }],
    );
  if (typed.households !== undefined && typed.households !== size.households)
    return problem(
      ActionErrorCode.InvalidData,
      `the register has ${String(size.households)} households, not ${typed.households} / 名册登记的户数为 ${String(size.households)}`,
      [{ field: 'data.households', message: `the register says ${String(size.households)}` }],
    );
  return undefined;
}

/** The counts a meeting is judged on: under the register rule, the register's households. */
export function judgedCounts(
  state: MatterState,
  body: MeetingBody,
  counts: MeetingCounts,
  event: { register?: Register },
) {
  if (state.rules?.meetingRegister !== true || !event.register) return counts;
  const size = registeredSize(event.register, body);
  return {
    ...counts,
    members: size.members,
    ...(size.households !== undefined && counts.householdsRepresented !== undefined
      ? { households: size.households }
      : {}),
  };
}
