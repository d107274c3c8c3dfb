import {
  applyEvent,
  nextDueTimer,
  startMatter,
  timersToSchedule,
  validateAction,
  type Actor,
  type EngineEvent,
  type MatterState,
} from '../../common/engine';
import type { ProcedureGraph } from '../../common/graph';
import { buildGraph } from '../helpers/graph-builder';
import { meetingRecord as meeting } from '../helpers/meeting';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const secretary: Actor = { userId: 'li-secretary', role: 'secretary' };
const director: Actor = { userId: 'wang-director', role: 'director' };
const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor' };
const chair: Actor = { userId: 'qian-chair', role: 'supervisor-chair' };
const town: Actor = { userId: 'sun-town', role: 'town-official' };

function start(graph: ProcedureGraph, initiator: Actor = secretary): MatterState {
  return startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '修村道', initiator }, T0);
}

function act(
  actor: Actor,
  step: string | null,
  action: string,
  data: Record<string, unknown> = {},
  comment?: string,
): Extract<EngineEvent, { type: 'act' }> {
  return { type: 'act', at: T0 + 1000, actor, step, action, data, ...(comment !== undefined ? { comment } : {}) };
}

function apply(graph: ProcedureGraph, state: MatterState, event: EngineEvent): MatterState {
  return applyEvent(graph, state, event);
}

const submitGraph = buildGraph(
  {
    start: { type: 'startEvent' },
    propose: {
      type: 'userTask',
      step: {
        kind: 'submit',
        roles: ['secretary'],
        fields: [
          { name: 'title', type: 'string', required: true, label: { zh: '标题', en: 'Title' } },
          { name: 'amount', type: 'amount', required: true, label: { zh: '金额', en: 'Amount' } },
        ],
      },
    },
    done: { type: 'endEvent', outcome: 'completed' },
  },
  [
    ['f1', 'start', 'propose'],
    ['f2', 'propose', 'done'],
  ],
);

describe('sequence and submit', () => {
  test('given a start, then the first step is active and the start is recorded', () => {
    const state = start(submitGraph);

    expect(Object.keys(state.active)).toEqual(['propose']);
    expect(state.takenFlows).toEqual(['f1']);
    expect(state.record[0]).toMatchObject({ seq: 1, userId: 'li-secretary', role: 'secretary', action: 'start' });
  });

  test('given valid data from the right role, when submitted, then the matter ends with the outcome of its end event', () => {
    const state = apply(
      submitGraph,
      start(submitGraph),
      act(secretary, 'propose', 'submit', { title: '修村道', amount: 1200.5 }),
    );

    expect(state.status).toBe('ended');
    expect(state.outcome).toBe('completed');
    expect(state.completedSteps).toEqual(['propose']);
    expect(state.takenFlows).toEqual(['f1', 'f2']);
    expect(state.variables.propose).toEqual({ title: '修村道', amount: 1200.5 });
  });

  test.each([
    [{ title: '', amount: 1 }, 'data.title'],
    [{ title: 'x', amount: -1 }, 'data.amount'],
    [{ title: 'x', amount: 1.005 }, 'data.amount'],
    [{ title: 'x' }, 'data.amount'],
    [{ title: 'x', amount: 1, extra: true }, 'data'],
  ])('given data %j, then INVALID_DATA names %s and nothing changes', (data, field) => {
    const state = start(submitGraph);

    const problem = validateAction(submitGraph, state, act(secretary, 'propose', 'submit', data));

    expect(problem?.code).toBe('INVALID_DATA');
    expect(problem?.details?.[0]?.field).toBe(field);
    expect(() => apply(submitGraph, state, act(secretary, 'propose', 'submit', data))).toThrow('INVALID_DATA');
  });

  test('given the wrong role, an inactive step or an unknown action, then the stable codes', () => {
    const state = start(submitGraph);

    expect(
      validateAction(submitGraph, state, act(supervisor, 'propose', 'submit', { title: 'x', amount: 1 }))?.code,
    ).toBe('ROLE_NOT_ALLOWED');
    expect(validateAction(submitGraph, state, act(secretary, 'done', 'submit'))?.code).toBe('STEP_NOT_ACTIVE');
    expect(validateAction(submitGraph, state, act(secretary, 'propose', 'approve'))?.code).toBe('ACTION_NOT_ALLOWED');
  });

  test('given an ended matter, then every action is refused with MATTER_ENDED', () => {
    const ended = apply(
      submitGraph,
      start(submitGraph),
      act(secretary, 'propose', 'submit', { title: 'x', amount: 1 }),
    );

    expect(
      validateAction(submitGraph, ended, act(secretary, 'propose', 'submit', { title: 'x', amount: 1 }))?.code,
    ).toBe('MATTER_ENDED');
  });

  test('the engine never mutates the state it is given', () => {
    const state = start(submitGraph);
    const before = JSON.stringify(state);

    apply(submitGraph, state, act(secretary, 'propose', 'submit', { title: 'x', amount: 1 }));

    expect(JSON.stringify(state)).toBe(before);
  });
});

