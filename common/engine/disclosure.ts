import type { ProcedureGraph } from '../graph';
import { addRecord } from './record';
import { userTask } from './support';
import { completeStep } from './tokens';
import type { EngineEvent, MatterState } from './types';

/** Disclosure windows and the opinions that hold them open (民意直通车). */

export function completeDisclosure(graph: ProcedureGraph, state: MatterState, stepId: string, at: number): void {
  addRecord(state, at, { userId: 'system', role: 'system', step: stepId, action: 'disclosure-ended' });
  completeStep(graph, state, stepId, { opinions: opinionsFiledIn(state, stepId) }, at);
}

/** Opinions filed while this activation of the disclosure was open (FEEL `<step>.opinions`). */
export function opinionsFiledIn(state: MatterState, stepId: string): number {
  const since = state.active[stepId]?.since ?? '';
  return state.record.filter((r) => {
    const steps = r.data?.steps;
    return r.action === 'opinion-filed' && r.at >= since && Array.isArray(steps) && steps.includes(stepId);
  }).length;
}

/**
 * 民意直通车: an opinion filed while a disclosure of this matter is open holds that disclosure
 * from completing (even after its window ends) until the opinion is answered. Idempotent per
 * opinion id, since a signal may be delivered again after a retry.
 */
export function holdForOpinion(
  graph: ProcedureGraph,
  state: MatterState,
  event: Extract<EngineEvent, { type: 'opinion-filed' | 'opinion-answered' }>,
): void {
  const holds = (state.opinionHolds ??= {});
  const base = { userId: 'system', role: 'system' } as const;
  if (event.type === 'opinion-filed') {
    if (state.status === 'ended' || event.opinionId in holds) return;
    const steps = Object.keys(state.active).filter((id) => userTask(graph, id)?.step.kind === 'disclosure');
    holds[event.opinionId] = steps;
    for (const id of steps) state.openOpinions[id] = (state.openOpinions[id] ?? 0) + 1;
    addRecord(state, event.at, {
      ...base,
      step: steps[0] ?? null,
      action: 'opinion-filed',
      data: { opinionId: event.opinionId, steps },
    });
    return;
  }
  const steps = holds[event.opinionId];
  if (steps === undefined) return;
  delete holds[event.opinionId];
  if (state.status === 'ended') return;
  for (const id of steps) state.openOpinions[id] = Math.max(0, (state.openOpinions[id] ?? 0) - 1);
  addRecord(state, event.at, {
    ...base,
    step: steps[0] ?? null,
    action: 'opinion-answered',
    data: { opinionId: event.opinionId, steps },
  });
  if (state.status !== 'running') return;
  for (const id of steps) {
    if (state.active[id]?.windowEnded && (state.openOpinions[id] ?? 0) === 0)
      completeDisclosure(graph, state, id, event.at);
  }
}
