import { withActingRole } from '../../common/acting-role';
import { applyEvent, startMatter, type Actor, type MatterState } from '../../common/engine';
import type { ProcedureGraph } from '../../common/graph';
import { reportMatterOf } from '../../common/matter-facts';
import { summaryOf, waitingOn } from '../../common/matter-summary';
import { viewOf } from '../../common/matter-view';
import { buildGraph } from '../helpers/graph-builder';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const secretary: Actor = { userId: 'li', role: 'secretary' };

const graph: ProcedureGraph = buildGraph(
  {
    start: { type: 'startEvent' },
    propose: { type: 'userTask', step: { kind: 'submit', roles: ['committee'], fields: [] } },
    review: { type: 'userTask', step: { kind: 'review', roles: ['supervisor'], fields: [] } },
    done: { type: 'endEvent', outcome: 'completed' },
  },
  [
    ['f1', 'start', 'propose'],
    ['f2', 'propose', 'review'],
    ['f3', 'review', 'done'],
  ],
);

function started(): MatterState {
  return startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '修村道', initiator: secretary }, T0);
}

const deadlineEntry = {
  seq: 0,
  at: new Date(T0 + 5_000_000).toISOString(),
  userId: 'system',
  role: 'system' as const,
  step: 'propose',
  action: 'deadline-passed',
};

describe('the read model of a matter (its summary and who it waits on)', () => {
  test('given a new matter, then the summary is the view without the record, and it waits on the step roles', () => {
    const state = started();
    const summary = summaryOf(graph, state);
    const view = viewOf(graph, state);
    expect(summary).toMatchObject({ v: 1, matterId: 'm-1', village: 'v-1', title: '修村道', status: 'running' });
    expect(summary.activeSteps).toEqual(view.activeSteps);
    expect(summary).not.toHaveProperty('record');
    expect(waitingOn(summary)).toEqual(['committee']);
  });

  test('given an objection while suspended, then it waits on the committee to answer (or the town to rule), not on its steps', () => {
    let state = applyEvent(graph, started(), {
      type: 'act',
      at: T0 + 1,
      actor: { userId: 'zhao', role: 'supervisor' },
      step: null,
      action: 'raise-objection',
      data: {},
      comment: '程序不全',
    });
    expect(state.status).toBe('suspended');
    expect(waitingOn(summaryOf(graph, state))).toEqual(['committee', 'town-official']);
    state = { ...state, objections: state.objections.map((o) => ({ ...o, status: 'answered' as const })) };
    expect(waitingOn(summaryOf(graph, state))).toEqual(['supervisor', 'town-official']);
  });

  test('given a fired deadline in the record, then the active step says since when it is overdue', () => {
    const state = started();
    const since = state.active.propose?.since ?? '';
    const fired: MatterState = {
      ...state,
      record: [
        ...state.record,
        {
          seq: 9,
          at: '2026-03-09T00:00:00.000Z',
          userId: 'system',
          role: 'system',
          step: 'propose',
          action: 'deadline-passed',
        },
      ],
    };
    expect(since < '2026-03-09').toBe(true);
    expect(summaryOf(graph, fired).activeSteps[0]?.overdueSince).toBe('2026-03-09T00:00:00.000Z');
    expect(summaryOf(graph, state).activeSteps[0]).not.toHaveProperty('overdueSince');
  });

  test('given a matter that passed a deadline and ended, then its summary carries the facts its full view gives the reports', () => {
    let state = applyEvent(graph, started(), {
      type: 'act',
      at: T0 + 3_600_000,
      actor: secretary,
      step: 'propose',
      action: 'submit',
      data: {},
    });
    state = { ...state, record: [...state.record, { ...deadlineEntry, seq: state.seq + 1, step: 'review' }] };
    state = applyEvent(graph, state, {
      type: 'act',
      at: T0 + 7_200_000,
      actor: { userId: 'zhao', role: 'supervisor' },
      step: 'review',
      action: 'approve',
      data: {},
    });
    expect(state.status).toBe('ended');
    const facts = summaryOf(graph, state).facts;
    expect(facts).toEqual(reportMatterOf(viewOf(graph, state)).facts);
    expect(facts?.endedAt).toBe(new Date(T0 + 7_200_000).toISOString());
    expect(facts?.deadlinesPassed).toEqual([{ step: 'review', at: deadlineEntry.at }]);
    expect(facts?.stepTimes.map((t) => [t.step, t.ms])).toEqual([
      ['propose', 3_600_000],
      ['review', 3_600_000],
    ]);
    // a matter recorded before the facts patch publishes the summary it published then
    expect(summaryOf(graph, state, false)).not.toHaveProperty('facts');
  });

  test('given the roles a user holds, then the workflow acts in the first one the step allows', () => {
    const state = started();
    const request = { step: 'propose', action: 'submit', actor: { userId: 'w', role: 'supervisor' as const } };
    expect(withActingRole(graph, state, { ...request, roles: ['supervisor', 'director'] }).actor.role).toBe('director');
    // none fits: the first held role goes to the validator, which refuses it with its rule
    expect(withActingRole(graph, state, { ...request, roles: ['supervisor'] }).actor.role).toBe('supervisor');
    // a role the user named is kept
    expect(withActingRole(graph, state, request)).toEqual(request);
    expect(withActingRole(graph, state, { ...request, roles: ['director'] })).not.toHaveProperty('roles');
  });
});
