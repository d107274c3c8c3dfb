import { z } from 'zod';
import type { ProcedureGraph, Role } from '../graph';
import { completeDisclosure } from './disclosure';
import { problem, zodDetails } from './problems';
import { addRecord, recordedBy } from './record';
import { roleSatisfies } from './roles';
import { iso, userTask } from './support';
import { startAnswerClock, stopAnswerClock } from './objection-clock';
import { fireTimer } from './timer-fired';
import { activate, deactivate, endMatter } from './tokens';
import {
  ActionErrorCode,
  EngineError,
  type ActionProblem,
  type EngineEvent,
  type MatterState,
  type Objection,
} from './types';

/** Objections to a whole matter: raised by a supervisor, answered, accepted or ruled on by the town. */

const ObjectionIdSchema = z.object({ objectionId: z.string().min(1) });
const AnswerSchema = ObjectionIdSchema.extend({
  answer: z.string().trim().min(1, 'answer must not be empty').max(5000),
});
const RulingSchema = ObjectionIdSchema.extend({
  ruling: z.enum(['uphold', 'dismiss']),
  /** uphold: the step to go back to (one the matter passed, not beyond the objected step) */
  backTo: z.string().optional(),
  /** uphold: stop the matter (under the bounded-rulings rule it must be said, not implied) */
  stop: z.boolean().optional(),
});

/**
 * What may be done on an objection now, and by whom: the committee answers an open one; the
 * supervisory committee accepts an answer; the town may rule on any objection not yet resolved
 * (an unanswered objection must not hold a matter for ever). The API, the task list and the pages
 * read this, never a copy of it.
 */
export function objectionActions(objection: Pick<Objection, 'status'>): string[] {
  if (objection.status === 'open') return ['answer-objection', 'rule-objection'];
  if (objection.status === 'answered') return ['accept-answer', 'rule-objection'];
  return [];
}

/**
 * The steps a ruling that upholds `objection` may send the matter back to: steps it has passed
 * (completed, or active now), in the order it first reached them, up to the objected step. Never a
 * step ahead: a ruling cannot skip what the law requires.
 */
export function rulingTargets(graph: ProcedureGraph, state: MatterState, objection: Pick<Objection, 'step'>): string[] {
  const passed: string[] = [];
  for (const id of [...state.completedSteps, ...Object.keys(state.active)])
    if (userTask(graph, id) && !passed.includes(id)) passed.push(id);
  const objected = objection.step === null ? -1 : passed.indexOf(objection.step);
  return objected >= 0 ? passed.slice(0, objected + 1) : passed;
}

export function validateMatterAction(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'act' }>,
  roles: Role[],
): ActionProblem | undefined {
  const { actor, action } = event;
  if (!roles.some((r) => roleSatisfies(actor.role, r))) {
    return problem(
      ActionErrorCode.RoleNotAllowed,
      `role ${actor.role} may not ${action} (allowed: ${roles.join(', ')})`,
    );
  }
  if (action === 'raise-objection') {
    if (!event.comment?.trim())
      return problem(ActionErrorCode.ReasonRequired, 'an objection needs a reason (comment)', [
        { field: 'comment', message: 'a reason is required' },
      ]);
    if (event.step !== null && !graph.nodes[event.step])
      return problem(ActionErrorCode.InvalidData, `unknown step ${event.step}`);
    return undefined;
  }
  const schema =
    action === 'answer-objection' ? AnswerSchema : action === 'rule-objection' ? RulingSchema : ObjectionIdSchema;
  const parsed = schema.safeParse(event.data ?? {});
  if (!parsed.success) return problem(ActionErrorCode.InvalidData, 'invalid data', zodDetails(parsed.error));
  const objection = state.objections.find((o) => o.id === parsed.data.objectionId);
  if (!objection || objection.status === 'resolved')
    return problem(ActionErrorCode.NoSuchObjection, `no open objection ${parsed.data.objectionId}`);
  // matters from before the bounded-rulings rule keep the older check (a second answer was allowed)
  const allowedNow =
    state.rules?.boundedRulings === true
      ? objectionActions(objection).includes(action)
      : action !== 'accept-answer' || objection.status === 'answered';
  if (!allowedNow) {
    return problem(ActionErrorCode.ActionNotAllowed, `objection ${objection.id} is ${objection.status}: not ${action}`);
  }
  if (action === 'rule-objection') {
    const ruling = RulingSchema.parse(event.data);
    if (state.rules?.boundedRulings === true) return boundedRulingProblem(graph, state, objection, ruling, event);
    if (ruling.ruling === 'uphold' && ruling.backTo !== undefined && !userTask(graph, ruling.backTo)) {
      return problem(ActionErrorCode.InvalidData, `backTo must be a step of this procedure`, [
        { field: 'data.backTo', message: 'unknown step' },
      ]);
    }
  }
  return undefined;
}

