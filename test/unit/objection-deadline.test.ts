import { tasksIn } from '../../api/routes/me/handlers';
import { overdueItems } from '../../common/accountability';
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
import { viewOf } from '../../common/matter-view';
import { objectionDeadlinesFrom } from '../../common/objection-deadlines';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { testCatalog } from '../helpers/catalog';
import path from 'node:path';

/**
 * 招标投标法实施条例 Art. 54: an objection raised during the candidates' disclosure is answered
 * within 3 days (policy `objectionAnswer.<procedure>.<step>`); unanswered, it is overdue and the town is called on.
 */

const secretary: Actor = { userId: 'li-secretary', role: 'secretary', name: '李书记' };
const director: Actor = { userId: 'wang-director', role: 'director', name: '王主任' };
const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor', name: '赵监委' };
const town: Actor = { userId: 'sun-town', role: 'town-official', name: '孙镇干部' };
const T0 = Date.parse('2026-03-10T02:00:00Z');
const DAY = 86_400_000;
const RULES: MatterRules = { boundedRulings: true, tenderTiers: true, routeInputs: true, objectionDeadlines: true };
const district = objectionDeadlinesFrom(
  policyValuesAt(loadPolicyFile(path.resolve(__dirname, '../../procedures/policies/luojiang.json')), '2026-03-10'),
);

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
});
const object = (reason = '第一中标候选人业绩造假（投标人甲公司提出）') => ({
  ...act(supervisor, 'candidate-disclosure', 'raise-objection', {}, reason),
  objectionDeadlines: district,
});
const fire = (state: MatterState, timerId: string, at: number) =>
  applyEvent(graph, state, { type: 'timer-fired', at, timerId });

/** A village comparison up to its candidates' disclosure. */
function disclosing(rules: MatterRules = RULES): MatterState {
  let state = startMatter(
    graph,
    { matterId: 'm', village: 'xinglong', title: '村道', initiator: secretary, rules },
    T0,
  );
  state = applyEvent(
    graph,
    state,
    act(secretary, 'register', 'submit', { project: '村道', kind: 'works', budget: 40_000 }),
  );
  const notice = state.timers.find((t) => t.kind === 'window');
  state = fire(state, notice?.id ?? '', (clock += DAY));
  state = applyEvent(
    graph,
    state,
    act(director, 'bid-opening', 'submit', { openedOn: '2026-03-20', bidsReceived: 3, validBids: 3 }),
  );
  state = applyEvent(graph, state, act(supervisor, 'bid-opening-review', 'approve'));
  state = applyEvent(
    graph,
    state,
    act(director, 'evaluation', 'submit', {
      panelSize: 3,
      ranking: '甲乙丙',
      firstCandidate: '甲公司',
      bidAmount: 38_000,
    }),
  );
  expect(Object.keys(state.active)).toEqual(['candidate-disclosure']);
  return state;
}

