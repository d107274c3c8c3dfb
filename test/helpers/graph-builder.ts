import type { Duration, Flow, GraphNode, ProcedureGraph, Step } from '../../common/graph';
import path from 'node:path';
import { MeetingRulesSchema, type MeetingRules } from '../../common/meeting';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';

/** Hand-built graphs for engine tests, so the engine is tested apart from the compiler. */

/** The district's own rules (procedures/policies/luojiang.json), so engine tests follow the policy text. */
export const LEGAL_MEETING_RULES: MeetingRules = MeetingRulesSchema.parse(
  policyValuesAt(
    loadPolicyFile(path.join(__dirname, '..', '..', 'procedures', 'policies', 'luojiang.json')),
    '2026-01-01',
  ).meetingRules,
);

type NodeSpec =
  | { type: 'startEvent' }
  | { type: 'endEvent'; outcome: string }
  | { type: 'userTask'; step: Partial<Step> & Pick<Step, 'kind' | 'roles'> }
  | { type: 'serviceTask'; action: string }
  | { type: 'exclusiveGateway'; default?: string }
  | { type: 'parallelGateway' }
  | { type: 'timerCatchEvent'; duration: Duration }
  | { type: 'boundaryTimerEvent'; attachedTo: string; interrupting: boolean; duration: Duration };

export function buildGraph(
  nodes: Record<string, NodeSpec>,
  flows: [id: string, source: string, target: string, condition?: string][],
  policy: Record<string, unknown> = { meetingRules: LEGAL_MEETING_RULES },
): ProcedureGraph {
  const graphNodes: Record<string, GraphNode> = {};
  for (const [id, spec] of Object.entries(nodes)) {
    const incoming = flows.filter((f) => f[2] === id).map((f) => f[0]);
    const outgoing = flows.filter((f) => f[1] === id).map((f) => f[0]);
    const common = { id, name: { zh: id, en: id }, incoming, outgoing };
    graphNodes[id] =
      spec.type === 'userTask'
        ? { ...common, type: 'userTask', step: { fields: [], ...spec.step } }
        : { ...common, ...spec };
  }
  const graphFlows: Record<string, Flow> = {};
  for (const [id, source, target, condition] of flows) {
    graphFlows[id] = { id, source, target, ...(condition ? { condition } : {}) };
  }
  const start = Object.entries(nodes).find(([, spec]) => spec.type === 'startEvent')?.[0] ?? 'start';
  return {
    id: 'test-procedure',
    name: { zh: '测试', en: 'Test' },
    version: '0123456789abcdef',
    policy,
    startEvent: start,
    nodes: graphNodes,
    flows: graphFlows,
  };
}
