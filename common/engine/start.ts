import type { ProcedureGraph } from '../graph';
import { addRecord } from './record';
import { iso } from './support';
import { leave } from './tokens';
import type { MatterState, StartInput } from './types';

export function startMatter(graph: ProcedureGraph, input: StartInput, at: number): MatterState {
  const state: MatterState = {
    matterId: input.matterId,
    procedureId: graph.id,
    version: graph.version,
    village: input.village,
    title: input.title,
    initiator: input.initiator.userId,
    startedAt: iso(at),
    status: 'running',
    links: input.links ?? [],
    tokens: [],
    active: {},
    joins: {},
    timers: [],
    deferredTimers: [],
    pendingServiceTasks: [],
    completedSteps: [],
    takenFlows: [],
    variables: {},
    meetings: [],
    objections: [],
    notices: [],
    openOpinions: {},
    record: [],
    seq: 0,
    ...(input.rules ? { rules: input.rules } : {}),
  };
  addRecord(state, at, {
    userId: input.initiator.userId,
    ...(input.initiator.name ? { name: input.initiator.name } : {}),
    role: input.initiator.role,
    step: null,
    action: 'start',
    data: { title: input.title, village: input.village, procedure: graph.id, version: graph.version },
  });
  leave(graph, state, graph.startEvent, at);
  return state;
}
