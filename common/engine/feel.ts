import { evaluate } from 'feelin';
import type { NodeOfType, ProcedureGraph } from '../graph';
import { EngineError, type MatterState } from './types';

/** FEEL names cannot contain `-` (it is subtraction): step `party-review` is `partyReview` there. */
export function feelName(stepId: string): string {
  return stepId.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function feelContext(graph: ProcedureGraph, state: MatterState): Record<string, unknown> {
  const steps: Record<string, unknown> = {};
  for (const [stepId, vars] of Object.entries(state.variables)) steps[feelName(stepId)] = vars;
  return { ...steps, policy: graph.policy, matter: { village: state.village, procedure: state.procedureId } };
}

export function chooseFlow(graph: ProcedureGraph, state: MatterState, gateway: NodeOfType<'exclusiveGateway'>): string {
  const context = feelContext(graph, state);
  for (const flowId of gateway.outgoing) {
    if (flowId === gateway.default) continue;
    const condition = graph.flows[flowId]?.condition;
    if (condition === undefined) continue;
    // feelin returns null for a comparison with a missing value: that is "not taken".
    if (evaluate(condition, context).value === true) return flowId;
  }
  if (gateway.default) return gateway.default;
  throw new EngineError(`gateway ${gateway.id}: no condition holds and there is no default flow`);
}
