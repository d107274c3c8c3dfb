import path from 'node:path';
import { applyEvent, startMatter, type Actor, type MatterState } from '../../common/engine';
import {
  answeredOnTime,
  opinionDeadlinesFrom,
  opinionRefusal,
  publicOpinion,
  type OpinionState,
} from '../../common/opinion';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { buildGraph } from '../helpers/graph-builder';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const DAY = 86_400_000;
const secretary: Actor = { userId: 'li-secretary', role: 'secretary' };

const graph = buildGraph(
  {
    start: { type: 'startEvent' },
    disclose: {
      type: 'userTask',
      step: { kind: 'disclosure', roles: ['secretary'], window: { amount: 5, unit: 'days' } },
    },
    implement: { type: 'userTask', step: { kind: 'record', roles: ['director'] } },
    done: { type: 'endEvent', outcome: 'completed' },
  },
  [
    ['f1', 'start', 'disclose'],
    ['f2', 'disclose', 'implement'],
    ['f3', 'implement', 'done'],
  ],
);

function started(): MatterState {
  return startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '修村道', initiator: secretary }, T0);
}

function windowEnds(state: MatterState, at = T0 + 5 * DAY): MatterState {
  const window = state.timers.find((t) => t.kind === 'window');
  return applyEvent(graph, state, { type: 'timer-fired', at, timerId: window?.id ?? '' });
}

describe('an open opinion holds a disclosure (民意直通车)', () => {
  test('given an opinion filed in the window, when the window ends, then the disclosure waits until the answer and counts the opinion', () => {
    let state = applyEvent(graph, started(), { type: 'opinion-filed', at: T0 + DAY, opinionId: 'o-1' });
    expect(state.openOpinions).toEqual({ disclose: 1 });

    state = windowEnds(state);
    expect(Object.keys(state.active)).toEqual(['disclose']);
    expect(state.active.disclose?.windowEnded).toBe(true);
    expect(state.notices[0]?.endsAt).toBe(new Date(T0 + 5 * DAY).toISOString());

    state = applyEvent(graph, state, { type: 'opinion-answered', at: T0 + 6 * DAY, opinionId: 'o-1' });
    expect(Object.keys(state.active)).toEqual(['implement']);
    expect(state.variables.disclose).toEqual({ opinions: 1 });
    expect(state.record.map((r) => r.action)).toEqual([
      'start',
      'opinion-filed',
      'opinion-answered',
      'disclosure-ended',
    ]);
  });

  test('given an opinion answered within the window, then the disclosure ends with its window as usual', () => {
    let state = applyEvent(graph, started(), { type: 'opinion-filed', at: T0 + DAY, opinionId: 'o-1' });
    state = applyEvent(graph, state, { type: 'opinion-answered', at: T0 + 2 * DAY, opinionId: 'o-1' });
    expect(Object.keys(state.active)).toEqual(['disclose']);
    state = windowEnds(state);
    expect(Object.keys(state.active)).toEqual(['implement']);
  });

  test('given two opinions, then only the last answer releases the disclosure', () => {
    let state = started();
    state = applyEvent(graph, state, { type: 'opinion-filed', at: T0 + DAY, opinionId: 'o-1' });
    state = applyEvent(graph, state, { type: 'opinion-filed', at: T0 + DAY, opinionId: 'o-2' });
    state = windowEnds(state);
    state = applyEvent(graph, state, { type: 'opinion-answered', at: T0 + 6 * DAY, opinionId: 'o-2' });
    expect(Object.keys(state.active)).toEqual(['disclose']);
    state = applyEvent(graph, state, { type: 'opinion-answered', at: T0 + 7 * DAY, opinionId: 'o-1' });
    expect(Object.keys(state.active)).toEqual(['implement']);
    expect(state.variables.disclose).toEqual({ opinions: 2 });
  });

  test('given the same signal twice, or an answer for an opinion never filed, then nothing changes twice', () => {
    let state = started();
    state = applyEvent(graph, state, { type: 'opinion-filed', at: T0 + DAY, opinionId: 'o-1' });
    state = applyEvent(graph, state, { type: 'opinion-filed', at: T0 + DAY, opinionId: 'o-1' });
    expect(state.openOpinions).toEqual({ disclose: 1 });
    const before = state.seq;
    state = applyEvent(graph, state, { type: 'opinion-answered', at: T0 + DAY, opinionId: 'o-9' });
    expect(state.seq).toBe(before);
  });

  test('given an opinion filed when no disclosure is open, then it is recorded and holds nothing', () => {
    let state = windowEnds(started());
    state = applyEvent(graph, state, { type: 'opinion-filed', at: T0 + 6 * DAY, opinionId: 'o-1' });
    expect(state.record.at(-1)).toMatchObject({ action: 'opinion-filed', step: null });
    expect(state.openOpinions).toEqual({});
  });

  test('given a matter suspended by an objection, then the answer releases nothing until the objection is resolved', () => {
    const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor' };
    const director: Actor = { userId: 'wang-director', role: 'director' };
    let state = applyEvent(graph, started(), { type: 'opinion-filed', at: T0 + DAY, opinionId: 'o-1' });
    state = windowEnds(state);
    const act = (actor: Actor, action: string, data: Record<string, unknown> = {}, comment?: string) =>
      applyEvent(graph, state, {
        type: 'act',
        at: T0 + 6 * DAY,
        actor,
        step: null,
        action,
        data,
        ...(comment ? { comment } : {}),
      });
    state = act(supervisor, 'raise-objection', {}, '账目不清');
    state = applyEvent(graph, state, { type: 'opinion-answered', at: T0 + 6 * DAY, opinionId: 'o-1' });
    expect(Object.keys(state.active)).toEqual(['disclose']);
    state = act(director, 'answer-objection', { objectionId: 'objection-1', answer: '已核对' });
    state = act(supervisor, 'accept-answer', { objectionId: 'objection-1' });
    expect(Object.keys(state.active)).toEqual(['implement']);
  });
});

