import type { Flow, GraphNode } from '../../common/graph';
import { CompileContext, type Compiled } from './context';
import { checkDiagram } from './diagram';
import { checkGateway, compileFlow } from './flows';
import { compileLink, compileSplit, PROCEDURE_ID } from './link';
import { text, type El } from './moddle';
import { compileNode } from './nodes';
import type { Problems } from './problems';
import { checkSoundness } from './soundness';
import { checkStepNames } from './steps';
import { checkStructure, collectElements, connectFlows } from './structure';

/** The passes over one process, in order: each may read what the ones before found. */
export function compileProcess(
  process: El,
  policyValues: Record<string, unknown>,
  problems: Problems,
  drawn: Set<string>,
): Compiled | undefined {
  const ctx = new CompileContext(process, policyValues, problems);
  const id = text(process, 'id') ?? '';
  if (!PROCEDURE_ID.test(id)) {
    problems.at(process, 'bad-procedure-id', 'the process id names the procedure: lower-case words and hyphens');
  }
  const name = ctx.label(process, true);
  collectElements(ctx);
  connectFlows(ctx);

  const nodes: Record<string, GraphNode> = {};
  for (const el of ctx.elements) {
    const body = compileNode(ctx, el);
    if (body) nodes[body.id] = { ...body, incoming: ctx.in(body.id), outgoing: ctx.out(body.id) };
  }
  checkStepNames(ctx);
  const flows: Record<string, Flow> = {};
  for (const el of ctx.sequenceFlows) {
    const flow = compileFlow(ctx, el);
    if (flow) flows[flow.id] = flow;
  }
  for (const el of ctx.elements) if (el.$type === 'bpmn:ExclusiveGateway') checkGateway(ctx, el, nodes);
  const startEvent = checkStructure(ctx);
  const link = compileLink(ctx, nodes);
  const split = compileSplit(ctx, nodes);
  checkDiagram(ctx, drawn);
  if (startEvent === undefined) return undefined;
  // Only a graph without other problems: a broken node would make the token game report nonsense.
  if (problems.list.length === 0) checkSoundness(nodes, flows, startEvent, problems);
  return {
    id,
    name,
    startEvent,
    nodes,
    flows,
    policyKeys: [...ctx.usedPolicy],
    ...(link ? { link } : {}),
    ...(split ? { split } : {}),
  };
}
