import { applyEvent, startMatter, validateAction, type MatterRules, type MatterState } from '../../common/engine';
import type { ProcedureGraph } from '../../common/graph';
import { actors, actsFrom, loadGraphs } from '../helpers/engine-events';
import { meetingRecord } from '../helpers/meeting';

/**
 * 招标投标法 Art. 4, no evading a tender: a project's later amounts (bid, contract, settlement) are
 * held to the tier and the major-decision link its registered budget chose (common/engine/tender-tiers.ts).
 */

const { secretary, director, committee, supervisor, town } = actors;
const T0 = Date.parse('2026-03-10T02:00:00Z');
const RULES: MatterRules = { meetingRegister: true, boundedRulings: true, tenderTiers: true };

const graphs = loadGraphs(['project-bidding'], '2026-03-10');
const bidding = () => graphs['project-bidding'] as ProcedureGraph;
const act = actsFrom(T0);
const contract = (contractAmount: number) =>
  act(committee, 'contract', 'submit', { contractor: '罗江建材经营部', contractAmount, signedOn: '2026-03-12' });
const acceptance = (finalAmount: number) =>
  act(director, 'acceptance', 'submit', { acceptedOn: '2026-04-01', conclusion: '合格', finalAmount });

/** Works registered at `budget` and awarded directly by the two committees: the contract step is open. */
function directlyAwarded(budget: number, rules: MatterRules = RULES, links: string[] = []): MatterState {
  let state = startMatter(
    bidding(),
    { matterId: 'm', village: 'xinglong', title: '村道修补', initiator: secretary, rules, links },
    T0,
  );
  state = applyEvent(
    bidding(),
    state,
    act(secretary, 'register', 'submit', { project: '村道修补', kind: 'works', budget }),
  );
  state = applyEvent(
    bidding(),
    state,
    act(director, 'direct-award', 'record', meetingRecord('two-committees', 7, 6, 5)),
  );
  state = applyEvent(bidding(), state, act(supervisor, 'direct-award', 'confirm'));
  expect(Object.keys(state.active)).toEqual(['contract']);
  return state;
}

describe('招标投标法 Art. 4: a tender may not be evaded by registering low', () => {
  test('a contract above the tier of the registered budget is refused, naming the field, the tier and the law', () => {
    const state = directlyAwarded(9999.99);
    const refused = validateAction(bidding(), state, contract(5_000_000));
    expect(refused).toMatchObject({
      code: 'INVALID_DATA',
      details: [{ field: 'data.contractAmount' }, { field: 'data.contractAmount' }],
    });
    expect(refused?.message).toContain('招标投标法');
    expect(refused?.message).toContain('Art. 4');
    expect(refused?.message).toMatch(/依法公开招标.*直接发包/);
    expect(refused?.details?.[1]?.message).toContain('major-decision');
    // one fen into the next tier is refused too; what stays in the tier is signed
    expect(validateAction(bidding(), state, contract(10_000))).toMatchObject({ code: 'INVALID_DATA' });
    expect(validateAction(bidding(), state, contract(9999.99))).toBeUndefined();
    expect(validateAction(bidding(), state, contract(8000))).toBeUndefined();
  });

  test('acceptance: a settlement above the tier is refused as the contract would be', () => {
    let state = directlyAwarded(9000);
    state = applyEvent(bidding(), state, contract(9000));
    expect(validateAction(bidding(), state, acceptance(5_000_000))).toMatchObject({
      code: 'INVALID_DATA',
      details: [{ field: 'data.finalAmount' }, { field: 'data.finalAmount' }],
    });
    // an overrun within the tier is a settlement, not an evasion
    expect(validateAction(bidding(), state, acceptance(9999.99))).toBeUndefined();
  });

  test('above the major-decision threshold within the same tier, a contract needs the linked decision', () => {
    const unlinked = startMatter(
      bidding(),
      { matterId: 'm', village: 'xinglong', title: '村道', initiator: secretary, rules: RULES },
      T0,
    );
    const registered = applyEvent(
      bidding(),
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
    expect(validateAction(bidding(), atEvaluation, bid)).toMatchObject({
      code: 'LINK_REQUIRED',
      details: [{ field: 'data.bidAmount', message: expect.stringContaining('major-decision') }],
    });
    const linked = { ...atEvaluation, links: ['matter-decision'] };
    expect(validateAction(bidding(), linked, bid)).toBeUndefined();
  });

  test('the way out is in the open: objection, a town ruling back to the register, the true budget routes to its tier', () => {
    let state = directlyAwarded(9999.99);
    state = applyEvent(
      bidding(),
      state,
      act(supervisor, null, 'raise-objection', {}, '合同金额远超登记预算，规避比选'),
    );
    state = applyEvent(
      bidding(),
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
      bidding(),
      state,
      act(secretary, 'register', 'submit', { project: '村道修补', kind: 'works', budget: 45_000 }),
    );
    expect(Object.keys(state.active)).toEqual(['tender-notice']);
  });

  test('matters started before the rule keep the older check', () => {
    const state = directlyAwarded(9999.99, { meetingRegister: true, boundedRulings: true });
    expect(validateAction(bidding(), state, contract(5_000_000))).toBeUndefined();
  });
});
