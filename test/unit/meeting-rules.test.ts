import { applyEvent, startMatter, validateAction, type Actor } from '../../common/engine';
import { meets } from '../../common/meeting';
import { buildGraph } from '../helpers/graph-builder';

describe('ratios at the legal boundaries (the bodies themselves: policy.test.ts)', () => {
  test('ratios are exact: more than a half, at least two thirds', () => {
    expect(meets({ compare: 'gt', num: 1, den: 2 }, 5, 10)).toBe(false);
    expect(meets({ compare: 'gt', num: 1, den: 2 }, 6, 10)).toBe(true);
    expect(meets({ compare: 'gte', num: 2, den: 3 }, 19, 29)).toBe(false); // 19/29 = 0.655…
    expect(meets({ compare: 'gte', num: 2, den: 3 }, 20, 30)).toBe(true);
  });
});

describe('meetings are judged against the village register, held on real days not yet to come', () => {
  const graph = buildGraph(
    {
      start: { type: 'startEvent' },
      resolve: {
        type: 'userTask',
        step: { kind: 'meeting', roles: ['director'], bodies: ['villagers', 'representatives'] },
      },
      done: { type: 'endEvent', outcome: 'completed' },
    },
    [
      ['f1', 'start', 'resolve'],
      ['f2', 'resolve', 'done'],
    ],
  );
  const director: Actor = { userId: 'wang-director', role: 'director' };
  const register = {
    from: '2026-01-01',
    adultVillagers: 900,
    households: 300,
    representatives: 30,
    partyMembers: 45,
    twoCommittees: 7,
  };
  const AT = Date.parse('2026-03-10T02:00:00Z'); // 10:00 in Beijing
  const started = (rules = { meetingRegister: true }) =>
    startMatter(
      graph,
      { matterId: 'm', village: 'xinglong', title: 't', initiator: { userId: 'li', role: 'secretary' }, rules },
      AT,
    );
  const record = (data: Record<string, unknown>, withRegister = true) => ({
    type: 'act' as const,
    at: AT,
    actor: director,
    step: 'resolve',
    action: 'record',
    data: {
      body: 'representatives',
      date: '2026-03-10',
      minutesHash: 'b'.repeat(64),
      members: 30,
      present: 20,
      inFavour: 11,
      against: 9,
      abstain: 0,
      ...data,
    },
    ...(withRegister ? { register } : {}),
  });
  const fieldOf = (data: Record<string, unknown>, withRegister = true) =>
    validateAction(graph, started(), record(data, withRegister))?.details?.[0]?.field;

  test('a date that is not a calendar day (2026-13-45, 2026-02-30) is refused naming data.date', () => {
    expect(fieldOf({ date: '2026-13-45' })).toBe('data.date');
    expect(fieldOf({ date: '2026-02-30' })).toBe('data.date');
  });

  test('a date after the day it is recorded (2099, or tomorrow in Beijing) is refused naming data.date', () => {
    expect(fieldOf({ date: '2099-01-01' })).toBe('data.date');
    expect(fieldOf({ date: '2026-03-11' })).toBe('data.date');
    expect(fieldOf({ date: '2026-03-10' })).toBeUndefined();
  });

  test('the recorder cannot shrink the body: 28 typed where the register has 30 is refused; 19 of 30 is inquorate', () => {
    const problem = validateAction(graph, started(), record({ members: 28, present: 19, inFavour: 19, against: 0 }));
    expect(problem).toMatchObject({ code: 'INVALID_DATA', details: [{ field: 'data.members' }] });
    expect(problem?.message).toContain('30');

    const judged = applyEvent(graph, started(), record({ members: 30, present: 19, inFavour: 19, against: 0 }));
    expect(judged.meetings[0]?.result).toBe('inquorate');
    expect(judged.record.at(-1)?.data).toMatchObject({ members: 30, registerFrom: '2026-01-01' });
  });

  test("the villagers' assembly takes its households from the register too", () => {
    const villagers = { body: 'villagers', members: 900, present: 400, inFavour: 300, against: 100 };
    expect(fieldOf({ ...villagers, households: 250, householdsRepresented: 200 })).toBe('data.households');
    const judged = applyEvent(graph, started(), record({ ...villagers, households: 300, householdsRepresented: 200 }));
    expect(judged.meetings[0]?.result).toBe('passed');
  });

  test('without a register for the village on that day the record is refused, naming the register', () => {
    expect(fieldOf({}, false)).toBe('register');
  });

  test('a matter from before the register rule keeps judging by the typed numbers', () => {
    const older = startMatter(
      graph,
      { matterId: 'm', village: 'xinglong', title: 't', initiator: { userId: 'li', role: 'secretary' } },
      AT,
    );
    const judged = applyEvent(graph, older, record({ members: 28, present: 19, inFavour: 19, against: 0 }, false));
    expect(judged.meetings[0]?.result).toBe('passed');
  });
});