describe('exclusive gateway (FEEL) and loops', () => {
  const graph = buildGraph(
    {
      start: { type: 'startEvent' },
      propose: { type: 'userTask', step: { kind: 'submit', roles: ['secretary'] } },
      check: { type: 'userTask', step: { kind: 'review', roles: ['supervisor'] } },
      gw: { type: 'exclusiveGateway', default: 'toEnd' },
      approved: { type: 'endEvent', outcome: 'completed' },
      stopped: { type: 'endEvent', outcome: 'withdrawn' },
    },
    [
      ['f1', 'start', 'propose'],
      ['f2', 'propose', 'check'],
      ['f3', 'check', 'gw'],
      ['ok', 'gw', 'approved', 'check.decision = "approved"'],
      ['back', 'gw', 'propose', 'check.decision = "objected"'],
      ['toEnd', 'gw', 'stopped'],
    ],
  );

  test('given an objection, when the gateway evaluates, then the matter loops back to the earlier step', () => {
    let state = start(graph);
    state = apply(graph, state, act(secretary, 'propose', 'submit'));
    state = apply(graph, state, act(supervisor, 'check', 'object', {}, '预算不清'));

    expect(Object.keys(state.active)).toEqual(['propose']);
    expect(state.takenFlows).toEqual(['f1', 'f2', 'f3', 'back']);
    expect(state.record.at(-1)).toMatchObject({
      action: 'object',
      decision: 'objected',
      reason: '预算不清',
      role: 'supervisor',
    });

    state = apply(graph, state, act(secretary, 'propose', 'submit'));
    state = apply(graph, state, act(supervisor, 'check', 'approve'));
    expect(state.outcome).toBe('completed');
    expect(state.completedSteps).toEqual(['propose', 'check', 'propose', 'check']);
  });

  test('given an objection without a reason, then REASON_REQUIRED', () => {
    let state = start(graph);
    state = apply(graph, state, act(secretary, 'propose', 'submit'));

    expect(validateAction(graph, state, act(supervisor, 'check', 'object', {}, '  '))?.code).toBe('REASON_REQUIRED');
  });

  test('given the initiator is also a supervisor, then they must recuse from the review', () => {
    const state = apply(
      graph,
      start(graph, { userId: 'zhao-supervisor', role: 'secretary' }),
      act(secretary, 'propose', 'submit'),
    );

    expect(validateAction(graph, state, act(supervisor, 'check', 'approve'))?.code).toBe('RECUSED');
  });

  test('given a step holding a variable no condition matches, then the default flow is taken', () => {
    const odd = buildGraph(
      {
        start: { type: 'startEvent' },
        gw: { type: 'exclusiveGateway', default: 'dflt' },
        a: { type: 'endEvent', outcome: 'a' },
        b: { type: 'endEvent', outcome: 'b' },
      },
      [
        ['f1', 'start', 'gw'],
        ['cond', 'gw', 'a', 'matter.village = "elsewhere"'],
        ['dflt', 'gw', 'b'],
      ],
    );

    expect(start(odd).outcome).toBe('b');
  });
});

describe('parallel gateway: fork and join', () => {
  const graph = buildGraph(
    {
      start: { type: 'startEvent' },
      fork: { type: 'parallelGateway' },
      a: { type: 'userTask', step: { kind: 'submit', roles: ['secretary'] } },
      b: { type: 'userTask', step: { kind: 'review', roles: ['supervisor'] } },
      join: { type: 'parallelGateway' },
      done: { type: 'endEvent', outcome: 'completed' },
    },
    [
      ['f1', 'start', 'fork'],
      ['fa', 'fork', 'a'],
      ['fb', 'fork', 'b'],
      ['ja', 'a', 'join'],
      ['jb', 'b', 'join'],
      ['f2', 'join', 'done'],
    ],
  );

  test('given a fork, then both branches are active, and the join waits for both', () => {
    let state = start(graph);
    expect(Object.keys(state.active).sort()).toEqual(['a', 'b']);

    state = apply(graph, state, act(supervisor, 'b', 'approve'));
    expect(Object.keys(state.active)).toEqual(['a']);
    expect(state.joins.join).toEqual(['jb']);
    expect(state.status).toBe('running');

    state = apply(graph, state, act(secretary, 'a', 'submit'));
    expect(state.status).toBe('ended');
    expect(state.takenFlows.filter((f) => f === 'f2')).toHaveLength(1);
  });
});