/** A town ruling: with a reason; upholding goes back to a step the matter passed, or stops it, said so. */
function boundedRulingProblem(
  graph: ProcedureGraph,
  state: MatterState,
  objection: Objection,
  ruling: z.infer<typeof RulingSchema>,
  event: Extract<EngineEvent, { type: 'act' }>,
): ActionProblem | undefined {
  if (!event.comment?.trim())
    return problem(ActionErrorCode.ReasonRequired, 'a ruling needs a reason (comment) / 裁定须说明理由', [
      { field: 'comment', message: 'a reason is required' },
    ]);
  if (ruling.ruling === 'dismiss') {
    if (ruling.backTo !== undefined || ruling.stop !== undefined)
      return problem(ActionErrorCode.InvalidData, 'a dismissal resumes the matter: no backTo, no stop', [
        { field: ruling.backTo !== undefined ? 'data.backTo' : 'data.stop', message: 'only with uphold' },
      ]);
    return undefined;
  }
  const targets = rulingTargets(graph, state, objection);
  if (ruling.stop === true) {
    if (ruling.backTo === undefined) return undefined;
    return problem(ActionErrorCode.InvalidData, 'uphold either goes back to a step or stops the matter, not both', [
      { field: 'data.backTo', message: 'not with stop' },
    ]);
  }
  if (ruling.backTo === undefined)
    return problem(
      ActionErrorCode.InvalidData,
      `upholding names the step to go back to (one of ${targets.join(', ')}) or stops the matter (stop: true) / 异议成立须指明退回的步骤或终止事项`,
      [{ field: 'data.backTo', message: `one of ${targets.join(', ')}, or stop: true` }],
    );
  if (!targets.includes(ruling.backTo))
    return problem(
      ActionErrorCode.InvalidData,
      `the matter can go back only to a step it has passed, up to the objected step: ${targets.join(', ')} / 只能退回到已经过且不晚于异议所指的步骤`,
      [{ field: 'data.backTo', message: `one of ${targets.join(', ')}` }],
    );
  return undefined;
}

export function applyMatterAction(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'act' }>,
): void {
  const { actor, action, at } = event;
  const reason = event.comment?.trim() || undefined;
  const base = recordedBy(event);
  if (action === 'raise-objection') {
    const id = `objection-${state.objections.length + 1}`;
    state.objections.push({
      id,
      raisedBy: actor.userId,
      reason: reason ?? '',
      step: event.step,
      at: iso(at),
      status: 'open',
    });
    state.status = 'suspended';
    addRecord(state, at, { ...base, decision: 'objected', reason, data: { objectionId: id } });
    if (state.rules?.objectionDeadlines === true) startAnswerClock(state, state.objections.at(-1) as Objection, event);
    return;
  }
  const { objectionId } = ObjectionIdSchema.parse(event.data);
  const objection = state.objections.find((o) => o.id === objectionId);
  if (!objection) throw new EngineError(`no objection ${objectionId}`);
  if (action === 'answer-objection') {
    const { answer } = AnswerSchema.parse(event.data);
    objection.answer = answer;
    objection.status = 'answered';
    stopAnswerClock(state, objectionId);
    addRecord(state, at, { ...base, data: { objectionId, answer } });
    return;
  }
  if (action === 'accept-answer') {
    objection.status = 'resolved';
    objection.resolution = 'answer accepted';
    addRecord(state, at, { ...base, decision: 'accepted', ...(reason ? { reason } : {}), data: { objectionId } });
    resumeIfClear(graph, state, at);
    return;
  }
  const ruling = RulingSchema.parse(event.data);
  objection.status = 'resolved';
  stopAnswerClock(state, objectionId);
  addRecord(state, at, {
    ...base,
    decision: ruling.ruling,
    ...(reason ? { reason } : {}),
    data: { objectionId, ...(ruling.backTo ? { backTo: ruling.backTo } : {}), ...(ruling.stop ? { stop: true } : {}) },
  });
  if (ruling.ruling === 'dismiss') {
    objection.resolution = 'dismissed by the town';
    resumeIfClear(graph, state, at);
    return;
  }
  if (ruling.backTo === undefined) {
    objection.resolution = 'upheld: matter stopped';
    endMatter(state, 'stopped', at);
    return;
  }
  objection.resolution = `upheld: back to ${ruling.backTo}`;
  // Back to a named step: every running branch is abandoned and the matter resumes there.
  for (const id of Object.keys(state.active)) deactivate(graph, state, id);
  state.tokens = [];
  state.timers = [];
  state.joins = {};
  state.deferredTimers = [];
  state.pendingServiceTasks = [];
  const target = userTask(graph, ruling.backTo);
  if (!target) throw new EngineError(`unknown step ${ruling.backTo}`);
  if (state.objections.every((o) => o.status === 'resolved')) state.status = 'running';
  activate(graph, state, target, at);
}

export function resumeIfClear(graph: ProcedureGraph, state: MatterState, at: number): void {
  if (state.status !== 'suspended' || state.objections.some((o) => o.status !== 'resolved')) return;
  state.status = 'running';
  const deferred = state.deferredTimers;
  state.deferredTimers = [];
  for (const timerId of deferred) fireTimer(graph, state, timerId, at);
  for (const [stepId, active] of Object.entries(state.active)) {
    if (active.windowEnded && (state.openOpinions[stepId] ?? 0) === 0) completeDisclosure(graph, state, stepId, at);
  }
}
