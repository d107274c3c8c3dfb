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
export function markersFor(view: MarkedView): Marker[] {
  const markers: Marker[] = [];
  const active = new Set(view.activeSteps.map((s) => s.id));
  for (const id of new Set(view.completedSteps)) if (!active.has(id)) markers.push({ id, cls: MARKER.done });
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
