import type { ProcedureGraph } from '../graph';
import { completeDisclosure } from './disclosure';
import { answerOverdue } from './objection-clock';
import { addRecord } from './record';
import { iso, node } from './support';
import { deactivate, leave, removeToken } from './tokens';
import type { MatterState } from './types';

export function fireTimer(graph: ProcedureGraph, state: MatterState, timerId: string, at: number): void {
  const timer = state.timers.find((t) => t.id === timerId);
  if (!timer || state.status === 'ended') return;
  if (timer.kind === 'deadline') {
    // A time limit is reported (overdue), never enforced: the step stays where it is.
    state.timers = state.timers.filter((t) => t.id !== timerId);
    addRecord(state, at, { userId: 'system', role: 'system', step: timer.node, action: 'deadline-passed' });
    return;
  }
  if (timer.kind === 'objection-answer') {
    // the clock runs while the objection suspends the matter: that is when it counts
    state.timers = state.timers.filter((t) => t.id !== timerId);
    answerOverdue(state, timer.objection ?? '', timer.node, at);
    return;
  }
  if (state.status === 'suspended') {
    if (!state.deferredTimers.includes(timerId)) state.deferredTimers.push(timerId);
    return;
  }
  state.timers = state.timers.filter((t) => t.id !== timerId);
  switch (timer.kind) {
    case 'window': {
      const active = state.active[timer.node];
      if (!active) return;
      const notice = state.notices.find((n) => n.step === timer.node && n.endsAt === undefined);
      if (notice) notice.endsAt = iso(at);
      if ((state.openOpinions[timer.node] ?? 0) > 0) {
        active.windowEnded = true;
        return;
      }
      completeDisclosure(graph, state, timer.node, at);
      return;
    }
    case 'catch':
      removeToken(state, timer.node);
      addRecord(state, at, { userId: 'system', role: 'system', step: timer.node, action: 'timer' });
      leave(graph, state, timer.node, at);
      return;
    case 'boundary': {
      const boundary = node(graph, timer.node);
      if (boundary.type !== 'boundaryTimerEvent') return;
      addRecord(state, at, {
        userId: 'system',
        role: 'system',
        step: boundary.attachedTo,
        action: boundary.interrupting ? 'timeout' : 'reminder',
      });
      if (boundary.interrupting) deactivate(graph, state, boundary.attachedTo);
      leave(graph, state, boundary.id, at);
      return;
    }
  }
}
