import {
  applyEvent,
  recusalsAt,
  startMatter,
  validateAction,
  type Actor,
  type EngineEvent,
  type MatterState,
} from '../../common/engine';
import type { Field, ProcedureGraph } from '../../common/graph';
import { viewOf } from '../../common/matter-view';
import { buildGraph } from '../helpers/graph-builder';
import { meetingRecord } from '../helpers/meeting';

/**
 * 回避: whoever started a matter, or is its payee, bidder or counterparty, may not review,
 * approve or witness it; whoever recorded a meeting may not witness it. Each rule refuses with
 * RECUSED, and the same action by someone unrelated is accepted.
 */

const T0 = Date.parse('2026-03-02T01:00:00Z');
const accountant: Actor = { userId: 'he-accountant', role: 'accountant' };
const supervisor: Actor = { userId: 'zhao-supervisor', role: 'supervisor', name: '赵监督' };
const chair: Actor = { userId: 'qian-chair', role: 'supervisor-chair', name: '钱主任' };
const director: Actor = { userId: 'wang-director', role: 'director', name: '王主任' };
const otherDirector: Actor = { userId: 'liu-director', role: 'director', name: '刘主任' };
/** a supervisor no rule concerns, who moves the matter along */
const bystander: Actor = { userId: 'zhou-supervisor', role: 'supervisor', name: '周监督' };

const party = (name: string, kind: Field['party']): Field => ({
  name,
  type: 'string',
  required: false,
  label: { zh: name, en: name },
  party: kind,
});

/** apply (names the parties) → review → approval → meeting (witnessed) → end */
const graph: ProcedureGraph = buildGraph(
  {
    start: { type: 'startEvent' },
    apply: {
      type: 'userTask',
      step: {
        kind: 'submit',
        roles: ['accountant', 'committee'],
        fields: [party('payee', 'payee'), party('bidder', 'bidder'), party('counterparty', 'counterparty')],
      },
    },
    check: { type: 'userTask', step: { kind: 'review', roles: ['supervisor'] } },
    sign: { type: 'userTask', step: { kind: 'approval', roles: ['director'] } },
    meet: { type: 'userTask', step: { kind: 'meeting', roles: ['committee'], bodies: ['two-committees'] } },
    done: { type: 'endEvent', outcome: 'completed' },
  },
  [
    ['f1', 'start', 'apply'],
    ['f2', 'apply', 'check'],
    ['f3', 'check', 'sign'],
    ['f4', 'sign', 'meet'],
    ['f5', 'meet', 'done'],
  ],
);

function act(actor: Actor, step: string, action: string, data: Record<string, unknown> = {}) {
  return { type: 'act', at: T0 + 1000, actor, step, action, data } satisfies EngineEvent;
}

function applied(parties: Record<string, string> = {}, initiator: Actor = accountant): MatterState {
  const started = startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '支出', initiator }, T0);
  return applyEvent(graph, started, act(accountant, 'apply', 'submit', parties));
}

function at(step: 'check' | 'sign' | 'meet', parties: Record<string, string> = {}, initiator?: Actor): MatterState {
  let state = applied(parties, initiator);
  if (step === 'check') return state;
  state = applyEvent(graph, state, act(bystander, 'check', 'approve'));
  if (step === 'sign') return state;
  return applyEvent(graph, state, act(otherDirector, 'sign', 'approve'));
}

const code = (state: MatterState, event: ReturnType<typeof act>) => validateAction(graph, state, event)?.code;

describe('recusal: the initiator', () => {
  test('given a supervisor started the matter, when they review it, then RECUSED; another supervisor may', () => {
    const state = at('check', {}, { userId: 'zhao-supervisor', role: 'committee' });

    expect(code(state, act(supervisor, 'check', 'approve'))).toBe('RECUSED');
    expect(validateAction(graph, state, act(supervisor, 'check', 'approve'))?.message).toMatch(/回避.*must recuse/);
    expect(code(state, act(chair, 'check', 'approve'))).toBeUndefined();
  });

  test('given a director started the matter, when they approve it, then RECUSED; another director may', () => {
    const state = at('sign', {}, { userId: 'wang-director', role: 'committee' });

    expect(code(state, act(director, 'sign', 'approve'))).toBe('RECUSED');
    expect(code(state, act(otherDirector, 'sign', 'approve'))).toBeUndefined();
  });
});

