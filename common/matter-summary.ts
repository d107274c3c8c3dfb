import { matterActionRoles, type MatterState } from './engine';
import type { ProcedureGraph, Role } from './graph';
import type { MatterView } from './matter';
import { activeStepViews } from './matter-view';

/**
 * The read model of a matter (issue 12): what every list needs, published by the workflow itself
 * whenever it changes, as the memo `summary` of its visibility row, beside the search attributes
 * that select rows (village, status, who may act now). Lists read these rows, never the workflow.
 */

/** Memo key of the summary. */
export const SUMMARY_MEMO = 'summary';

/** Bumped when the shape changes; a reader treats another version as missing. */
export const SUMMARY_VERSION = 1;

export type MatterSummary = Pick<
  MatterView,
  | 'matterId'
  | 'procedure'
  | 'village'
  | 'title'
  | 'initiator'
  | 'startedAt'
  | 'status'
  | 'outcome'
  | 'amount'
  | 'activeSteps'
  | 'objections'
  | 'notices'
> & { v: typeof SUMMARY_VERSION };

export function summaryOf(graph: ProcedureGraph, state: MatterState): MatterSummary {
  return {
    v: SUMMARY_VERSION,
    matterId: state.matterId,
    procedure: { id: state.procedureId, version: state.version, name: graph.name },
    village: state.village,
    title: state.title,
    initiator: state.initiator,
    startedAt: state.startedAt,
    status: state.status,
    ...(state.outcome !== undefined && state.status === 'ended' ? { outcome: state.outcome } : {}),
    ...(state.amount !== undefined ? { amount: state.amount } : {}),
    activeSteps: activeStepViews(graph, state),
    objections: state.objections,
    notices: state.notices,
  };
}

/** What an objection waits for: the committee answers, then the supervisors accept or the town rules. */
export function objectionActions(objection: MatterView['objections'][number]): string[] {
  if (objection.status === 'open') return ['answer-objection'];
  if (objection.status === 'answered') return ['accept-answer', 'rule-objection'];
  return [];
}

/**
 * The roles that may act on the matter now (a step's or an objection's): the `MatterWaitingOn`
 * search attribute, so that a task list selects only the matters waiting on the user's roles.
 * A suspended matter waits on its objections, not on its steps.
 */
export function waitingOn(summary: Pick<MatterSummary, 'status' | 'activeSteps' | 'objections'>): Role[] {
  if (summary.status === 'ended') return [];
  const roles = new Set<Role>();
  if (summary.status === 'running') {
    for (const step of summary.activeSteps) if (step.actions.length > 0) step.roles.forEach((r) => roles.add(r));
  }
  for (const objection of summary.objections) {
    for (const action of objectionActions(objection)) (matterActionRoles[action] ?? []).forEach((r) => roles.add(r));
  }
  return [...roles].sort();
}
