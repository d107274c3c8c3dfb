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

/**
 * 招标投标法 Art. 4, no evading a tender: a project's later amounts (bid, contract, settlement) are
 * held to the tier and the major-decision link its registered budget chose (common/engine/tender-tiers.ts).
 */

const secretary: Actor = { userId: 'li-secretary', role: 'secretary', name: '李书记' };
const director: Actor = { userId: 'wang-director', role: 'director', name: '王主任' };
const committee: Actor = { userId: 'chen-committee', role: 'committee', name: '陈委员' };
const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor', name: '赵监委' };
const town: Actor = { userId: 'sun-town', role: 'town-official', name: '孙镇干部' };
const REGISTER = {
  from: '2020-01-01',
  adultVillagers: 900,
  households: 300,
  representatives: 30,
  partyMembers: 45,
  twoCommittees: 7,
};
const T0 = Date.parse('2026-03-10T02:00:00Z');
const RULES: MatterRules = { meetingRegister: true, boundedRulings: true, tenderTiers: true };

let graph: ProcedureGraph;
let cleanup = () => {};
beforeAll(async () => {
  const made = testCatalog();
  cleanup = made.cleanup;
  const procedure = await made.catalog.current('project-bidding', '2026-03-10');
  if (!procedure) throw new Error('project-bidding missing');
  graph = procedure.graph;
});
afterAll(() => cleanup());

let clock = T0;
const act = (
  actor: Actor,
  step: string | null,
  action: string,
  data: Record<string, unknown> = {},
  comment?: string,
): Extract<EngineEvent, { type: 'act' }> => ({
  type: 'act',
  at: (clock += 1000),
  actor,
  step,
  action,
  data,
  ...(comment ? { comment } : {}),
  register: REGISTER,
});
const contract = (contractAmount: number) =>
  act(committee, 'contract', 'submit', { contractor: '罗江建材经营部', contractAmount, signedOn: '2026-03-12' });
const acceptance = (finalAmount: number) =>
  act(director, 'acceptance', 'submit', { acceptedOn: '2026-04-01', conclusion: '合格', finalAmount });

/** Works registered at `budget` and awarded directly by the two committees: the contract step is open. */
function directlyAwarded(budget: number, rules: MatterRules = RULES, links: string[] = []): MatterState {
  let state = startMatter(
    graph,
    { matterId: 'm', village: 'xinglong', title: '村道修补', initiator: secretary, rules, links },
    T0,
  );
  state = applyEvent(
    graph,
    state,
    act(secretary, 'register', 'submit', { project: '村道修补', kind: 'works', budget }),
  );
  state = applyEvent(graph, state, act(director, 'direct-award', 'record', meetingRecord('two-committees', 7, 6, 5)));
  state = applyEvent(graph, state, act(supervisor, 'direct-award', 'confirm'));
  expect(Object.keys(state.active)).toEqual(['contract']);
  return state;
}

describe('招标投标法 Art. 4: a tender may not be evaded by registering low', () => {
  test('a contract above the tier of the registered budget is refused, naming the field, the tier and the law', () => {
    const state = directlyAwarded(9999.99);
    const refused = validateAction(graph, state, contract(5_000_000));
    expect(refused).toMatchObject({
      code: 'INVALID_DATA',
      details: [{ field: 'data.contractAmount' }, { field: 'data.contractAmount' }],
    });
    expect(refused?.message).toContain('招标投标法');
    expect(refused?.message).toContain('Art. 4');
    expect(refused?.message).toMatch(/依法公开招标.*直接发包/);
    expect(refused?.details?.[1]?.message).toContain('major-decision');
    // one fen into the next tier is refused too; what stays in the tier is signed
    expect(validateAction(graph, state, contract(10_000))).toMatchObject({ code: 'INVALID_DATA' });
    expect(validateAction(graph, state, contract(9999.99))).toBeUndefined();
    expect(validateAction(graph, state, contract(8000))).toBeUndefined();
  });

  test('acceptance: a settlement above the tier is refused as the contract would be', () => {
    let state = directlyAwarded(9000);
    state = applyEvent(graph, state, contract(9000));
    expect(validateAction(graph, state, acceptance(5_000_000))).toMatchObject({
      code: 'INVALID_DATA',
      details: [{ field: 'data.finalAmount' }, { field: 'data.finalAmount' }],
    });
    // an overrun within the tier is a settlement, not an evasion
    expect(validateAction(graph, state, acceptance(9999.99))).toBeUndefined();
  });

  test('above the major-decision threshold within the same tier, a contract needs the linked decision', () => {
    const unlinked = startMatter(
      graph,
      { matterId: 'm', village: 'xinglong', title: '村道', initiator: secretary, rules: RULES },
      T0,
    );
    const registered = applyEvent(
      graph,
      unlinked,
      act(secretary, 'register', 'submit', { project: '村道', kind: 'works', budget: 40_000 }),
    );
    expect(Object.keys(registered.active)).toEqual(['tender-notice']);
    // the same rule at every later amount: the winning bid is checked like the contract
    const atEvaluation = {
      ...registered,
      active: { evaluation: { step: 'evaluation', since: registered.startedAt, phase: 'open' as const } },
    };
    const bid = act(director, 'evaluation', 'submit', {
      panelSize: 3,
      ranking: '甲乙丙',
      firstCandidate: '甲公司',
      bidAmount: 60_000,
    });
    expect(validateAction(graph, atEvaluation, bid)).toMatchObject({
      code: 'LINK_REQUIRED',
      details: [{ field: 'data.bidAmount', message: expect.stringContaining('major-decision') }],
    });
    const linked = { ...atEvaluation, links: ['matter-decision'] };
    expect(validateAction(graph, linked, bid)).toBeUndefined();
  });

  test('the way out is in the open: objection, a town ruling back to the register, the true budget routes to its tier', () => {
    let state = directlyAwarded(9999.99);
    state = applyEvent(graph, state, act(supervisor, null, 'raise-objection', {}, '合同金额远超登记预算，规避比选'));
    state = applyEvent(
      graph,
      state,
      act(
        town,
        null,
        'rule-objection',
        { objectionId: 'objection-1', ruling: 'uphold', backTo: 'register' },
        '预算登记不实',
      ),
    );
    state = applyEvent(
      graph,
      state,
      act(secretary, 'register', 'submit', { project: '村道修补', kind: 'works', budget: 45_000 }),
    );
    expect(Object.keys(state.active)).toEqual(['tender-notice']);
  });

  test('matters started before the rule keep the older check', () => {
    const state = directlyAwarded(9999.99, { meetingRegister: true, boundedRulings: true });
    expect(validateAction(graph, state, contract(5_000_000))).toBeUndefined();
  });
});
