import type { ProcedureGraph } from '../graph';
import { applyAction, validateAction } from './actions';
import { holdForOpinion } from './disclosure';
import { addRecord } from './record';
import { checkSplit } from './split-payment';
import { clone } from './support';
import { fireTimer } from './timer-fired';
import { leave, removeToken } from './tokens';
import { EngineError, type EngineEvent, type MatterState } from './types';

export function applyEvent(graph: ProcedureGraph, current: MatterState, event: EngineEvent): MatterState {
  const state = clone(current);
  switch (event.type) {
    case 'act': {
      const p = validateAction(graph, state, event);
      if (p) throw new EngineError(`${p.code}: ${p.message}`);
      applyAction(graph, state, event);
      break;
    }
    case 'timer-scheduled': {
      const timer = state.timers.find((t) => t.id === event.timerId);
      if (timer) timer.dueAt = event.dueAt;
      const objection = timer?.objection && state.objections.find((o) => o.id === timer.objection);
      if (objection) objection.answerDueAt = new Date(event.dueAt).toISOString();
      break;
    }
    case 'timer-fired':
      fireTimer(graph, state, event.timerId, event.at);
      break;
    case 'split-checked':
      checkSplit(graph, state, event);
      break;
    case 'opinion-filed':
    case 'opinion-answered':
      holdForOpinion(graph, state, event);
      break;
    case 'service-done':
      if (!state.pendingServiceTasks.includes(event.node)) break;
      state.pendingServiceTasks = state.pendingServiceTasks.filter((n) => n !== event.node);
      removeToken(state, event.node);
      addRecord(state, event.at, { userId: 'system', role: 'system', step: event.node, action: 'service-done' });
      leave(graph, state, event.node, event.at);
      break;
  }
  return state;
}