describe('recusal: the payee', () => {
  test('given the payee is a supervisor by user id, when they review, then RECUSED; another supervisor may', () => {
    const state = at('check', { payee: 'zhao-supervisor' });

    expect(code(state, act(supervisor, 'check', 'approve'))).toBe('RECUSED');
    expect(validateAction(graph, state, act(supervisor, 'check', 'object'))?.code).toBe('REASON_REQUIRED');
    expect(code(state, act(chair, 'check', 'approve'))).toBeUndefined();
  });

  test('given the payee is written as a name (with spaces), then the person of that name is RECUSED', () => {
    const state = at('check', { payee: '  赵监督 ' });

    expect(code(state, act(supervisor, 'check', 'approve'))).toBe('RECUSED');
    expect(code(state, act({ ...supervisor, name: ' 赵监督' }, 'check', 'approve'))).toBe('RECUSED');
    // without a name from the directory only the user id can be compared
    expect(code(state, act({ userId: 'zhao-supervisor', role: 'supervisor' }, 'check', 'approve'))).toBeUndefined();
    expect(code(state, act(chair, 'check', 'approve'))).toBeUndefined();
  });

  test('given the payee at the approval, then the director who is the payee is RECUSED', () => {
    const state = at('sign', { payee: '王主任' });

    expect(code(state, act(director, 'sign', 'reject'))).toBe('REASON_REQUIRED');
    expect(code(state, act(director, 'sign', 'approve'))).toBe('RECUSED');
    expect(code(state, act(otherDirector, 'sign', 'approve'))).toBeUndefined();
  });

  test('given the application was submitted again with another payee, then both payees stay recused', () => {
    const first = applied({ payee: '王主任' });
    const objected = applyEvent(graph, first, { ...act(chair, 'check', 'object'), comment: '发票不全' });
    // the hand-built graph has no way back: the parties remembered are what matters here
    expect(objected.parties?.map((p) => p.value)).toEqual(['王主任']);
    const state = { ...objected, variables: { ...objected.variables, apply: { payee: '某公司' } } };

    expect(code(state, act(director, 'sign', 'approve'))).toBe('RECUSED');
  });

  test('given a state carried from older code (no parties remembered), then the parties come from the variables', () => {
    const { parties: _none, ...older } = at('sign', { payee: '王主任' });

    expect(code(older, act(director, 'sign', 'approve'))).toBe('RECUSED');
    expect(code(older, act(otherDirector, 'sign', 'approve'))).toBeUndefined();
  });
});

describe('recusal: the bidder and the counterparty', () => {
  test('given the bidder, when they approve, then RECUSED; another director may', () => {
    const state = at('sign', { bidder: 'wang-director' });

    expect(code(state, act(director, 'sign', 'approve'))).toBe('RECUSED');
    expect(validateAction(graph, state, act(director, 'sign', 'approve'))?.message).toContain('bidder');
    expect(code(state, act(otherDirector, 'sign', 'approve'))).toBeUndefined();
  });

  test('given the counterparty, when they review, then RECUSED; another supervisor may', () => {
    const state = at('check', { counterparty: '钱主任' });

    expect(code(state, act(chair, 'check', 'approve'))).toBe('RECUSED');
    expect(code(state, act(supervisor, 'check', 'approve'))).toBeUndefined();
  });

  test('given the counterparty, when they witness a meeting record, then RECUSED; another supervisor may', () => {
    const recorded = applyEvent(
      graph,
      at('meet', { counterparty: 'qian-chair' }),
      act(director, 'meet', 'record', meetingRecord('two-committees', 7, 6, 5)),
    );

    expect(code(recorded, act(chair, 'meet', 'confirm'))).toBe('RECUSED');
    expect(code(recorded, act(supervisor, 'meet', 'confirm'))).toBeUndefined();
  });
});

describe('recusal: the recorder of a meeting', () => {
  test('given the recorder is also a supervisor, when they witness their own record, then RECUSED; another supervisor may', () => {
    const recorded = applyEvent(
      graph,
      at('meet'),
      act({ userId: 'zhao-supervisor', role: 'director' }, 'meet', 'record', meetingRecord('two-committees', 7, 6, 5)),
    );

    expect(code(recorded, act(supervisor, 'meet', 'confirm'))).toBe('RECUSED');
    expect(validateAction(graph, recorded, act(supervisor, 'meet', 'confirm'))?.message).toContain(
      'recorded this meeting',
    );
    expect(code(recorded, act(chair, 'meet', 'confirm'))).toBeUndefined();
  });

  test('given a meeting not yet recorded, then nobody is recused from recording it (recusal is for reviewing)', () => {
    const state = at('meet', { payee: 'wang-director' });

    expect(recusalsAt(graph, state, 'meet')).toEqual([]);
    expect(code(state, act(director, 'meet', 'record', meetingRecord('two-committees', 7, 6, 5)))).toBeUndefined();
  });
});

describe('recusal: the view says who is recused at each active step', () => {
  test('given a review, then the initiator and every party; given a record awaiting a witness, the recorder too', () => {
    const review = viewOf(graph, at('check', { payee: '王主任', bidder: '某建筑公司' }));
    expect(review.activeSteps.map((s) => [s.id, s.recused])).toEqual([
      ['check', ['he-accountant', '王主任', '某建筑公司']],
    ]);

    const witness = viewOf(
      graph,
      applyEvent(
        graph,
        at('meet', { counterparty: '钱主任' }),
        act(director, 'meet', 'record', meetingRecord('two-committees', 7, 6, 5)),
      ),
    );
    expect(witness.activeSteps.map((s) => [s.id, s.phase, s.recused])).toEqual([
      ['meet', 'awaiting-witness', ['he-accountant', 'wang-director', '钱主任']],
    ]);
  });

  test('given a submit step, then nobody is listed', () => {
    const started = startMatter(graph, { matterId: 'm-1', village: 'v-1', title: '支出', initiator: accountant }, T0);
    expect(viewOf(graph, started).activeSteps.map((s) => s.recused)).toEqual([[]]);
  });
});
