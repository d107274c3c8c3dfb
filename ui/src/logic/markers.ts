import type { ProcedureGraph } from '../../../common/graph';
import type { MatterView } from '../../../common/matter';

/** CSS classes the diagram uses; the browser tests read them back from the DOM. */
export const MARKER = {
  active: 'step-active',
  done: 'step-done',
  flow: 'flow-taken',
  suspended: 'step-suspended',
  witness: 'step-awaiting-witness',
} as const;

export interface Marker {
  id: string;
  cls: string;
}

type MarkedView = Pick<MatterView, 'status' | 'activeSteps' | 'completedSteps' | 'takenFlows'>;

/**
 * The markers a matter's state puts on its flowchart. A step that was done and is active again
 * (sent back for revision) shows as active only: what a reader needs is where the matter is now.
 */
export function markersFor(view: MarkedView, graph?: Pick<ProcedureGraph, 'flows' | 'nodes'>): Marker[] {
  const markers: Marker[] = [];
  const active = new Set(view.activeSteps.map((s) => s.id));
  const done = new Set(view.completedSteps);
  // with the graph, the events and gateways the matter passed through (and the end it reached) are done too
  if (graph) {
    for (const flowId of view.takenFlows) {
      const flow = graph.flows[flowId];
      if (!flow) continue;
      for (const id of [flow.source, flow.target]) if (graph.nodes[id]?.type !== 'userTask') done.add(id);
    }
  }
  for (const id of done) if (!active.has(id)) markers.push({ id, cls: MARKER.done });
  for (const step of view.activeSteps) {
    markers.push({ id: step.id, cls: MARKER.active });
    if (view.status === 'suspended') markers.push({ id: step.id, cls: MARKER.suspended });
    if (step.phase === 'awaiting-witness') markers.push({ id: step.id, cls: MARKER.witness });
  }
  for (const id of new Set(view.takenFlows)) markers.push({ id, cls: MARKER.flow });
  return markers;
}

const key = (m: Marker): string => `${m.id}\u0000${m.cls}`;

/** What to add and remove to go from the markers drawn to the markers wanted, without redrawing. */
export function markerDiff(drawn: readonly Marker[], wanted: readonly Marker[]): { add: Marker[]; remove: Marker[] } {
  const have = new Set(drawn.map(key));
  const want = new Set(wanted.map(key));
  return {
    add: wanted.filter((m) => !have.has(key(m))),
    remove: drawn.filter((m) => !want.has(key(m))),
  };
}
