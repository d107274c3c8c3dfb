import { tasksIn } from '../../api/routes/me/handlers';
import {
  applyEvent,
  rulingTargets,
  startMatter,
  validateAction,
  type Actor,
  type MatterState,
} from '../../common/engine';
import { viewOf } from '../../common/matter-view';
import { buildGraph } from '../helpers/graph-builder';

/** 镇裁定异议: what a town ruling may do, said once in the engine and read by the task list. */

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

/** A 1,500-yuan expense at the supervisor's review, objected to at that step. */
function objected(rules = { boundedRulings: true }): MatterState {
  let state = startMatter(graph, { matterId: 'm', village: 'v', title: '付款', initiator: accountant, rules }, T0);
  state = applyEvent(graph, state, act(accountant, 'apply', 'submit'));
  return applyEvent(graph, state, act(supervisor, null, 'raise-objection', {}, '发票不全'));
}
const uphold = (extra: Record<string, unknown>, comment: string | undefined = '发票不全属实') =>
  act(town, null, 'rule-objection', { objectionId: 'objection-1', ruling: 'uphold', ...extra }, comment);

describe('a town ruling cannot jump forward', () => {
  test('upholding may return only to a step the matter passed: never ahead to payment', () => {
    const state = objected();
    expect(rulingTargets(graph, state, state.objections[0]!)).toEqual(['apply', 'review']);
    for (const ahead of ['town', 'payment'])
      expect(validateAction(graph, state, uphold({ backTo: ahead }))).toMatchObject({
        code: 'INVALID_DATA',
        details: [{ field: 'data.backTo' }],
      });
    const back = applyEvent(graph, state, uphold({ backTo: 'apply' }));
    expect([back.status, Object.keys(back.active)]).toEqual(['running', ['apply']]);
  });

  test('not beyond the objected step: an objection to the application returns at most to it', () => {
    let state = objected();
    state = applyEvent(
      graph,
      state,
      act(town, null, 'rule-objection', { objectionId: 'objection-1', ruling: 'dismiss' }, '无碍'),
    );
    state = applyEvent(graph, state, act(supervisor, 'review', 'approve'));
    const atTown = applyEvent(graph, state, {
      ...act(supervisor, 'apply', 'raise-objection', {}, '收款人是亲属'),
      step: 'apply',
    });
    expect(rulingTargets(graph, atTown, atTown.objections[1]!)).toEqual(['apply']);
    expect(
      validateAction(
        graph,
        atTown,
        act(town, null, 'rule-objection', { objectionId: 'objection-2', ruling: 'uphold', backTo: 'review' }, '属实'),
      ),
    ).toMatchObject({ details: [{ field: 'data.backTo' }] });
  });

  test('a ruling needs a reason', () => {
    expect(validateAction(graph, objected(), uphold({ backTo: 'apply' }, ''))).toMatchObject({
      code: 'REASON_REQUIRED',
      details: [{ field: 'comment' }],
    });
  });

  test('upholding with no step is refused; stopping the matter is said explicitly', () => {
    const state = objected();
    expect(validateAction(graph, state, uphold({}))).toMatchObject({ details: [{ field: 'data.backTo' }] });
    expect(validateAction(graph, state, uphold({ backTo: 'apply', stop: true }))).toMatchObject({
      details: [{ field: 'data.backTo' }],
    });
    const stopped = applyEvent(graph, state, uphold({ stop: true }));
    expect([stopped.status, stopped.outcome]).toEqual(['ended', 'stopped']);
    expect(stopped.record.find((e) => e.action === 'rule-objection')?.data).toMatchObject({ stop: true });
  });

  test('a matter from before the rule keeps the older ruling (no step: stopped)', () => {
    const older = objected({} as { boundedRulings: true });
    expect(validateAction(graph, older, uphold({}, ''))).toBeUndefined();
  });

  test('the task list offers the town exactly the rulings the engine accepts (an open objection too)', () => {
    const state = objected();
    const tasks = tasksIn(
      viewOf(graph, state),
      { id: town.userId, name: '孙' } as never,
      ['town-official'],
      new Date(T0),
    );
    expect(tasks.map((t) => t.actions).flat()).toEqual(['rule-objection']);
    expect(validateAction(graph, state, uphold({ backTo: 'review' }))).toBeUndefined();
    const committee = tasksIn(viewOf(graph, state), { id: 'wang', name: '王' } as never, ['director'], new Date(T0));
    expect(committee.map((t) => t.actions).flat()).toEqual(['answer-objection']);
  });
});