describe('timers', () => {
  test('given a timer catch event in calendar days, then it is due exactly then and firing it moves on', () => {
    const graph = buildGraph(
      {
        start: { type: 'startEvent' },
        wait: { type: 'timerCatchEvent', duration: { amount: 3, unit: 'days' } },
        done: { type: 'endEvent', outcome: 'completed' },
      },
      [
        ['f1', 'start', 'wait'],
        ['f2', 'wait', 'done'],
      ],
    );
    const state = start(graph);
    const timer = nextDueTimer(state);

    expect(timer?.dueAt).toBe(T0 + 3 * 86_400_000);
    const fired = apply(graph, state, { type: 'timer-fired', at: T0 + 3 * 86_400_000, timerId: timer?.id ?? '' });
    expect(fired.outcome).toBe('completed');
  });

  test('given working days, then the engine leaves the date to the calendar activity', () => {
    const graph = buildGraph(
      {
        start: { type: 'startEvent' },
        wait: { type: 'timerCatchEvent', duration: { amount: 5, unit: 'workingDays' } },
        done: { type: 'endEvent', outcome: 'completed' },
      },
      [
        ['f1', 'start', 'wait'],
        ['f2', 'wait', 'done'],
      ],
    );
    const state = start(graph);
    const [pending] = timersToSchedule(state);

    expect(pending).toBeDefined();
    expect(nextDueTimer(state)).toBeUndefined();
    const scheduled = apply(graph, state, {
      type: 'timer-scheduled',
      at: T0,
      timerId: pending?.id ?? '',
      dueAt: T0 + 7 * 86_400_000,
    });
    expect(nextDueTimer(scheduled)?.dueAt).toBe(T0 + 7 * 86_400_000);
  });

  const boundaryGraph = (interrupting: boolean) =>
    buildGraph(
      {
        start: { type: 'startEvent' },
        sign: { type: 'userTask', step: { kind: 'submit', roles: ['director'] } },
        late: { type: 'boundaryTimerEvent', attachedTo: 'sign', interrupting, duration: { amount: 30, unit: 'days' } },
        escalate: { type: 'userTask', step: { kind: 'review', roles: ['town-official'] } },
        done: { type: 'endEvent', outcome: 'completed' },
        escalated: { type: 'endEvent', outcome: 'escalated' },
      },
      [
        ['f1', 'start', 'sign'],
        ['f2', 'sign', 'done'],
        ['f3', 'late', 'escalate'],
        ['f4', 'escalate', 'escalated'],
      ],
    );

  test('given an interrupting boundary timer, when it fires, then the task is cancelled and the timeout path runs', () => {
    const graph = boundaryGraph(true);
    const state = start(graph);
    const timer = state.timers.find((t) => t.kind === 'boundary');

    const fired = apply(graph, state, { type: 'timer-fired', at: timer?.dueAt ?? 0, timerId: timer?.id ?? '' });

    expect(Object.keys(fired.active)).toEqual(['escalate']);
    expect(fired.takenFlows).toContain('f3');
  });

  test('given a non-interrupting boundary timer, when it fires, then the task stays and a parallel path runs', () => {
    const graph = boundaryGraph(false);
    const state = start(graph);
    const timer = state.timers.find((t) => t.kind === 'boundary');

    const fired = apply(graph, state, { type: 'timer-fired', at: timer?.dueAt ?? 0, timerId: timer?.id ?? '' });

    expect(Object.keys(fired.active).sort()).toEqual(['escalate', 'sign']);
  });

  test('given a non-interrupting escalation ends before or after the main path, then the main path decides the outcome', () => {
    const graph = boundaryGraph(false);
    let state = start(graph);
    const timer = state.timers.find((t) => t.kind === 'boundary');
    state = apply(graph, state, { type: 'timer-fired', at: timer?.dueAt ?? 0, timerId: timer?.id ?? '' });

    const escalationFirst = apply(
      graph,
      apply(graph, state, act(town, 'escalate', 'approve')),
      act(director, 'sign', 'submit'),
    );
    const mainFirst = apply(
      graph,
      apply(graph, state, act(director, 'sign', 'submit')),
      act(town, 'escalate', 'approve'),
    );

    expect([escalationFirst.status, escalationFirst.outcome]).toEqual(['ended', 'completed']);
    expect([mainFirst.status, mainFirst.outcome]).toEqual(['ended', 'completed']);
  });

  test('given the task completes first, then its boundary timer is cancelled', () => {
    const graph = boundaryGraph(true);
    const state = apply(graph, start(graph), act(director, 'sign', 'submit'));

    expect(state.timers).toEqual([]);
    expect(state.outcome).toBe('completed');
  });
});

