import type { Sinks } from '@temporalio/workflow';
import { matterActionRoles, objectionActions, type MatterState } from './engine';
import type { ProcedureGraph, Role } from './graph';
import type { MatterView } from './matter';
import { factsOf, type MatterFacts } from './matter-facts';
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
> & {
  v: typeof SUMMARY_VERSION;
  /** what the reports need of the record (absent in summaries of older code: read the full view) */
  facts?: MatterFacts;
};

/** The row a matter writes of itself in the projection every list reads (stores/read-model/projection.ts). */
export interface ProjectedMatter {
  summary: MatterSummary;
  /** the roles that may act now (`waitingOn`) */
  waitingOn: readonly Role[];
  /** matters this one links to */
  links: readonly string[];
  /** epoch ms the matter ended (workflow time), for an ended one */
  closedAt?: number;
}

/**
 * How a matter writes its row: a sink, called by the worker once the matter's task is done and before
 * its completion (and so the answer to the action) goes to the server. A sink adds nothing to the
 * history and is not called while a history replays, so the matter's course and replay stay as they were.
 */
export interface ProjectionSinks extends Sinks {
  projection: { put(row: ProjectedMatter): void };
}

/** `withFacts`: the workflow's patch decides (a matter recorded before facts replays without them). */
export function summaryOf(graph: ProcedureGraph, state: MatterState, withFacts = true): MatterSummary {
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
    ...(withFacts ? { facts: factsOf({ ...state, procedure: state.procedureId }) } : {}),
  };
}

/** What an objection waits for: the engine's one rule (common/engine/objections.ts). */
export { objectionActions };

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
