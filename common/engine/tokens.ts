import type { NodeOfType, ProcedureGraph } from '../graph';
import { chooseFlow } from './feel';
import { addRecord } from './record';
import { noteParties } from './recusal';
import { iso, node } from './support';
import { addTimer } from './timers';
import { EngineError, type MatterState } from './types';

/** Token movement: leaving a node along its flows, entering the next, joins, and the end. */

export function leave(graph: ProcedureGraph, state: MatterState, nodeId: string, at: number): void {
  const from = node(graph, nodeId);
  if (from.type === 'exclusiveGateway') {
    take(graph, state, chooseFlow(graph, state, from), at);
    return;
  }
  for (const flowId of from.outgoing) take(graph, state, flowId, at);
}

export function take(graph: ProcedureGraph, state: MatterState, flowId: string, at: number): void {
  const flow = graph.flows[flowId];
  if (!flow) throw new EngineError(`unknown flow ${flowId}`);
  state.takenFlows.push(flowId);
  enter(graph, state, flow.target, flowId, at);
}

export function enter(graph: ProcedureGraph, state: MatterState, nodeId: string, viaFlow: string, at: number): void {
  const target = node(graph, nodeId);
  switch (target.type) {
    case 'startEvent':
      throw new EngineError(`flow ${viaFlow} enters the start event`);
    case 'endEvent': {
      // A path that only a non-interrupting timer opens (a reminder, an escalation) does not
      // decide how the matter ended: the main path does, whichever finishes first.
      const sidePath = !reachableFromStart(graph).has(target.id);
      if (!sidePath || state.outcome === undefined) state.outcome = target.outcome;
      if (state.tokens.length === 0) endMatter(state, state.outcome ?? target.outcome, at);
      return;
    }
    case 'userTask':
      activate(graph, state, target, at);
      return;
    case 'serviceTask':
      state.tokens.push(target.id);
      state.pendingServiceTasks.push(target.id);
      return;
    case 'exclusiveGateway':
      leave(graph, state, target.id, at);
      return;
    case 'parallelGateway': {
      if (target.incoming.length <= 1) {
        leave(graph, state, target.id, at);
        return;
      }
      const arrived = new Set([...(state.joins[target.id] ?? []), viaFlow]);
      if (target.incoming.every((f) => arrived.has(f))) {
        delete state.joins[target.id];
        leave(graph, state, target.id, at);
      } else {
        state.joins[target.id] = [...arrived];
      }
      return;
    }
    case 'timerCatchEvent':
      state.tokens.push(target.id);
      addTimer(state, {
        id: `${target.id}#${state.seq}-${state.takenFlows.length}`,
        kind: 'catch',
        node: target.id,
        duration: target.duration,
        from: at,
      });
      return;
    case 'boundaryTimerEvent':
      throw new EngineError(`flow ${viaFlow} enters boundary event ${target.id}`);
  }
}

export const reachableCache = new WeakMap<ProcedureGraph, Set<string>>();

/** Nodes reachable from the start event along sequence flows (boundary events are not). */
export function reachableFromStart(graph: ProcedureGraph): Set<string> {
  const cached = reachableCache.get(graph);
  if (cached) return cached;
  const seen = new Set<string>([graph.startEvent]);
  const queue = [graph.startEvent];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const flowId of graph.nodes[id]?.outgoing ?? []) {
      const target = graph.flows[flowId]?.target;
      if (target !== undefined && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  reachableCache.set(graph, seen);
  return seen;
}

export function endMatter(state: MatterState, outcome: string, at: number): void {
  state.status = 'ended';
  state.outcome = outcome;
  state.active = {};
  state.timers = [];
  state.tokens = [];
  addRecord(state, at, { userId: 'system', role: 'system', step: null, action: 'end', decision: outcome });
}

export function activate(graph: ProcedureGraph, state: MatterState, task: NodeOfType<'userTask'>, at: number): void {
  state.tokens.push(task.id);
  state.active[task.id] = { step: task.id, since: iso(at), phase: 'open' };
  const step = task.step;
  if (step.deadline)
    addTimer(state, {
      id: `${task.id}#deadline-${state.seq}`,
      kind: 'deadline',
      node: task.id,
      duration: step.deadline,
      from: at,
    });
  if (step.kind === 'disclosure' && step.window) {
    // 一事一公开: the notice goes up the moment the step starts.
    state.notices.push({ step: task.id, publishedAt: iso(at) });
    addTimer(state, {
      id: `${task.id}#window-${state.seq}`,
      kind: 'window',
      node: task.id,
      duration: step.window,
      from: at,
    });
  }
  for (const boundary of Object.values(graph.nodes)) {
    if (boundary.type === 'boundaryTimerEvent' && boundary.attachedTo === task.id) {
      addTimer(state, {
        id: `${boundary.id}#${state.seq}`,
        kind: 'boundary',
        node: boundary.id,
        duration: boundary.duration,
        from: at,
      });
    }
  }
}

export function removeToken(state: MatterState, nodeId: string): void {
  const index = state.tokens.indexOf(nodeId);
  if (index >= 0) state.tokens.splice(index, 1);
}

export function deactivate(graph: ProcedureGraph, state: MatterState, taskId: string): void {
  delete state.active[taskId];
  removeToken(state, taskId);
  state.timers = state.timers.filter((t) => {
    if (t.node === taskId) return false;
    const n = graph.nodes[t.node];
    return !(n?.type === 'boundaryTimerEvent' && n.attachedTo === taskId);
  });
}

export function completeStep(
  graph: ProcedureGraph,
  state: MatterState,
  taskId: string,
  vars: Record<string, unknown>,
  at: number,
): void {
  deactivate(graph, state, taskId);
  state.variables[taskId] = vars;
  noteParties(graph, state, taskId, vars);
  state.completedSteps.push(taskId);
  leave(graph, state, taskId, at);
}