const meetingGraph = buildGraph(
  {
    start: { type: 'startEvent' },
    resolve: {
      type: 'userTask',
      step: {
        kind: 'meeting',
        roles: ['director', 'secretary'],
        bodies: ['villagers', 'representatives'],
        deadline: { amount: 10, unit: 'days' },
      },
    },
    gw: { type: 'exclusiveGateway' },
    passed: { type: 'endEvent', outcome: 'completed' },
    rejected: { type: 'endEvent', outcome: 'rejected' },
  },
  [
    ['f1', 'start', 'resolve'],
    ['f2', 'resolve', 'gw'],
    ['yes', 'gw', 'passed', 'resolve.outcome = "passed"'],
    ['no', 'gw', 'rejected', 'resolve.outcome = "rejected"'],
  ],
);

describe('meeting: quorum, majority, witness', () => {
  test('given a quorate representatives meeting that passes, when a supervisor confirms, then the step completes as passed', () => {
    let state = start(meetingGraph);
    state = apply(meetingGraph, state, act(director, 'resolve', 'record', meeting('representatives', 30, 20, 11)));
    expect(state.active.resolve?.phase).toBe('awaiting-witness');
    expect(state.meetings[0]).toMatchObject({
      result: 'passed',
      status: 'pending-witness',
      recordedBy: 'wang-director',
    });

    state = apply(meetingGraph, state, act(supervisor, 'resolve', 'confirm'));

    expect(state.outcome).toBe('completed');
    expect(state.meetings[0]).toMatchObject({ status: 'confirmed', witnessedBy: 'zhao-supervisor' });
    expect(state.variables.resolve).toEqual({ outcome: 'passed', body: 'representatives' });
  });

  test('given 2/3 exactly attend but half agree, then it is quorate and rejected', () => {
    let state = start(meetingGraph);
    state = apply(meetingGraph, state, act(director, 'resolve', 'record', meeting('representatives', 30, 20, 10)));
    state = apply(meetingGraph, state, act(chair, 'resolve', 'confirm'));

    expect(state.outcome).toBe('rejected');
  });

  test('given too few attend, when confirmed, then it is recorded as inquorate and the meeting must be held again', () => {
    let state = start(meetingGraph);
    state = apply(meetingGraph, state, act(director, 'resolve', 'record', meeting('representatives', 30, 19, 19)));
    state = apply(meetingGraph, state, act(supervisor, 'resolve', 'confirm'));

    expect(state.status).toBe('running');
    expect(state.active.resolve?.phase).toBe('open');
    expect(state.meetings[0]).toMatchObject({ result: 'inquorate', status: 'confirmed' });
    expect(state.completedSteps).toEqual([]);

    state = apply(meetingGraph, state, act(director, 'resolve', 'record', meeting('representatives', 30, 25, 20)));
    state = apply(meetingGraph, state, act(supervisor, 'resolve', 'confirm'));
    expect(state.outcome).toBe('completed');
    expect(state.meetings.map((m) => m.result)).toEqual(['inquorate', 'passed']);
  });

  test('given a villagers assembly with few adults but 2/3 of households represented, then it is quorate', () => {
    let state = start(meetingGraph);
    state = apply(
      meetingGraph,
      state,
      act(
        director,
        'resolve',
        'record',
        meeting('villagers', 900, 200, 150, { households: 300, householdsRepresented: 200 }),
      ),
    );

    expect(state.meetings[0]?.result).toBe('passed');
  });

  test('given the recorder tries to witness their own record, then RECUSED', () => {
    const recorderWhoIsSupervisor: Actor = { userId: 'wang-director', role: 'supervisor' };
    const state = apply(
      meetingGraph,
      start(meetingGraph),
      act(director, 'resolve', 'record', meeting('representatives', 30, 20, 11)),
    );

    expect(validateAction(meetingGraph, state, act(recorderWhoIsSupervisor, 'resolve', 'confirm'))?.code).toBe(
      'RECUSED',
    );
  });

  test('given a witness objects to the record, then it needs a reason and the record must be made again', () => {
    let state = apply(
      meetingGraph,
      start(meetingGraph),
      act(director, 'resolve', 'record', meeting('representatives', 30, 20, 11)),
    );
    expect(validateAction(meetingGraph, state, act(supervisor, 'resolve', 'object-record'))?.code).toBe(
      'REASON_REQUIRED',
    );

    state = apply(meetingGraph, state, act(supervisor, 'resolve', 'object-record', {}, '签到表人数不符'));

    expect(state.active.resolve?.phase).toBe('open');
    expect(state.meetings[0]?.status).toBe('objected');
  });

  test.each([
    [meeting('party-members', 30, 20, 11), 'data.body'],
    [meeting('representatives', 30, 31, 11), 'data.present'],
    [{ ...meeting('representatives', 30, 20, 11), minutesHash: 'nope' }, 'data.minutesHash'],
    [{ ...meeting('representatives', 30, 20, 11), inFavour: 25, against: 0 }, 'data.inFavour'],
  ])('given a bad record %j, then INVALID_DATA names %s', (data, field) => {
    const problem = validateAction(meetingGraph, start(meetingGraph), act(director, 'resolve', 'record', data));

    expect(problem?.code).toBe('INVALID_DATA');
    expect(problem?.details?.map((d) => d.field)).toContain(field);
  });

  test('given a step deadline, then it is a timer that, when passed, is recorded and leaves the step active', () => {
    const state = start(meetingGraph);
    const deadline = state.timers.find((t) => t.kind === 'deadline');
    expect(deadline?.dueAt).toBe(T0 + 10 * 86_400_000);

    const later = apply(meetingGraph, state, {
      type: 'timer-fired',
      at: deadline?.dueAt ?? 0,
      timerId: deadline?.id ?? '',
    });
    expect(Object.keys(later.active)).toEqual(['resolve']);
    expect(later.record.at(-1)).toMatchObject({ action: 'deadline-passed', step: 'resolve' });
  });
});

