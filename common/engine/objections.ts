import { z } from 'zod';
import type { ProcedureGraph, Role } from '../graph';
import { completeDisclosure } from './disclosure';
import { problem, zodDetails } from './problems';
import { addRecord, recordedBy } from './record';
import { roleSatisfies } from './roles';
import { iso, userTask } from './support';
import { fireTimer } from './timer-fired';
import { activate, deactivate, endMatter } from './tokens';
import { ActionErrorCode, EngineError, type ActionProblem, type EngineEvent, type MatterState } from './types';

/** Objections to a whole matter: raised by a supervisor, answered, accepted or ruled on by the town. */

const ObjectionIdSchema = z.object({ objectionId: z.string().min(1) });
const AnswerSchema = ObjectionIdSchema.extend({
  answer: z.string().trim().min(1, 'answer must not be empty').max(5000),
});
const RulingSchema = ObjectionIdSchema.extend({
  ruling: z.enum(['uphold', 'dismiss']),
  /** uphold: the step to go back to, or omitted to stop the matter */
  backTo: z.string().optional(),
});

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
  if (action === 'accept-answer' && objection.status !== 'answered') {
    return problem(ActionErrorCode.ActionNotAllowed, `objection ${objection.id} has not been answered yet`);
  }
  if (action === 'rule-objection') {
    const ruling = RulingSchema.parse(event.data);
    if (ruling.ruling === 'uphold' && ruling.backTo !== undefined && !userTask(graph, ruling.backTo)) {
      return problem(ActionErrorCode.InvalidData, `backTo must be a step of this procedure`, [
        { field: 'data.backTo', message: 'unknown step' },
      ]);
    }
  }
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
    return;
  }
  const { objectionId } = ObjectionIdSchema.parse(event.data);
  const objection = state.objections.find((o) => o.id === objectionId);
  if (!objection) throw new EngineError(`no objection ${objectionId}`);
  if (action === 'answer-objection') {
    const { answer } = AnswerSchema.parse(event.data);
    objection.answer = answer;
    objection.status = 'answered';
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
  addRecord(state, at, {
    ...base,
    decision: ruling.ruling,
    ...(reason ? { reason } : {}),
    data: { objectionId, ...(ruling.backTo ? { backTo: ruling.backTo } : {}) },
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
