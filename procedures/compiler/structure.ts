import type { CompileContext } from './context';
import { child, children, idOf, xmlName, type El } from './moddle';

const NODE_TYPES = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
]);
/** Not flow nodes: no flow enters or leaves them, so they take no part in the graph checks. */
const DATA_TYPES = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
const ALLOWED_ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association']);

export function collectElements(ctx: CompileContext): void {
  for (const el of children(ctx.process, 'flowElements')) {
    if (el.$type === 'bpmn:SequenceFlow') {
      ctx.sequenceFlows.push(el);
      ctx.flowsById.set(idOf(el), el);
      continue;
    }
    if (!NODE_TYPES.has(el.$type)) {
      ctx.problems.at(el, 'unsupported-element', 'not in the supported BPMN subset (see procedures/README.md)');
      if (DATA_TYPES.has(el.$type)) continue;
    }
    // Unsupported flow nodes stay in the graph checks, so one bad element gives one problem.
    ctx.elements.push(el);
    ctx.byId.set(idOf(el), el);
    const host = hostOf(el);
    if (host !== undefined) ctx.boundaries.set(host, [...(ctx.boundaries.get(host) ?? []), el]);
  }
  for (const el of children(ctx.process, 'artifacts')) {
    if (!ALLOWED_ARTIFACTS.has(el.$type)) {
      ctx.problems.at(el, 'unsupported-element', 'not in the supported BPMN subset (see procedures/README.md)');
    }
  }
}

export function connectFlows(ctx: CompileContext): void {
  for (const flow of ctx.sequenceFlows) {
    const source = child(flow, 'sourceRef');
    const target = child(flow, 'targetRef');
    const ends = [
      ['sourceRef', source],
      ['targetRef', target],
    ] as const;
    let ok = true;
    for (const [attribute, end] of ends) {
      if (!end || !ctx.byId.has(idOf(end))) {
        ok = false;
        const what = end ? `${idOf(end)}, a ${xmlName(end.$type)}` : 'nothing';
        ctx.problems.at(flow, 'bad-flow-endpoint', `${attribute} is ${what}, not a flow node of this process`);
      }
    }
    if (!ok || !source || !target) continue;
    const flowId = idOf(flow);
    ctx.flowEnds.set(flowId, { source: idOf(source), target: idOf(target) });
    push(ctx.outgoing, idOf(source), flowId);
    push(ctx.incoming, idOf(target), flowId);
  }
}

/** Returns the start event's id, or undefined when there is not exactly one. */
export function checkStructure(ctx: CompileContext): string | undefined {
  const starts = ctx.elements.filter((el) => el.$type === 'bpmn:StartEvent');
  if (starts.length !== 1) {
    ctx.problems.at(
      ctx.process,
      'start-event-count',
      `a procedure has exactly one start event, found ${starts.length}`,
    );
  }
  for (const el of ctx.elements) {
    const id = idOf(el);
    const into = ctx.in(id);
    const from = ctx.out(id);
    if (el.$type === 'bpmn:StartEvent' && into.length > 0) {
      ctx.problems.at(el, 'start-event-incoming', `nothing flows into a start event (${into.join(', ')})`);
    }
    if (el.$type === 'bpmn:EndEvent' && from.length > 0) {
      ctx.problems.at(el, 'end-event-outgoing', `nothing flows out of an end event (${from.join(', ')})`);
    }
    if (el.$type === 'bpmn:BoundaryEvent' && into.length > 0) {
      ctx.problems.at(
        el,
        'boundary-event-incoming',
        `a boundary event starts with its step, not from a flow (${into.join(', ')})`,
      );
    }
  }
  const start = starts.length === 1 ? starts[0] : undefined;
  if (!start) return undefined;

  const reached = walk([idOf(start)], (id) => [
    ...ctx.out(id).map((f) => ctx.flowEnds.get(f)?.target),
    ...(ctx.boundaries.get(id) ?? []).map(idOf),
  ]);
  const ends = ctx.elements.filter((el) => el.$type === 'bpmn:EndEvent').map(idOf);
  // A step must reach an end through its own flows: leaving only by a timer would strand a completed step.
  const finishing = walk(ends, (id) => ctx.in(id).map((f) => ctx.flowEnds.get(f)?.source));
  for (const el of ctx.elements) {
    const id = idOf(el);
    if (!reached.has(id)) ctx.problems.at(el, 'unreachable', 'cannot be reached from the start event');
    if (!finishing.has(id)) ctx.problems.at(el, 'no-path-to-end', 'no path leads from here to an end event');
  }
  return idOf(start);
}

function hostOf(el: El): string | undefined {
  const host = child(el, 'attachedToRef');
  return host ? idOf(host) : undefined;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function walk(from: string[], next: (id: string) => (string | undefined)[]): Set<string> {
  const seen = new Set<string>(from);
  const queue = [...from];
  // An index, not shift(): shifting a long array is linear, and the walk would be quadratic.
  for (let i = 0, id = queue[0]; id !== undefined; i += 1, id = queue[i]) {
    for (const to of next(id)) {
      if (to !== undefined && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}
