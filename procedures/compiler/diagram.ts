import type { CompileContext } from './context';
import { child, children, idOf, type El } from './moddle';
import { DOCUMENT } from './problems';

/** The ids of the elements the file draws (bpmndi shapes and edges). */
export function drawnElements(definitions: El): Set<string> {
  const drawn = new Set<string>();
  for (const diagram of children(definitions, 'diagrams')) {
    const plane = child(diagram, 'plane');
    for (const shape of plane ? children(plane, 'planeElement') : []) {
      const element = child(shape, 'bpmnElement');
      if (element) drawn.add(idOf(element));
    }
  }
  return drawn;
}

/** The published flowchart is drawn from the file: a flow element without diagram data cannot be shown. */
export function checkDiagram(ctx: CompileContext, drawn: Set<string>): void {
  const fix = 'open the file in a BPMN modeler (e.g. bpmn.io) and save it, which draws every element';
  if (drawn.size === 0) {
    ctx.problems.add(DOCUMENT, 'bpmndi:BPMNDiagram', 'missing-diagram', `the file has no diagram data: ${fix}`);
    return;
  }
  for (const el of [...ctx.elements, ...ctx.sequenceFlows]) {
    if (!drawn.has(idOf(el))) ctx.problems.at(el, 'missing-diagram', `has no shape or edge in the diagram: ${fix}`);
  }
}
