import { actionsFor, objectionActions, recusalsAt, rulingTargets, type MatterState } from './engine';
import type { ProcedureGraph } from './graph';
import type { ActiveStepView, MatterView, ObjectionView } from './matter';
import { chainAll } from './record-chain';

/** The active steps, in the words of the procedure: the view's and the read model's (common/matter-summary.ts). */
export function activeStepViews(graph: ProcedureGraph, state: MatterState): ActiveStepView[] {
  const activeSteps: ActiveStepView[] = [];
  for (const active of Object.values(state.active)) {
    const node = graph.nodes[active.step];
    if (node?.type !== 'userTask') continue;
    const deadline = state.timers.find((t) => t.kind === 'deadline' && t.node === active.step)?.dueAt;
    // a disclosure's notice shows its end date from the day it is published (一事一公开)
    const windowEnd = state.timers.find((t) => t.kind === 'window' && t.node === active.step)?.dueAt;
    const allowed = actionsFor(node.step, active.phase);
    const actions = Object.keys(allowed);
    activeSteps.push({
      id: active.step,
      name: node.name,
      kind: node.step.kind,
      roles: [...new Set(Object.values(allowed).flat())],
      phase: active.phase,
      since: active.since,
      ...(windowEnd !== undefined ? { windowEndsAt: new Date(windowEnd).toISOString() } : {}),
      ...(deadline !== undefined ? { deadline: new Date(deadline).toISOString() } : {}),
      actions,
      recused: [...new Set(recusalsAt(graph, state, active.step).map((r) => r.who))],
      ...((state.openOpinions[active.step] ?? 0) > 0 ? { heldByOpinions: state.openOpinions[active.step] } : {}),
      ...overdue(state, active.step, active.since),
    });
  }
  return activeSteps;
}

/** The deadline timer is gone once it fired; its record entry stays (the newest, so read from the end). */
function overdue(state: MatterState, step: string, since: string): { overdueSince?: string } {
  for (let i = state.record.length - 1; i >= 0; i--) {
    const r = state.record[i];
    if (r === undefined || r.at < since) break;
    if (r.step === step && r.action === 'deadline-passed') return { overdueSince: r.at };
  }
  return {};
}

/** What the `state` query returns: the state, in the words of the procedure. */
export function viewOf(graph: ProcedureGraph, state: MatterState): MatterView {
  const activeSteps = activeStepViews(graph, state);
  return {
    matterId: state.matterId,
    procedure: { id: state.procedureId, version: state.version, name: graph.name },
    village: state.village,
    title: state.title,
    initiator: state.initiator,
    startedAt: state.startedAt,
    status: state.status,
    ...(state.outcome !== undefined && state.status === 'ended' ? { outcome: state.outcome } : {}),
    ...(state.amount !== undefined ? { amount: state.amount } : {}),
    links: state.links ?? [],
    warnings: state.warnings ?? [],
    activeSteps,
    completedSteps: state.completedSteps,
    takenFlows: state.takenFlows,
    meetings: state.meetings,
    objections: state.objections.map((o) => objectionView(graph, state, o)),
    notices: state.notices,
    // a state carried from older code has no links yet: they are computed the same way the engine would
    record: chainAll(state.record),
  };
}

/**
 * An objection the town may still rule on carries the steps an upheld ruling may send the matter
 * back to: the engine's own rule, so the form offers exactly what the validator accepts.
 */
function objectionView(
  graph: ProcedureGraph,
  state: MatterState,
  objection: MatterState['objections'][number],
): ObjectionView {
  if (state.status === 'ended' || !objectionActions(objection).includes('rule-objection')) return objection;
  return { ...objection, rulingTargets: rulingTargets(graph, state, objection) };
}
