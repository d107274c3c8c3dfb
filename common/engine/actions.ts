import { fieldsSchema } from '../fields';
import type { MeetingBody, ProcedureGraph } from '../graph';
import { MeetingCountsSchema, MeetingRulesSchema, judgeMeeting } from '../meeting';
import { applyMatterAction, validateMatterAction } from './objections';
import { problem } from './problems';
import { addRecord, recordedBy } from './record';
import { recusalMessage, recusalOf, recusalsAt } from './recusal';
import { actionsFor, matterActionRoles, roleSatisfies } from './roles';
import {
  judgedCounts,
  linkProblem,
  meetingRegisterProblem,
  MeetingRecordData,
  splitMeetingData,
  validateStepData,
} from './step-data';
import { routeInputProblem } from './route-inputs';
import { userTask } from './support';
import { tenderTierProblem } from './tender-tiers';
import { completeStep } from './tokens';
import { ActionErrorCode, EngineError, type ActionProblem, type EngineEvent, type MatterState } from './types';

/**
 * The synchronous validator of an action. Returns the first problem, or undefined when the
 * action may be applied. Never mutates.
 */
export function validateAction(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'act' }>,
): ActionProblem | undefined {
  const { actor, action } = event;
  if (state.status === 'ended') return problem(ActionErrorCode.Ended, `the matter has ended (${state.outcome ?? ''})`);

  const matterRoles = matterActionRoles[action];
  if (matterRoles) return validateMatterAction(graph, state, event, matterRoles);

  if (state.status === 'suspended') {
    return problem(
      ActionErrorCode.Suspended,
      'the matter is suspended by an objection; no step may complete until it is resolved',
    );
  }
  const stepId = event.step;
  const task = stepId ? userTask(graph, stepId) : undefined;
  const active = stepId ? state.active[stepId] : undefined;
  if (!stepId || !task || !active) {
    const open = Object.keys(state.active).join(', ') || 'none';
    return problem(ActionErrorCode.StepNotActive, `step ${stepId ?? '(none)'} is not active (active: ${open})`);
  }
  const allowed = actionsFor(task.step, active.phase);
  const roles = allowed[action];
  if (!roles) {
    const names = Object.keys(allowed);
    return problem(
      ActionErrorCode.ActionNotAllowed,
      names.length > 0
        ? `step ${stepId} takes ${names.join(' or ')} now, not ${action}`
        : `step ${stepId} completes by itself when its window ends`,
    );
  }
  if (!roles.some((r) => roleSatisfies(actor.role, r))) {
    return problem(
      ActionErrorCode.RoleNotAllowed,
      `role ${actor.role} may not ${action} at step ${stepId} (allowed: ${roles.join(', ')})`,
    );
  }

  const reason = event.comment?.trim();
  switch (action) {
    case 'object':
    case 'reject':
    case 'object-record':
      if (!reason)
        return problem(ActionErrorCode.ReasonRequired, `${action} needs a reason (comment)`, [
          { field: 'comment', message: 'a reason is required' },
        ]);
      break;
  }
  const recusal = recusalOf(actor, recusalsAt(graph, state, stepId));
  if (recusal) return problem(ActionErrorCode.Recused, recusalMessage(actor, recusal, stepId));
  const dataProblem =
    validateStepData(graph, task.step, action, event.data) ??
    meetingRegisterProblem(state, task.step, event) ??
    (action === 'submit' || action === 'record'
      ? routeInputProblem(graph, state, stepId, task.step, event.data)
      : undefined);
  return (
    dataProblem ?? linkProblem(graph, state, stepId, event.data) ?? tenderTierProblem(graph, state, stepId, event.data)
  );
}

export function applyAction(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'act' }>,
): void {
  const { actor, action, at } = event;
  const reason = event.comment?.trim() || undefined;
  const base = recordedBy(event);

  if (action in matterActionRoles) {
    applyMatterAction(graph, state, event);
    return;
  }
  const stepId = event.step ?? '';
  const task = userTask(graph, stepId);
  const active = state.active[stepId];
  if (!task || !active) throw new EngineError(`step ${stepId} not active`);
  const data = (event.data ?? {}) as Record<string, unknown>;

  switch (action) {
    case 'submit': {
      const parsed = fieldsSchema(task.step.fields).parse(data);
      addRecord(state, at, { ...base, data: parsed, ...(reason ? { reason } : {}) });
      const amountField = task.step.fields.find((f) => f.type === 'amount' && typeof parsed[f.name] === 'number');
      if (amountField) state.amount = parsed[amountField.name] as number;
      completeStep(graph, state, stepId, parsed, at);
      return;
    }
    case 'approve':
    case 'object':
    case 'reject': {
      const decision = action === 'approve' ? 'approved' : action === 'object' ? 'objected' : 'rejected';
      addRecord(state, at, { ...base, decision, ...(reason ? { reason } : {}) });
      completeStep(graph, state, stepId, { decision, ...(reason ? { reason } : {}) }, at);
      return;
    }
    case 'record': {
      const { own, rest } = splitMeetingData(task.step, data);
      const meta = MeetingRecordData.parse(rest);
      const bodies = task.step.bodies ?? [];
      const body = (meta.body ?? bodies[0]) as MeetingBody;
      const rules = MeetingRulesSchema.parse(graph.policy.meetingRules);
      const counts = judgedCounts(state, body, MeetingCountsSchema.parse(rest), event);
      const result = judgeMeeting(body, counts, rules);
      state.meetings.push({
        step: stepId,
        body,
        date: meta.date,
        counts,
        minutesHash: meta.minutesHash,
        result,
        recordedBy: actor.userId,
        status: 'pending-witness',
      });
      active.phase = 'awaiting-witness';
      active.pendingMeeting = state.meetings.length - 1;
      active.pendingFields = own;
      addRecord(state, at, {
        ...base,
        decision: result,
        data: {
          body,
          date: meta.date,
          ...counts,
          minutesHash: meta.minutesHash,
          ...own,
          ...(state.rules?.meetingRegister === true && event.register ? { registerFrom: event.register.from } : {}),
        },
      });
      return;
    }
    case 'confirm':
    case 'object-record': {
      const meeting = state.meetings[active.pendingMeeting ?? -1];
      if (!meeting) throw new EngineError(`no meeting awaits a witness at ${stepId}`);
      const own = active.pendingFields ?? {};
      delete active.pendingFields;
      meeting.witnessedBy = actor.userId;
      active.phase = 'open';
      delete active.pendingMeeting;
      if (action === 'object-record') {
        meeting.status = 'objected';
        addRecord(state, at, { ...base, decision: 'objected', ...(reason ? { reason } : {}) });
        return;
      }
      meeting.status = 'confirmed';
      addRecord(state, at, { ...base, decision: 'confirmed', ...(reason ? { reason } : {}) });
      // An inquorate meeting is recorded as such and held again; it is not a rejection.
      if (meeting.result === 'inquorate') return;
      completeStep(graph, state, stepId, { outcome: meeting.result, body: meeting.body, ...own }, at);
      return;
    }
  }
  throw new EngineError(`unknown action ${action}`);
}
