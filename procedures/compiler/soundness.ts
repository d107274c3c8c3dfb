import type { Flow, GraphNode } from '../../common/graph';
import type { CompileRule, Problems } from './problems';

/**
 * Soundness, proven by playing the token game over the compiled graph the way common/engine.ts moves
 * tokens: every reachable state can still reach an end, no token is left behind when the matter ends,
 * no step holds two tokens at once, and no parallel join waits forever. Exclusive gateways may take any
 * of their flows (which one holds depends on data), so this is a proof for every choice of data.
 * Returns the number of states explored. Our procedures have a few dozen; the cap keeps a file of
 * many parallel branches from taking minutes.
 */

const MAX_STATES = 20_000;
/** Gateways a token passes in one move (none of them a step): a token passes them recursively. */
const MAX_GATEWAYS_IN_A_ROW = 200;

interface State {
  /** waiting nodes, sorted; a user task carries the non-interrupting boundary events already fired: `task|b1,b2` */
  tokens: string[];
  /** parallel join → the incoming flows that have arrived */
  joins: Record<string, string[]>;
  ended: boolean;
}

interface Visit {
  state: State;
  parent?: number;
  /** what happened to get here, for the message */
  move: string;
}

/** Thrown out of the token game at the first bad move: one problem per file, with its path. */
class Unsound extends Error {
  /** the move that went wrong */
  move = '';
  constructor(
    readonly nodeId: string,
    readonly rule: CompileRule,
    message: string,
  ) {
    super(message);
  }
}

function keyOf(state: State): string {
  const joins = Object.keys(state.joins)
    .sort()
    .map((j) => `${j}:${(state.joins[j] ?? []).join(',')}`);
  return `${state.ended ? 'E' : ''}${state.tokens.join(' ')}#${joins.join(' ')}`;
}

const nodeOf = (token: string): string => token.split('|')[0] ?? token;
const firedOf = (token: string): string[] => token.split('|')[1]?.split(',').filter(Boolean) ?? [];

function push(result: { move: string; next: State[] }[], move: string, next: () => State[]): void {
  try {
    result.push({ move, next: next() });
  } catch (error) {
    if (error instanceof Unsound) error.move = move;
    throw error;
  }
}

