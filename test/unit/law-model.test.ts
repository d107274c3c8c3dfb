import fc from 'fast-check';
import {
  actionsFor,
  applyEvent,
  startMatter,
  validateAction,
  type Actor,
  type EngineEvent,
  type MatterState,
} from '../../common/engine';
import type { Field, ProcedureGraph } from '../../common/graph';
import { registeredSize } from '../../common/meeting';
import { testCatalog } from '../helpers/catalog';

/**
 * Model-based: random sequences of actions by every role (steps, meetings and their witnesses,
 * objections, answers, town rulings to any step, resends, timers) over the four procedures, on the
 * pure engine under today's rules. After every step the invariants of the law must hold.
 */

const PEOPLE: Actor[] = [
  { userId: 'li-secretary', role: 'secretary', name: '李书记' },
  { userId: 'wang-director', role: 'director', name: '王主任' },
  { userId: 'chen-committee', role: 'committee', name: '陈委员' },
  { userId: 'he-accountant', role: 'accountant', name: '何会计' },
  { userId: 'zhao-supervisor', role: 'supervisor', name: '赵监委' },
  { userId: 'qian-chair', role: 'supervisor-chair', name: '钱主任' },
  { userId: 'sun-town', role: 'town-official', name: '孙镇干部' },
  { userId: 'zhou-auditor', role: 'district-auditor', name: '周审计' },
];
const REGISTER = {
  from: '2020-01-01',
  adultVillagers: 9,
  households: 3,
  representatives: 5,
  partyMembers: 5,
  twoCommittees: 3,
};
const AMOUNTS = [500, 1500, 9999.99, 15_000, 60_000, 350_000, 5_000_000];
/** parties: a stranger, one of the supervisors (recusal must catch them), an organisation */
const NAMES = ['张三', 'zhao-supervisor', '罗江建材经营部'];

/** The step that pays, awards, contracts or disposes, and what the law requires before it. */
const GUARDED: Record<string, { step: string; before: string[]; oneOf?: string[] }> = {
  'fund-approval': { step: 'payment', before: ['apply', 'supervisor-review', 'town-review'] },
  'major-decision': {
    step: 'implement',
    before: ['propose', 'deliberate', 'party-review', 'resolve', 'disclose-resolution'],
  },
  'asset-disposal': {
    step: 'sign-contract',
    before: ['propose-plan', 'supervisor-review', 'resolve', 'plan-disclosure'],
  },
  'project-bidding': { step: 'contract', before: ['register'], oneOf: ['direct-award', 'candidate-disclosure'] },
};

function value(field: Field, n: number): unknown {
  switch (field.type) {
    case 'amount':
      return AMOUNTS[n % AMOUNTS.length];
    case 'number':
      return (n % 30) + 0.5;
    case 'integer':
      return n % 5;
    case 'boolean':
      return n % 2 === 0;
    case 'date':
      return '2026-03-01';
    case 'hash':
      return 'a'.repeat(64);
    case 'enum':
      return field.values?.[n % (field.values.length || 1)];
    case 'text':
      return `说明 ${n}`;
    default:
      return NAMES[n % NAMES.length];
  }
}

const T0 = Date.parse('2026-03-10T02:00:00Z');

/** Every action the model may try now, legal or not. */
function candidates(graph: ProcedureGraph, state: MatterState, at: number, n: number): EngineEvent[] {
  const out: EngineEvent[] = [];
  const person = PEOPLE[n % PEOPLE.length] as Actor;
  const act = (step: string | null, action: string, data: Record<string, unknown> = {}, comment?: string) =>
    out.push({
      type: 'act',
      at,
      actor: person,
      step,
      action,
      data,
      ...(comment ? { comment } : {}),
      register: REGISTER,
    });
  for (const active of Object.values(state.active)) {
    const node = graph.nodes[active.step];
    if (node?.type !== 'userTask') continue;
    for (const action of Object.keys(actionsFor(node.step, active.phase))) {
      if (action === 'record') {
        const body = node.step.bodies?.[n % (node.step.bodies.length || 1)] ?? 'two-committees';
        const { members } = registeredSize(REGISTER, body);
        const present = n % (members + 1);
        const inFavour = (n >> 2) % (present + 1);
        const own = Object.fromEntries(node.step.fields.map((f) => [f.name, value(f, n >> 3)]));
        act(active.step, 'record', {
          body,
          date: '2026-03-09',
          minutesHash: 'b'.repeat(64),
          members,
          present,
          inFavour,
          against: present - inFavour,
          abstain: 0,
          ...own,
        });
      } else if (action === 'submit') {
        act(
          active.step,
          action,
          Object.fromEntries(node.step.fields.map((f) => [f.name, value(f, n + f.name.length)])),
        );
      } else if (action === 'approve' || action === 'confirm' || n % 3 === 0) {
        act(active.step, action, {}, n % 4 === 0 ? undefined : '理由');
      }
    }
  }
  if (n % 6 === 0) act(null, 'raise-objection', {}, '有异议');
  for (const o of state.objections.filter((x) => x.status !== 'resolved')) {
    act(null, 'answer-objection', { objectionId: o.id, answer: '已说明' });
    act(null, 'accept-answer', { objectionId: o.id });
    const steps = Object.keys(graph.nodes).filter((id) => graph.nodes[id]?.type === 'userTask');
    act(null, 'rule-objection', { objectionId: o.id, ruling: 'dismiss' }, '驳回');
    act(
      null,
      'rule-objection',
      { objectionId: o.id, ruling: 'uphold', backTo: steps[n % steps.length] },
      n % 3 ? '成立' : undefined,
    );
    act(null, 'rule-objection', { objectionId: o.id, ruling: 'uphold', stop: true }, '终止');
  }
  const timer = state.timers.find((t) => t.dueAt !== undefined && t.kind !== 'deadline');
  if (timer) out.push({ type: 'timer-fired', at, timerId: timer.id });
  for (const t of state.timers.filter((x) => x.dueAt === undefined))
    out.push({ type: 'timer-scheduled', at, timerId: t.id, dueAt: at + 1000 });
  return out;
}

