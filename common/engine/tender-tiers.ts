import type { Label, NodeOfType, ProcedureGraph } from '../graph';
import { chooseFlow, feelName } from './feel';
import { problem } from './problems';
import { userTask } from './support';
import { ActionErrorCode, type ActionProblem, type MatterState } from './types';

/**
 * 招标投标法 Art. 4 (no evading a tender): a matter's money is decided on once, at its link step
 * (a project's registered budget), and what the law requires is chosen from it there: the method
 * gateway's tier (policy thresholds in the conditions) and the major decision above the link
 * threshold. An amount the matter commits to later (the winning bid, the contract, the settlement)
 * is the same money: it may be lower, or higher within the same route, but never so high that the
 * registered amount would have been routed otherwise, nor above the link threshold without a link.
 *
 * The matter is refused, not rerouted: the award and the tender it rests on were made for the
 * registered tier, and no later step can make up a tender that never happened. The way out is in
 * the open: a supervisor objects and the town rules the matter back to the link step, where the
 * true amount routes to its tier (or, above the link threshold, the matter stops and a new one
 * starts linked to a major decision).
 */
export function tenderTierProblem(
  graph: ProcedureGraph,
  state: MatterState,
  stepId: string,
  data: unknown,
): ActionProblem | undefined {
  const link = graph.link;
  const task = userTask(graph, stepId);
  if (state.rules?.tenderTiers !== true || !link || link.step === stepId || !task) return undefined;
  const registered = state.variables[link.step]?.[link.field];
  if (typeof registered !== 'number' || typeof data !== 'object' || data === null) return undefined;
  const values = data as Record<string, unknown>;
  const budget = userTask(graph, link.step)?.step.fields.find((f) => f.name === link.field)?.label ?? {
    zh: link.field,
    en: link.field,
  };
  for (const field of task.step.fields) {
    const amount = values[field.name];
    if (field.type !== 'amount' || typeof amount !== 'number' || amount <= registered) continue;
    const details: { field: string; message: string }[] = [];
    const messages: string[] = [];
    let tierBroken = false;
    for (const gateway of gatewaysReading(graph, `${feelName(link.step)}.${link.field}`)) {
      const taken = [...state.takenFlows].reverse().find((f) => gateway.outgoing.includes(f));
      if (taken === undefined) continue;
      const asRegistered = {
        ...state,
        variables: { ...state.variables, [link.step]: { ...state.variables[link.step], [link.field]: amount } },
      };
      const wouldTake = chooseFlow(graph, asRegistered, gateway);
      if (wouldTake === taken) continue;
      const [now, then] = [routeName(graph, wouldTake), routeName(graph, taken)];
      tierBroken = true;
      messages.push(
        `${field.label.en} (${field.name}) ${amount} is above the ${budget.en} ${registered} registered at ${link.step} and falls under ${now.en}, not ${then.en}: a tender may not be evaded (招标投标法 Art. 4) / ${field.label.zh} ${amount} 超过登记的${budget.zh} ${registered}，属于${now.zh}的范围，不能按${then.zh}办理（招标投标法第四条：不得规避招标）`,
      );
      details.push({ field: `data.${field.name}`, message: `falls under ${now.en} (${now.zh}), not ${then.en}` });
    }
    if (amount > link.above && (state.links ?? []).length === 0) {
      messages.push(
        `${field.label.en} (${field.name}) ${amount} is above ${link.above}: it needs a completed ${link.procedure} of this village linked at the start / ${field.label.zh} ${amount} 超过 ${link.above} 元，须在发起时关联本村已办结的重大事项决策`,
      );
      details.push({ field: `data.${field.name}`, message: `above ${link.above} needs a linked ${link.procedure}` });
    }
    if (messages.length === 0) continue;
    // a wrong tier is the graver fault: with it the record misstates the procedure, not just a link
    return problem(
      tierBroken ? ActionErrorCode.InvalidData : ActionErrorCode.LinkRequired,
      messages.join('; '),
      details,
    );
  }
  return undefined;
}

/** Exclusive gateways whose conditions read `variable` (e.g. the method gateway reads `register.budget`). */
function gatewaysReading(graph: ProcedureGraph, variable: string): NodeOfType<'exclusiveGateway'>[] {
  const reads = new RegExp(`(^|[^A-Za-z0-9_.])${variable.replace('.', '\\.')}(?![A-Za-z0-9_])`);
  return Object.values(graph.nodes).filter(
    (n): n is NodeOfType<'exclusiveGateway'> =>
      n.type === 'exclusiveGateway' && n.outgoing.some((f) => reads.test(graph.flows[f]?.condition ?? '')),
  );
}

/** A route by its flow's name, else the name of the node it leads to. */
function routeName(graph: ProcedureGraph, flowId: string): Label {
  const flow = graph.flows[flowId];
  return flow?.name ?? graph.nodes[flow?.target ?? '']?.name ?? { zh: flowId, en: flowId };
}