describe('实施条例 Art. 54: an objection during the candidates’ disclosure is answered within 3 days', () => {
  test('the district policy gives the candidate disclosure 3 days', () => {
    expect(district).toEqual({ 'projectBidding.candidateDisclosure': { amount: 3, unit: 'days' } });
  });

  test('unanswered past its time, the objection is overdue, shown to the committee and the town, and the town may rule', () => {
    let state = applyEvent(graph, disclosing(), object());
    const raisedAt = clock;
    const objection = state.objections[0];
    expect(objection).toMatchObject({ answerWithin: { amount: 3, unit: 'days' } });
    expect(objection?.answerDueAt).toBe(new Date(raisedAt + 3 * DAY).toISOString());
    const answerTimer = state.timers.find((t) => t.kind === 'objection-answer');
    expect(answerTimer?.objection).toBe('objection-1');

    // the clock runs while the objection suspends the matter
    expect(state.status).toBe('suspended');
    state = fire(state, answerTimer?.id ?? '', raisedAt + 3 * DAY);
    expect(state.objections[0]?.overdueSince).toBe(new Date(raisedAt + 3 * DAY).toISOString());
    expect(state.record.at(-1)).toMatchObject({
      action: 'objection-overdue',
      step: 'candidate-disclosure',
      data: { objectionId: 'objection-1', escalatedTo: 'town-official' },
    });
    expect(state.status).toBe('suspended');

    const items = overdueItems({
      village: 'xinglong',
      matters: [viewOf(graph, state)],
      opinions: [],
      directory: { villages: [{ id: 'xinglong', town: 'jinshan' }], users: [] },
      now: raisedAt + 4 * DAY,
    });
    expect(items.filter((i) => i.kind === 'objection')).toEqual([
      expect.objectContaining({ id: 'm', stepName: { zh: '答复异议', en: 'Answer the objection' } }),
    ]);
    expect(items[0]?.roles.map((r) => r.role)).toEqual(['committee', 'town-official']);

    // the answer and the ruling are tasks due at the answer time, overdue first in the lists
    const tasks = [
      ...tasksIn(viewOf(graph, state), { id: 'wang', name: '王' } as never, ['director'], new Date(raisedAt + DAY)),
      ...tasksIn(viewOf(graph, state), { id: 'sun', name: '孙' } as never, ['town-official'], new Date(raisedAt + DAY)),
    ];
    expect(tasks.map((t) => [t.actions, t.deadline, t.overdue])).toEqual([
      [['answer-objection'], objection?.answerDueAt, true],
      [['rule-objection'], objection?.answerDueAt, true],
    ]);

    const ruling = act(
      town,
      null,
      'rule-objection',
      { objectionId: 'objection-1', ruling: 'dismiss' },
      '逾期未答复，经核查异议不成立',
    );
    expect(validateAction(graph, state, ruling)).toBeUndefined();
    state = applyEvent(graph, state, ruling);
    expect(state.status).toBe('running');
  });

  test('answered in time, the clock stops: nothing goes overdue', () => {
    let state = applyEvent(graph, disclosing(), object());
    const timerId = state.timers.find((t) => t.kind === 'objection-answer')?.id ?? '';
    state = applyEvent(
      graph,
      state,
      act(director, null, 'answer-objection', { objectionId: 'objection-1', answer: '经核查业绩属实，附证明材料' }),
    );
    expect(state.timers.some((t) => t.kind === 'objection-answer')).toBe(false);
    state = fire(state, timerId, clock + 3 * DAY);
    expect(state.objections[0]?.overdueSince).toBeUndefined();
    expect(state.record.some((r) => r.action === 'objection-overdue')).toBe(false);
  });

  test('counted as 民法典 counts days, the answer time is dated by the calendar: its end shows once the workflow dates it', () => {
    let state = applyEvent(graph, disclosing({ ...RULES, civilCodeDays: true }), object());
    const timer = state.timers.find((t) => t.kind === 'objection-answer');
    expect([timer?.dueAt, state.objections[0]?.answerDueAt]).toEqual([undefined, undefined]);
    // 3 days from 03-10 end at 24:00 Beijing time of 03-13 (activities/calendar.ts computes it)
    const dueAt = Date.parse('2026-03-13T16:00:00Z');
    state = applyEvent(graph, state, { type: 'timer-scheduled', at: clock, timerId: timer?.id ?? '', dueAt });
    expect(state.objections[0]?.answerDueAt).toBe('2026-03-13T16:00:00.000Z');
  });

  test('an objection at a step the policy names no time for has no clock; nor do matters from before the rule', () => {
    let early = startMatter(
      graph,
      { matterId: 'e', village: 'xinglong', title: '村道', initiator: secretary, rules: RULES },
      T0,
    );
    early = applyEvent(
      graph,
      early,
      act(secretary, 'register', 'submit', { project: '村道', kind: 'works', budget: 40_000 }),
    );
    early = applyEvent(graph, early, { ...object(), step: 'tender-notice' });
    expect(early.objections[0]?.answerWithin).toBeUndefined();
    expect(early.timers.some((t) => t.kind === 'objection-answer')).toBe(false);

    const older = applyEvent(graph, disclosing({ boundedRulings: true }), object());
    expect(older.objections[0]?.answerWithin).toBeUndefined();
    expect(older.timers.some((t) => t.kind === 'objection-answer')).toBe(false);
  });
});