describe('disclosure, record and approval steps', () => {
  const graph = buildGraph(
    {
      start: { type: 'startEvent' },
      disclose: {
        type: 'userTask',
        step: { kind: 'disclosure', roles: ['secretary'], window: { amount: 7, unit: 'days' } },
      },
      implement: {
        type: 'userTask',
        step: {
          kind: 'record',
          roles: ['director'],
          fields: [{ name: 'progress', type: 'text', required: true, label: { zh: '进展', en: 'Progress' } }],
        },
      },
      approve: { type: 'userTask', step: { kind: 'approval', roles: ['town-official'] } },
      done: { type: 'endEvent', outcome: 'completed' },
    },
    [
      ['f1', 'start', 'disclose'],
      ['f2', 'disclose', 'implement'],
      ['f3', 'implement', 'approve'],
      ['f4', 'approve', 'done'],
    ],
  );

  test('given a disclosure, then the notice is published at once, nobody can complete it by hand, and it completes when the window ends', () => {
    let state = start(graph);
    expect(state.notices).toEqual([{ step: 'disclose', publishedAt: new Date(T0).toISOString() }]);
    expect(validateAction(graph, state, act(secretary, 'disclose', 'submit'))?.code).toBe('ACTION_NOT_ALLOWED');

    const window = state.timers.find((t) => t.kind === 'window');
    state = apply(graph, state, { type: 'timer-fired', at: window?.dueAt ?? 0, timerId: window?.id ?? '' });

    expect(Object.keys(state.active)).toEqual(['implement']);
    expect(state.notices[0]?.endsAt).toBe(new Date(T0 + 7 * 86_400_000).toISOString());
    expect(state.variables.disclose).toEqual({ opinions: 0 });
  });

  test('given record then approval, then a rejection needs a reason and the initiator may not approve', () => {
    let state = start(graph, { userId: 'sun-town', role: 'secretary' });
    const window = state.timers.find((t) => t.kind === 'window');
    state = apply(graph, state, { type: 'timer-fired', at: window?.dueAt ?? 0, timerId: window?.id ?? '' });
    state = apply(graph, state, act(director, 'implement', 'submit', { progress: '已完工' }));

    expect(validateAction(graph, state, act(town, 'approve', 'approve'))?.code).toBe('RECUSED');
    const other: Actor = { userId: 'zhou-town', role: 'town-official' };
    expect(validateAction(graph, state, act(other, 'approve', 'reject'))?.code).toBe('REASON_REQUIRED');
    state = apply(graph, state, act(other, 'approve', 'approve'));
    expect(state.outcome).toBe('completed');
  });
});

