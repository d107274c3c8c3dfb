import {
  applyEvent,
  startMatter,
  validateAction,
  type Actor,
  type EngineEvent,
  type MatterRules,
  type MatterState,
} from '../../common/engine';
import type { ProcedureGraph } from '../../common/graph';
import { testCatalog } from '../helpers/catalog';
import { meetingRecord } from '../helpers/meeting';

/** A route may not turn on a number nobody gave: land without its area (common/engine/route-inputs.ts). */

const secretary: Actor = { userId: 'li-secretary', role: 'secretary', name: '李书记' };
const director: Actor = { userId: 'wang-director', role: 'director', name: '王主任' };
const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor', name: '赵监委' };
const REGISTER = {
  from: '2020-01-01',
  adultVillagers: 900,
  households: 300,
  representatives: 30,
  partyMembers: 45,
  twoCommittees: 7,
};
const T0 = Date.parse('2026-03-10T02:00:00Z');
const RULES: MatterRules = { meetingRegister: true, boundedRulings: true, tenderTiers: true, routeInputs: true };

const graphs: Record<string, ProcedureGraph> = {};
let cleanup = () => {};
beforeAll(async () => {
  const made = testCatalog();
  cleanup = made.cleanup;
  for (const id of ['asset-disposal', 'major-decision']) {
    const procedure = await made.catalog.current(id, '2026-03-10');
    if (!procedure) throw new Error(`${id} missing`);
    graphs[id] = procedure.graph;
  }
});
afterAll(() => cleanup());

let clock = T0;
const act = (
  actor: Actor,
  step: string | null,
  action: string,
  data: Record<string, unknown> = {},
): Extract<EngineEvent, { type: 'act' }> => ({
  type: 'act',
  at: (clock += 1000),
  actor,
  step,
  action,
  data,
  register: REGISTER,
});
const plan = (change: Record<string, unknown>) =>
  act(secretary, 'propose-plan', 'submit', {
    asset: '三组集体林地',
    kind: 'contracting',
    bookValue: 20_000,
    reservePrice: 20_000,
    isLand: true,
    ...change,
  });
const disposal = (rules: MatterRules = RULES): MatterState =>
  startMatter(
    graphs['asset-disposal'] as ProcedureGraph,
    { matterId: 'm', village: 'xinglong', title: '林地发包', initiator: secretary, rules },
    T0,
  );

/** The plan, reviewed, resolved and disclosed: where the transaction goes. */
function venueOf(change: Record<string, unknown>): string[] {
  const graph = graphs['asset-disposal'] as ProcedureGraph;
  let state = applyEvent(graph, disposal(), plan(change));
  state = applyEvent(graph, state, act(supervisor, 'supervisor-review', 'approve'));
  state = applyEvent(graph, state, act(director, 'resolve', 'record', meetingRecord('representatives', 30, 25, 20)));
  state = applyEvent(graph, state, act(supervisor, 'resolve', 'confirm'));
  const window = state.timers.find((t) => t.kind === 'window' && t.node === 'plan-disclosure');
  if (!window) throw new Error(`no disclosure window: ${Object.keys(state.active).join()}`);
  state = applyEvent(graph, state, { type: 'timer-fired', at: (clock += 60_000), timerId: window.id });
  return Object.keys(state.active);
}

describe('a route may not turn on a number nobody gave', () => {
  test('land without its area is refused at the plan, naming landMu in Chinese and English', () => {
    const graph = graphs['asset-disposal'] as ProcedureGraph;
    for (const bookValue of [20_000, 500_000]) {
      const refused = validateAction(graph, disposal(), plan({ bookValue }));
      expect(refused).toMatchObject({ code: 'INVALID_DATA', details: [{ field: 'data.landMu' }] });
      expect(refused?.message).toContain('landMu');
      expect(refused?.message).toContain('土地面积');
    }
    expect(validateAction(graph, disposal(), plan({ landMu: 12 }))).toBeUndefined();
    // not land: no area is asked for
    expect(validateAction(graph, disposal(), plan({ isLand: false, kind: 'lease' }))).toBeUndefined();
  });

  test('with its area, land goes to the town exchange from the policy area up, to the village auction below', () => {
    expect(venueOf({ landMu: 10 })).toEqual(['town-exchange']);
    expect(venueOf({ landMu: 9.9 })).toEqual(['village-auction']);
    expect(venueOf({ isLand: false, kind: 'lease' })).toEqual(['village-auction']);
  });

  test('a missing choice still reads as "not that choice": a rejected meeting without a follow-up withdraws', () => {
    const graph = graphs['major-decision'] as ProcedureGraph;
    let state = startMatter(
      graph,
      { matterId: 'd', village: 'xinglong', title: '修路', initiator: secretary, rules: RULES },
      T0,
    );
    state = applyEvent(
      graph,
      state,
      act(secretary, 'propose', 'submit', {
        title: '修路',
        description: '三组村道',
        category: 'infrastructure',
        estimatedAmount: 80_000,
      }),
    );
    const rejected = act(director, 'deliberate', 'record', meetingRecord('two-committees', 7, 6, 1));
    expect(validateAction(graph, state, rejected)).toBeUndefined();
  });

  test('matters started before the rule keep the older check', () => {
    const graph = graphs['asset-disposal'] as ProcedureGraph;
    expect(validateAction(graph, disposal({ meetingRegister: true }), plan({}))).toBeUndefined();
  });
});
