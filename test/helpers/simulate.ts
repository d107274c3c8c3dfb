import {
  actionsFor,
  applyEvent,
  EngineError,
  roleSatisfies,
  startMatter,
  validateAction,
  type EngineEvent,
  type MatterState,
} from '../../common/engine';
import type { Field, ProcedureGraph, Role } from '../../common/graph';
import { meetingRecord } from './meeting';

/**
 * Drives a compiled graph through the real engine with random choices, the way a village would:
 * any active step acted on with data its fields accept (or a decision either way), any timer fired,
 * any service task done. Returns why the run went wrong, or undefined when the matter ended with
 * nothing left behind. Independent of the compiler's own proof: this is the engine that runs matters.
 */

const T0 = Date.parse('2026-03-02T01:00:00Z');
const MAX_EVENTS = 400;

export type Random = () => number;

/** A small seeded generator (mulberry32), so a failing variant can be run again. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];

function value(field: Field, random: Random): unknown {
  switch (field.type) {
    case 'amount':
      return pick(random, [0, 100, 9999.99, 10000, 20000.01, 50000, 300000, 2000000.01, 5000000]);
    case 'integer':
    case 'number':
      return pick(random, [0, 1, 2, 3, 4, 5, 7, 12]);
    case 'boolean':
      return random() < 0.5;
    case 'enum':
      return pick(random, field.values ?? []);
    case 'date':
      return '2026-03-10';
    case 'hash':
      return 'b'.repeat(64);
    default:
      return `文本 ${Math.floor(random() * 1000)}`;
  }
}

function clamp(field: Field, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  return Math.min(Math.max(v, field.min ?? -Infinity), field.max ?? Infinity);
}

function stepData(fields: Field[], random: Random): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.name, clamp(f, value(f, random))]));
}

/** Every event the matter could take next (validated actions only). */
function candidates(
  graph: ProcedureGraph,
  state: MatterState,
  random: Random,
  at: number,
  refused: string[],
): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (const timer of state.timers) {
    if (!state.deferredTimers.includes(timer.id)) events.push({ type: 'timer-fired', at, timerId: timer.id });
  }
  for (const node of state.pendingServiceTasks) events.push({ type: 'service-done', at, node });
  for (const [stepId, active] of Object.entries(state.active)) {
    const task = graph.nodes[stepId];
    if (task?.type !== 'userTask') continue;
    for (const [action, roles] of Object.entries(actionsFor(task.step, active.phase))) {
      const role = roles[0] as Role;
      for (let attempt = 0; attempt < 12; attempt += 1) {
        const fields = stepData(task.step.fields, random);
        const body = pick(random, task.step.bodies ?? ['villagers']) ?? 'villagers';
        const passes = random() < 0.6;
        const data =
          action === 'record'
            ? {
                ...meetingRecord(body, 10, 10, passes ? 10 : 0, { households: 100, householdsRepresented: 100 }),
                ...fields,
              }
            : action === 'submit'
              ? fields
              : {};
        const event: EngineEvent = {
          type: 'act',
          at,
          actor: { userId: `u-${Math.floor(random() * 1e9)}`, role },
          step: stepId,
          action,
          data,
          comment: '理由 reason',
        };
        if (!roles.some((r) => roleSatisfies(role, r))) break;
        const problem = validateAction(graph, state, event);
        if (!problem) {
          events.push(event);
          break;
        }
        refused.push(`${stepId}:${action}: ${problem.message}`);
      }
    }
  }
  return events;
}

export function simulate(graph: ProcedureGraph, random: Random): string | undefined {
  let at = T0;
  let state: MatterState;
  try {
    state = startMatter(
      graph,
      // linked to a completed major decision (the API checks it at start), so amounts above the
      // threshold can run too: a run must not stick on a link the simulator never gave
      {
        matterId: 'm-1',
        village: 'v-1',
        title: '模拟',
        initiator: { userId: 'starter', role: 'secretary' },
        links: ['m-decision'],
      },
      at,
    );
  } catch (error) {
    return `start: ${String(error)}`;
  }
  const trail: string[] = [];
  for (let n = 0; n < MAX_EVENTS; n += 1) {
    if (state.status === 'ended') {
      if (state.tokens.length > 0 || Object.keys(state.joins).length > 0) {
        return `ended ${state.outcome ?? ''} with tokens ${state.tokens.join(', ')} and joins ${Object.keys(state.joins).join(', ')} left (${trail.join(' → ')})`;
      }
      return undefined;
    }
    at += 60_000;
    for (const timer of state.timers) {
      if (timer.dueAt === undefined)
        state = applyEvent(graph, state, { type: 'timer-scheduled', at, timerId: timer.id, dueAt: at });
    }
    const refused: string[] = [];
    const next = pick(random, candidates(graph, state, random, at, refused));
    if (!next) {
      return `stuck: nothing can happen (refused: ${refused.slice(-2).join('; ')}; active ${Object.keys(state.active).join(', ') || 'none'}, joins ${Object.keys(state.joins).join(', ') || 'none'}; ${trail.slice(-12).join(' → ')})`;
    }
    trail.push(
      next.type === 'act' ? `${next.step ?? ''}:${next.action}` : next.type === 'service-done' ? next.node : next.type,
    );
    try {
      state = applyEvent(graph, state, next);
    } catch (error) {
      if (error instanceof EngineError) return `engine: ${error.message} (${trail.slice(-12).join(' → ')})`;
      throw error;
    }
  }
  return `did not end within ${MAX_EVENTS} events (${trail.slice(-12).join(' → ')})`;
}