describe('supervisor objection: suspends the matter until resolved', () => {
  const graph = buildGraph(
    {
      start: { type: 'startEvent' },
      propose: { type: 'userTask', step: { kind: 'submit', roles: ['secretary'] } },
      disclose: {
        type: 'userTask',
        step: { kind: 'disclosure', roles: ['secretary'], window: { amount: 5, unit: 'days' } },
      },
      done: { type: 'endEvent', outcome: 'completed' },
    },
    [
      ['f1', 'start', 'propose'],
      ['f2', 'propose', 'disclose'],
      ['f3', 'disclose', 'done'],
    ],
  );

  function objected(): MatterState {
    return apply(graph, start(graph), act(supervisor, 'propose', 'raise-objection', {}, '未经两委商议'));
  }

  test('given an objection without a reason or by a non-supervisor, then it is refused', () => {
    const state = start(graph);

    expect(validateAction(graph, state, act(supervisor, null, 'raise-objection'))?.code).toBe('REASON_REQUIRED');
    expect(validateAction(graph, state, act(director, null, 'raise-objection', {}, 'x'))?.code).toBe(
      'ROLE_NOT_ALLOWED',
    );
  });

  test('given an open objection, then no step may complete', () => {
    const state = objected();

    expect(state.status).toBe('suspended');
    expect(validateAction(graph, state, act(secretary, 'propose', 'submit'))?.code).toBe('MATTER_SUSPENDED');
  });

  test('given the committee answers and a supervisor accepts, then the matter resumes', () => {
    let state = objected();
    expect(
      validateAction(graph, state, act(supervisor, null, 'accept-answer', { objectionId: 'objection-1' }))?.code,
    ).toBe('ACTION_NOT_ALLOWED');

    state = apply(
      graph,
      state,
      act(director, null, 'answer-objection', { objectionId: 'objection-1', answer: '已补开两委会' }),
    );
    state = apply(graph, state, act(chair, null, 'accept-answer', { objectionId: 'objection-1' }));

    expect(state.status).toBe('running');
    expect(state.objections[0]).toMatchObject({ status: 'resolved', answer: '已补开两委会' });
    state = apply(graph, state, act(secretary, 'propose', 'submit'));
    expect(Object.keys(state.active)).toEqual(['disclose']);
  });

  test('given the town upholds with a step to go back to, then the matter resumes there; with none, it stops', () => {
    let state = apply(graph, start(graph), act(secretary, 'propose', 'submit'));
    state = apply(graph, state, act(supervisor, 'disclose', 'raise-objection', {}, '公示内容不全'));
    const back = apply(
      graph,
      state,
      act(
        town,
        null,
        'rule-objection',
        { objectionId: 'objection-1', ruling: 'uphold', backTo: 'propose' },
        '退回重报',
      ),
    );
    const stop = apply(
      graph,
      state,
      act(town, null, 'rule-objection', { objectionId: 'objection-1', ruling: 'uphold' }, '程序违法'),
    );

    expect(back.status).toBe('running');
    expect(Object.keys(back.active)).toEqual(['propose']);
    expect(back.timers).toEqual([]);
    expect(stop.status).toBe('ended');
    expect(stop.outcome).toBe('stopped');
  });

  test('given a disclosure window ends while suspended, then it completes only when the matter resumes', () => {
    let state = apply(graph, start(graph), act(secretary, 'propose', 'submit'));
    state = apply(graph, state, act(supervisor, 'disclose', 'raise-objection', {}, '公示地点不对'));
    const window = state.timers.find((t) => t.kind === 'window');
    state = apply(graph, state, { type: 'timer-fired', at: window?.dueAt ?? 0, timerId: window?.id ?? '' });
    expect(Object.keys(state.active)).toEqual(['disclose']);
    expect(nextDueTimer(state)).toBeUndefined();

    state = apply(
      graph,
      state,
      act(town, null, 'rule-objection', { objectionId: 'objection-1', ruling: 'dismiss' }, '异议不成立'),
    );

    expect(state.outcome).toBe('completed');
  });
});
