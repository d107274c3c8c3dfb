import {
  applyEvent,
  rulingTargets,
  startMatter,
  validateAction,
  type Actor,
  type MatterState,
} from '../../common/engine';
import { viewOf } from '../../common/matter-view';
import { STOP_CHOICE, collect, formFor, rulingData } from '../../ui/src/logic/form-schema';
import { buildGraph } from '../helpers/graph-builder';

/** 镇裁定异议 on the page: the form offers what the engine accepts, no more, and asks for a reason. */

const graph = buildGraph(
  {
    start: { type: 'startEvent' },
    apply: { type: 'userTask', step: { kind: 'submit', roles: ['accountant'] } },
    review: { type: 'userTask', step: { kind: 'review', roles: ['supervisor'] } },
    town: { type: 'userTask', step: { kind: 'approval', roles: ['town-official'] } },
    payment: { type: 'userTask', step: { kind: 'submit', roles: ['accountant'] } },
    done: { type: 'endEvent', outcome: 'completed' },
  },
  [
    ['f1', 'start', 'apply'],
    ['f2', 'apply', 'review'],
    ['f3', 'review', 'town'],
    ['f4', 'town', 'payment'],
    ['f5', 'payment', 'done'],
  ],
);
const accountant: Actor = { userId: 'he-accountant', role: 'accountant' };
const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor' };
const town: Actor = { userId: 'sun-town', role: 'town-official' };
const T0 = Date.parse('2026-03-02T01:00:00Z');
const act = (actor: Actor, step: string | null, action: string, data: Record<string, unknown> = {}, comment?: string) =>
  ({ type: 'act', at: T0 + 1, actor, step, action, data, ...(comment ? { comment } : {}) }) as const;

/** An expense at the supervisor's review, objected to there. */
function objected(): MatterState {
  let state = startMatter(
    graph,
    { matterId: 'm', village: 'v', title: '付款', initiator: accountant, rules: { boundedRulings: true } },
    T0,
  );
  state = applyEvent(graph, state, act(accountant, 'apply', 'submit'));
  return applyEvent(graph, state, act(supervisor, 'review', 'raise-objection', {}, '发票不全'));
}

/** The ruling form of the objection, built as the matter page builds it: from the view. */
function rulingForm(state: MatterState) {
  const objection = viewOf(graph, state).objections[0]!;
  const targets = (objection.rulingTargets ?? []).map((id) => ({ id, name: { zh: id, en: id } }));
  return { objection, spec: formFor(null, 'rule-objection', targets) };
}

describe('the town ruling form', () => {
  test('the view carries the engine’s ruling targets, and the form offers exactly those, plus stopping', () => {
    const state = objected();
    const { objection, spec } = rulingForm(state);
    expect(objection.rulingTargets).toEqual(rulingTargets(graph, state, state.objections[0]!));
    expect(objection.rulingTargets).toEqual(['apply', 'review']);
    const backTo = spec.fields.find((f) => f.name === 'backTo');
    expect(backTo?.options?.map((o) => o.value)).toEqual(['apply', 'review', STOP_CHOICE]);
  });

  test('every choice the form offers is a ruling the engine accepts; a step ahead is not offered and refused', () => {
    const state = objected();
    const { spec } = rulingForm(state);
    const choices: Record<string, string>[] = [
      { ruling: 'dismiss', backTo: '' },
      ...(spec.fields.find((f) => f.name === 'backTo')?.options ?? []).map((o) => ({
        ruling: 'uphold',
        backTo: o.value,
      })),
    ];
    for (const raw of choices) {
      const collected = collect(spec, { ...raw, comment: '发票不全属实' });
      expect(collected.problems).toEqual([]);
      const data = { objectionId: 'objection-1', ...rulingData(collected.data) };
      expect([
        raw,
        validateAction(graph, state, act(town, 'review', 'rule-objection', data, collected.comment)),
      ]).toEqual([raw, undefined]);
    }
    expect(rulingData({ ruling: 'uphold', backTo: STOP_CHOICE })).toEqual({ ruling: 'uphold', stop: true });
    expect(rulingData({ ruling: 'dismiss', backTo: 'apply' })).toEqual({ ruling: 'dismiss' });
  });

  test('a ruling without a reason is refused at the reason field, before it is sent', () => {
    const { spec } = rulingForm(objected());
    expect(collect(spec, { ruling: 'dismiss', comment: ' ' }).problems).toEqual([
      { field: 'comment', message: 'mustNotBeEmpty' },
    ]);
  });

  test('a resolved objection, or an ended matter, offers no ruling', () => {
    let state = objected();
    state = applyEvent(
      graph,
      state,
      act(town, 'review', 'rule-objection', { objectionId: 'objection-1', ruling: 'dismiss' }, '已核实'),
    );
    expect(viewOf(graph, state).objections[0]?.rulingTargets).toBeUndefined();
  });
});
