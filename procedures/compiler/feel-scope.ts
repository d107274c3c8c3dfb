import type { CompileContext } from './context';
import { idOf } from './moddle';

/**
 * A condition may read only steps that have completed on every path to its gateway: a step that was
 * skipped has no outputs, feelin reads them as null, and "no condition holds" months into a matter.
 *
 * One forward dataflow pass over the graph (a "must" analysis, like available expressions) gives, for
 * every node, the steps completed on every path that reaches it; only the steps some condition reads
 * are tracked, one bit each. A node has, of its predecessors' sets, the intersection (any path may be
 * the one taken), but a parallel join the union (it fires only when every branch has arrived); a
 * boundary timer has its step's set without the step (it fires while the step is still open).
 */
export function checkReadsRan(ctx: CompileContext, startEvent: string): void {
  const tracked = [...new Set([...ctx.conditionReads.values()].flat())];
  if (tracked.length === 0) return;
  const ran = stepsRunOnEveryPath(ctx, startEvent, tracked);
  const readers = new Map<string, string[]>();
  for (const [flowId, steps] of ctx.conditionReads) {
    for (const step of steps) readers.set(step, [...(readers.get(step) ?? []), flowId]);
  }
  for (const [step, flows] of readers) {
    for (const flowId of flows) {
      const gateway = ctx.flowEnds.get(flowId)?.source;
      const flow = ctx.flowsById.get(flowId);
      if (!flow || gateway === undefined || ran(gateway)?.has(step) !== false) continue;
      ctx.problems.at(
        flow,
        'feel-step-not-run',
        `FEEL condition reads step ${step}, but a path reaches gateway ${gateway} without completing ${step}: test it on a path through ${step} only, or give the gateway a default flow and read a step every path passes`,
      );
    }
  }
}

/**
 * For each node reachable from the start, which of `tracked` have completed on every path to it
 * (undefined for a node the start does not reach). Sets are bit rows, iterated in reverse postorder
 * until nothing changes: one pass for a graph without loops, a few more with them.
 */
function stepsRunOnEveryPath(
  ctx: CompileContext,
  startEvent: string,
  tracked: string[],
): (node: string) => Set<string> | undefined {
  const bit = new Map(tracked.map((step, i) => [step, i]));
  const words = Math.ceil(tracked.length / 32);
  const order = reversePostorder(ctx, startEvent);
  const index = new Map(order.map((id, i) => [id, i]));
  /** node → where its predecessors' sets come from: a flow's source (its set and itself), or a boundary's host (its set only) */
  const hosts = new Map([...ctx.boundaries].flatMap(([host, events]) => events.map((b) => [idOf(b), host] as const)));
  const preds = order.map((id) => {
    const fromFlows = ctx.in(id).flatMap((f) => {
      const source = ctx.flowEnds.get(f)?.source;
      const at = source === undefined ? undefined : index.get(source);
      return at === undefined ? [] : [{ at, withSelf: true }];
    });
    const host = hosts.get(id);
    const hostAt = host === undefined ? undefined : index.get(host);
    return hostAt === undefined ? fromFlows : [...fromFlows, { at: hostAt, withSelf: false }];
  });
  const join = order.map((id) => ctx.byId.get(id)?.$type === 'bpmn:ParallelGateway' && ctx.in(id).length > 1);
  const own = order.map((id) => bit.get(id));
  // every set starts full (nothing yet disproves a step) except the start's, which is empty
  const sets = new Uint32Array(order.length * words).fill(0xffffffff);
  sets.fill(0, 0, words);
  const row = new Uint32Array(words);
  for (let changed = true; changed;) {
    changed = false;
    for (let n = 1; n < order.length; n += 1) {
      const from = preds[n] ?? [];
      row.fill(join[n] ? 0 : 0xffffffff);
      for (const { at, withSelf } of from) {
        const self = withSelf ? own[at] : undefined;
        for (let w = 0; w < words; w += 1) {
          let value = sets[at * words + w] ?? 0;
          if (self !== undefined && self >>> 5 === w) value |= 1 << (self & 31);
          row[w] = join[n] ? (row[w] ?? 0) | value : (row[w] ?? 0) & value;
        }
      }
      for (let w = 0; w < words; w += 1) {
        if (sets[n * words + w] !== row[w]) {
          sets[n * words + w] = row[w] ?? 0;
          changed = true;
        }
      }
    }
  }
  return (node) => {
    const n = index.get(node);
    if (n === undefined) return undefined;
    return new Set(tracked.filter((_, i) => ((sets[n * words + (i >>> 5)] ?? 0) >>> (i & 31)) & 1));
  };
}

/** The nodes reachable from the start, each after all its predecessors except along loops. */
function reversePostorder(ctx: CompileContext, startEvent: string): string[] {
  const next = (id: string): string[] => [
    ...ctx.out(id).flatMap((f) => ctx.flowEnds.get(f)?.target ?? []),
    ...(ctx.boundaries.get(id) ?? []).map(idOf),
  ];
  const post: string[] = [];
  const seen = new Set<string>([startEvent]);
  // an explicit stack: a chain of ten thousand steps would overflow the call stack
  const stack: { id: string; successors: string[]; i: number }[] = [
    { id: startEvent, successors: next(startEvent), i: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (!top) break;
    const successor = top.successors[top.i];
    top.i += 1;
    if (successor === undefined) {
      post.push(top.id);
      stack.pop();
    } else if (!seen.has(successor)) {
      seen.add(successor);
      stack.push({ id: successor, successors: next(successor), i: 0 });
    }
  }
  return post.reverse();
}