function checkInvariants(graph: ProcedureGraph, state: MatterState, accepted: number): void {
  // every accepted action is in the record exactly once
  expect(state.record.filter((e) => e.role !== 'system' && e.action !== 'start')).toHaveLength(accepted);
  const guard = GUARDED[graph.id];
  if (guard && state.completedSteps.includes(guard.step)) {
    const at = state.completedSteps.indexOf(guard.step);
    const done = state.completedSteps.slice(0, at);
    for (const step of guard.before) expect(done).toContain(step);
    if (guard.oneOf) expect(guard.oneOf.some((s) => done.includes(s))).toBe(true);
  }
  for (const m of state.meetings.filter((x) => x.status === 'confirmed')) {
    expect(m.witnessedBy).toBeDefined();
    expect(m.witnessedBy).not.toBe(m.recordedBy);
    expect(m.witnessedBy).not.toBe(state.initiator);
  }
  // a step completed by a meeting rests on a confirmed meeting that passed
  for (const step of state.completedSteps) {
    const node = graph.nodes[step];
    if (
      node?.type === 'userTask' &&
      node.step.kind === 'meeting' &&
      (state.variables[step] as { outcome?: string })?.outcome === 'passed'
    )
      expect(state.meetings.some((m) => m.step === step && m.status === 'confirmed' && m.result === 'passed')).toBe(
        true,
      );
  }
}

describe('no path around the law (model-based, pure engine, all four procedures)', () => {
  const graphs: ProcedureGraph[] = [];
  let cleanup = () => {};
  beforeAll(async () => {
    const made = testCatalog();
    cleanup = made.cleanup;
    for (const id of Object.keys(GUARDED)) {
      const procedure = await made.catalog.current(id, '2026-03-10');
      if (!procedure) throw new Error(`${id} missing`);
      graphs.push(procedure.graph);
    }
  });
  afterAll(() => cleanup());

  test('after every action, nothing is paid, awarded, contracted or disposed of without what the law requires; an ended matter never changes', () => {
    let sequences = 0;
    let actions = 0;
    let acceptedTotal = 0;
    let reachedGuarded = 0;
    const outcomes: Record<string, number> = {};
    fc.assert(
      fc.property(
        fc.nat({ max: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 5, maxLength: 150 }),
        (g, choices) => {
          const graph = graphs[g] as ProcedureGraph;
          const initiator = graph.id === 'fund-approval' ? (PEOPLE[3] as Actor) : (PEOPLE[0] as Actor);
          let state = startMatter(
            graph,
            {
              matterId: 'm',
              village: 'xinglong',
              title: '模型',
              initiator,
              rules: { meetingRegister: true, boundedRulings: true },
            },
            T0,
          );
          let accepted = 0;
          sequences += 1;
          for (const [i, [pick, n]] of choices.entries()) {
            const at = T0 + (i + 1) * 2000;
            const options = candidates(graph, state, at, n);
            const event = options[pick % Math.max(1, options.length)];
            if (!event) continue;
            const before = JSON.stringify(state);
            actions += 1;
            if (event.type === 'act' && validateAction(graph, state, event)) continue;
            // resend: the same accepted action again is refused or is a new, separately recorded action
            const next = applyEvent(graph, state, event);
            if (state.status === 'ended') expect(JSON.stringify(next)).toBe(before);
            if (event.type === 'act') accepted += 1;
            state = next;
            checkInvariants(graph, state, accepted);
          }
          acceptedTotal += accepted;
          const key = state.status === 'ended' ? (state.outcome ?? '') : state.status;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
          if (GUARDED[graph.id] && state.completedSteps.includes(GUARDED[graph.id]!.step)) reachedGuarded += 1;
        },
      ),
      { numRuns: 300 },
    );
    process.stdout.write(
      `law model: ${sequences} sequences, ${actions} actions tried, ${acceptedTotal} accepted, ${reachedGuarded} reached the guarded step, outcomes ${JSON.stringify(outcomes)}\n`,
    );
    expect(sequences).toBeGreaterThanOrEqual(300);
  });
});
