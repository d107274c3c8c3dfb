import type { Label, ProcedureGraph } from '../../../common/graph';
import type { MatterView } from '../../../common/matter';

/**
 * The flowchart in words, for a phone: the steps done (in the order they were done), the steps
 * open now, and the steps that may come next (the user tasks reachable from the open ones through
 * gateways, events and automatic actions, before any other user task).
 */

export interface StepLine {
  id: string;
  name: Label;
  state: 'done' | 'now' | 'next';
  /** now: when the step is due (or the notice ends) */
  dueAt?: string;
}

type ListedView = Pick<MatterView, 'status' | 'activeSteps' | 'completedSteps'>;

function nextSteps(graph: ProcedureGraph, from: string[]): string[] {
  const out = new Map<string, string>();
  const seen = new Set<string>(from);
  const queue = [...from];
  const outgoing = (id: string) => Object.values(graph.flows).filter((f) => f.source === id);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const flow of outgoing(id)) {
      const target = graph.nodes[flow.target];
      if (!target || seen.has(target.id)) continue;
      seen.add(target.id);
      if (target.type === 'userTask') out.set(target.id, target.id);
      else if (target.type !== 'endEvent') queue.push(target.id);
    }
  }
  return [...out.keys()];
}

export function stepLines(view: ListedView, graph: ProcedureGraph | undefined): StepLine[] {
  const name = (id: string): Label => graph?.nodes[id]?.name ?? { zh: id, en: id };
  const active = new Set(view.activeSteps.map((s) => s.id));
  const lines: StepLine[] = [];
  const listed = new Set<string>();
  for (const id of view.completedSteps) {
    if (active.has(id) || listed.has(id) || graph?.nodes[id]?.type === 'boundaryTimerEvent') continue;
    if (graph && graph.nodes[id]?.type !== 'userTask') continue;
    listed.add(id);
    lines.push({ id, name: name(id), state: 'done' });
  }
  for (const s of view.activeSteps) {
    const dueAt = s.windowEndsAt ?? s.deadline;
    lines.push({ id: s.id, name: s.name, state: 'now', ...(dueAt ? { dueAt } : {}) });
  }
  if (graph && view.status !== 'ended') {
    for (const id of nextSteps(graph, [...active])) {
      if (!active.has(id)) lines.push({ id, name: name(id), state: 'next' });
    }
  }
  return lines;
}
