import type { CompileContext } from './context';
import { idOf } from './moddle';

/**
 * A condition may read only steps that have completed on every path to its gateway: a step that was
 * skipped has no outputs, feelin reads them as null, and "no condition holds" months into a matter.
 * For each step a condition reads: walk from the start without completing that step (its boundary
 * timers may still fire; a parallel join is passed only when every incoming branch got there without
 * it). A gateway reached that way reads a step that may not have run.
 */
export function checkReadsRan(ctx: CompileContext, startEvent: string): void {
  const readers = new Map<string, string[]>();
  for (const [flowId, steps] of ctx.conditionReads) {
    for (const step of steps) readers.set(step, [...(readers.get(step) ?? []), flowId]);
  }
  for (const [step, flows] of readers) {
    const reached = reachableWithout(ctx, startEvent, step);
    for (const flowId of flows) {
      const gateway = ctx.flowEnds.get(flowId)?.source;
      if (gateway === undefined || !reached.has(gateway)) continue;
      const flow = ctx.flowsById.get(flowId);
      if (!flow) continue;
      ctx.problems.at(
        flow,
        'feel-step-not-run',
        `FEEL condition reads step ${step}, but a path reaches gateway ${gateway} without completing ${step}: test it on a path through ${step} only, or give the gateway a default flow and read a step every path passes`,
      );
    }
  }
}

function reachableWithout(ctx: CompileContext, startEvent: string, step: string): Set<string> {
  const reached = new Set<string>([startEvent]);
  const arrivedFlows = new Set<string>();
  const queue = [startEvent];
  const visit = (id: string) => {
    if (!reached.has(id)) {
      reached.add(id);
      queue.push(id);
    }
  };
  for (let i = 0, id = queue[0]; id !== undefined; i += 1, id = queue[i]) {
    for (const boundary of ctx.boundaries.get(id) ?? []) visit(idOf(boundary));
    if (id === step) continue;
    for (const flowId of ctx.out(id)) {
      const target = ctx.flowEnds.get(flowId)?.target;
      if (target === undefined) continue;
      arrivedFlows.add(flowId);
      const incoming = ctx.in(target);
      const join = ctx.byId.get(target)?.$type === 'bpmn:ParallelGateway' && incoming.length > 1;
      if (!join || incoming.every((f) => arrivedFlows.has(f))) visit(target);
    }
  }
  return reached;
}