const opinion = (over: Partial<OpinionState> = {}): OpinionState => ({
  opinionId: 'opinion-abc',
  village: 'xinglong',
  subject: '路灯',
  text: '村口路灯坏了',
  contact: { name: '张三', phone: '13800000000' },
  publishAnswer: true,
  status: 'submitted',
  submittedAt: '2026-03-02T01:00:00.000Z',
  acknowledgeDueAt: '2026-03-05T16:00:00.000Z',
  answerDueAt: '2026-03-20T16:00:00.000Z',
  escalations: [],
  ...over,
});

describe('opinion rules', () => {
  const chair = { userId: 'qian-chair', role: 'supervisor-chair' } as const;
  const town = { userId: 'sun-town', role: 'town-official' } as const;

  test('given the policy files, then the time limits are 3 and 15 working days (test policy: seconds)', () => {
    const root = path.join(__dirname, '..', '..');
    const luojiang = policyValuesAt(loadPolicyFile(path.join(root, 'procedures/policies/luojiang.json')), '2026-11-27');
    expect(opinionDeadlinesFrom(luojiang)).toEqual({
      acknowledge: { amount: 3, unit: 'workingDays' },
      answer: { amount: 15, unit: 'workingDays' },
    });
    const short = policyValuesAt(loadPolicyFile(path.join(root, 'test/fixtures/policies/short.json')), '2026-11-27');
    expect(opinionDeadlinesFrom(short).acknowledge.unit).toBe('seconds');
    expect(() => opinionDeadlinesFrom({})).toThrow();
    // every value says where it comes from
    const sources = loadPolicyFile(path.join(root, 'procedures/policies/luojiang.json')).versions[0]?.assumptions ?? {};
    expect(sources['opinions.acknowledgeDeadline']).toMatch(/民意直通车/);
    expect(sources['opinions.answerDeadline']).toMatch(/民意直通车/);
  });

  test('given no time limit has passed, then the town may not act; after one has, it may', () => {
    expect(opinionRefusal(opinion(), 'acknowledge', chair)).toBeUndefined();
    expect(opinionRefusal(opinion(), 'answer', town)?.code).toBe('ROLE_NOT_ALLOWED');
    const late = opinion({ escalations: [{ deadline: 'acknowledge', at: '2026-03-06T00:00:00.000Z' }] });
    expect(opinionRefusal(late, 'answer', town)).toBeUndefined();
  });

  test('given an acknowledged or answered opinion, then it is not acknowledged again, nor answered twice', () => {
    const acknowledged = opinion({ status: 'acknowledged' });
    expect(opinionRefusal(acknowledged, 'acknowledge', chair)?.code).toBe('STEP_NOT_ACTIVE');
    expect(opinionRefusal(acknowledged, 'answer', chair)).toBeUndefined();
    expect(opinionRefusal(opinion({ status: 'answered' }), 'answer', chair)?.code).toBe('STEP_NOT_ACTIVE');
  });

  test('given the public view, then contact details never show, and a withheld answer shows only that it exists', () => {
    const answered = { ...chair, at: '2026-03-03T00:00:00.000Z', answer: '已修好' };
    const shown = publicOpinion(opinion({ status: 'answered', answered }));
    expect(JSON.stringify(shown)).not.toContain('13800000000');
    expect(JSON.stringify(shown)).not.toContain('张三');
    expect(shown.answer).toBe('已修好');
    const withheld = publicOpinion(opinion({ status: 'answered', answered, publishAnswer: false }));
    expect(withheld.answer).toBeUndefined();
    expect(withheld.answerWithheld).toBe(true);
  });

  test('given answer times around the limits, then on time means by both limits', () => {
    const at = (iso: string) => ({ ...chair, at: iso });
    expect(answeredOnTime(opinion())).toBe(false);
    expect(
      answeredOnTime(
        opinion({
          acknowledged: at('2026-03-05T16:00:00.000Z'),
          answered: { ...at('2026-03-20T16:00:00.000Z'), answer: 'ok' },
        }),
      ),
    ).toBe(true);
    expect(
      answeredOnTime(
        opinion({
          acknowledged: at('2026-03-05T16:00:00.001Z'),
          answered: { ...at('2026-03-10T00:00:00.000Z'), answer: 'ok' },
        }),
      ),
    ).toBe(false);
    expect(answeredOnTime(opinion({ answered: { ...at('2026-03-20T16:00:00.001Z'), answer: 'ok' } }))).toBe(false);
  });
});