export function checkSoundness(
  nodes: Record<string, GraphNode>,
  flows: Record<string, Flow>,
  startEvent: string,
  problems: Problems,
): number {
  const typeOf = (id: string): string => {
    const type = nodes[id]?.type ?? 'unknown';
    return type === 'timerCatchEvent' ? 'bpmn:intermediateCatchEvent' : `bpmn:${type}`;
  };
  const boundariesOf = new Map<string, GraphNode[]>();
  for (const n of Object.values(nodes)) {
    if (n.type === 'boundaryTimerEvent') boundariesOf.set(n.attachedTo, [...(boundariesOf.get(n.attachedTo) ?? []), n]);
  }

  /**
   * Exclusive gateway and state → the states a token arriving there leads to. Without it a row of
   * gateways with no step between them (k choices that merge again) was walked along all 2^k paths.
   */
  const passing = new Map<string, State[]>();
  const distinct = (states: State[]): State[] => [...new Map(states.map((s) => [keyOf(s), s])).values()];

  /** Every state a token arriving through `flowId` can lead to (more than one past an exclusive gateway). */
  function arrive(state: State, flowId: string, gateways: string[]): State[] {
    const target = flows[flowId]?.target ?? '';
    const node = nodes[target];
    if (!node) return [state];
    if (state.ended) {
      throw new Unsound(
        target,
        'token-left-behind',
        `a token reaches ${target} after the matter has ended at another end event: join the branches with a parallel gateway before the end`,
      );
    }
    if (gateways.length >= MAX_GATEWAYS_IN_A_ROW) {
      throw new Unsound(
        target,
        'too-complex',
        `more than ${MAX_GATEWAYS_IN_A_ROW} gateways follow each other with no step between them: the procedure cannot be proven sound; merge the gateways that decide nothing`,
      );
    }
    switch (node.type) {
      case 'endEvent': {
        if (state.tokens.length > 0) return [state];
        const pending = Object.keys(state.joins)[0];
        if (pending !== undefined) {
          throw new Unsound(
            pending,
            'token-left-behind',
            `the matter ends at ${target} while parallel join ${pending} still holds a token: every branch of a parallel split must reach the join`,
          );
        }
        return [{ ...state, ended: true }];
      }
      case 'userTask':
      case 'serviceTask':
      case 'timerCatchEvent': {
        if (state.tokens.some((t) => nodeOf(t) === target)) {
          throw new Unsound(
            target,
            'unsafe-parallel',
            `two tokens reach ${target} at once (parallel branches both enter it): join them with a parallel gateway first`,
          );
        }
        return [{ ...state, tokens: [...state.tokens, target].sort() }];
      }
      case 'exclusiveGateway': {
        if (gateways.includes(target)) {
          throw new Unsound(
            target,
            'gateway-loop',
            `gateways ${[...gateways, target].join(' → ')} form a loop with no step in it: put a step in the loop`,
          );
        }
        const key = `${target}@${keyOf(state)}`;
        const known = passing.get(key);
        if (known) return known;
        const next = distinct(node.outgoing.flatMap((f) => arrive(state, f, [...gateways, target])));
        passing.set(key, next);
        return next;
      }
      case 'parallelGateway': {
        if (node.incoming.length > 1) {
          const arrived = state.joins[target] ?? [];
          if (arrived.includes(flowId)) {
            throw new Unsound(
              target,
              'unsafe-parallel',
              `a second token arrives at parallel join ${target} through ${flowId} before the join fires: it would be lost`,
            );
          }
          const now = [...arrived, flowId].sort();
          if (!node.incoming.every((f) => now.includes(f)))
            return [{ ...state, joins: { ...state.joins, [target]: now } }];
          const { [target]: _done, ...rest } = state.joins;
          state = { ...state, joins: rest };
        }
        return leave(state, node.outgoing, [...gateways, target]);
      }
      default:
        return [state];
    }
  }

  function leave(state: State, outgoing: string[], gateways: string[] = []): State[] {
    let states = [state];
    for (const f of outgoing) states = distinct(states.flatMap((s) => arrive(s, f, gateways)));
    return states;
  }

  function moves(state: State): { move: string; next: State[] }[] {
    const result: { move: string; next: State[] }[] = [];
    for (const token of new Set(state.tokens)) {
      const id = nodeOf(token);
      const node = nodes[id];
      if (!node) continue;
      const without = { ...state, tokens: state.tokens.filter((t) => t !== token) };
      push(result, id, () => leave(without, node.outgoing));
      if (node.type !== 'userTask') continue;
      const fired = firedOf(token);
      for (const boundary of boundariesOf.get(id) ?? []) {
        if (boundary.type !== 'boundaryTimerEvent') continue;
        const move = `${boundary.id} (timer)`;
        if (boundary.interrupting) {
          push(result, move, () => leave(without, boundary.outgoing));
        } else if (!fired.includes(boundary.id)) {
          const marked = `${id}|${[...fired, boundary.id].sort().join(',')}`;
          const kept = { ...without, tokens: [...without.tokens, marked].sort() };
          push(result, move, () => leave(kept, boundary.outgoing));
        }
      }
    }
    return result;
  }

  const visits: Visit[] = [];
  const index = new Map<string, number>();
  const edges: number[][] = [];
  const pathTo = (at: number | undefined): string => {
    const path: string[] = [];
    for (let i = at; i !== undefined; i = visits[i]?.parent) path.unshift(visits[i]?.move ?? '');
    const shown = path.length > 12 ? ['…', ...path.slice(-12)] : path;
    return shown.join(' → ');
  };
  const report = (unsound: Unsound, at: number | undefined, move: string) => {
    const path = [pathTo(at), move].filter((p) => p !== '').join(' → ');
    problems.add(unsound.nodeId, typeOf(unsound.nodeId), unsound.rule, `${unsound.message} (path: ${path})`);
  };

  const initial: State = { tokens: [], joins: {}, ended: false };
  let first: State[];
  try {
    first = leave(initial, nodes[startEvent]?.outgoing ?? []);
  } catch (error) {
    if (error instanceof Unsound) report(error, undefined, startEvent);
    else throw error;
    return 0;
  }
  const add = (state: State, parent: number | undefined, move: string): number => {
    const key = keyOf(state);
    const known = index.get(key);
    if (known !== undefined) return known;
    visits.push({ state, ...(parent !== undefined ? { parent } : {}), move });
    edges.push([]);
    index.set(key, visits.length - 1);
    return visits.length - 1;
  };
  for (const s of first) add(s, undefined, startEvent);
  for (let i = 0; i < visits.length; i += 1) {
    if (visits.length > MAX_STATES) {
      problems.add(
        startEvent,
        typeOf(startEvent),
        'too-complex',
        `more than ${MAX_STATES} combinations of parallel branches: the procedure cannot be proven sound; use fewer parallel branches`,
      );
      return visits.length;
    }
    const { state } = visits[i] as Visit;
    if (state.ended) continue;
    let next: { move: string; next: State[] }[];
    try {
      next = moves(state);
    } catch (error) {
      if (!(error instanceof Unsound)) throw error;
      report(error, i, error.move);
      return visits.length;
    }
    if (next.length === 0) {
      const join = Object.keys(state.joins)[0];
      // nothing at all left to move: a start without a way out, which the structure checks report
      if (join === undefined) continue;
      const missing = nodes[join]?.incoming.filter((f) => !(state.joins[join] ?? []).includes(f)) ?? [];
      problems.add(
        join,
        typeOf(join),
        'join-waits-forever',
        `parallel join ${join} waits forever for ${missing.join(', ')}: no token can come (path: ${pathTo(i)}); a branch that an exclusive gateway may skip must not lead into a parallel join`,
      );
      return visits.length;
    }
    for (const { move, next: states } of next) for (const s of states) edges[i]?.push(add(s, i, move));
  }
  // Every reachable state must be able to reach an end: walk back from the ended states.
  const back: number[][] = visits.map(() => []);
  edges.forEach((targets, from) => targets.forEach((to) => back[to]?.push(from)));
  const canEnd = new Set<number>();
  const queue = visits.flatMap((v, i) => (v.state.ended ? [i] : []));
  for (const i of queue) canEnd.add(i);
  for (let q = 0; q < queue.length; q += 1) {
    for (const from of back[queue[q] ?? -1] ?? []) {
      if (!canEnd.has(from)) {
        canEnd.add(from);
        queue.push(from);
      }
    }
  }
  const stuck = visits.findIndex((_, i) => !canEnd.has(i));
  if (stuck >= 0) {
    const at = (visits[stuck] as Visit).state.tokens.map(nodeOf);
    const where = at[0] ?? Object.keys((visits[stuck] as Visit).state.joins)[0] ?? startEvent;
    problems.add(
      where,
      typeOf(where),
      'cannot-end',
      `from here the matter can never reach an end event (tokens at ${at.join(', ') || 'none'}; path: ${pathTo(stuck)}): give the loop a way out`,
    );
  }
  return visits.length;
}
