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
 * objections, answers, town rulings to any step, resends, races, timers) over the four procedures,
 * on the pure engine under today's rules. After every step the invariants of the law must hold.
 *
 * Seven steps in ten are guided: the engine is asked (validateAction) which of every role's
 * candidate actions it allows now, and one is taken, mostly one that moves the matter on, so that
 * about half the sequences reach the payment, implementation, contract or disposal; one in ten of
 * those is a race (a second action chosen on the same state, judged after the first). The rest are
 * resends of the last accepted action or anything by anyone, mostly refused.
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
/** Today's rules: every patched rule on. */
const RULES = {
  meetingRegister: true,
  boundedRulings: true,
  tenderTiers: true,
  routeInputs: true,
  objectionDeadlines: true,
} as const;
const COUNTED = [
  'sequences',
  'actions',
  'accepted',
  'reached',
  'ended',
  'objections',
  'rulings',
  'races',
  'resends',
] as const;

/** The answer times the district policy sets (实施条例 Art. 54), sent with every objection as the API does. */
const OBJECTION_DEADLINES = { 'projectBidding.candidateDisclosure': { amount: 3, unit: 'days' as const } };

/** Actions that move a matter on (or clear what holds it): the guided choice prefers them. */
const PROGRESS = new Set(['submit', 'record', 'confirm', 'approve', 'answer-objection', 'accept-answer']);

/** Every action `person` may try now, legal or not. */
function candidates(graph: ProcedureGraph, state: MatterState, at: number, n: number, person: Actor): EngineEvent[] {
  const out: EngineEvent[] = [];
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
      ...(action === 'raise-objection' ? { objectionDeadlines: OBJECTION_DEADLINES } : {}),
    });
  for (const active of Object.values(state.active)) {
    const node = graph.nodes[active.step];
    if (node?.type !== 'userTask') continue;
    for (const action of Object.keys(actionsFor(node.step, active.phase))) {
      if (action === 'record') {
        const body = node.step.bodies?.[n % (node.step.bodies.length || 1)] ?? 'two-committees';
        const { members } = registeredSize(REGISTER, body);
        // a random meeting, and one where everybody came and agreed
        for (const [present, inFavour] of [
          [n % (members + 1), (n >> 2) % ((n % (members + 1)) + 1)],
          [members, members],
        ] as const) {
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
        }
      } else if (action === 'submit') {
        for (const k of [0, 1, 2])
          act(
            active.step,
            action,
            Object.fromEntries(node.step.fields.map((f) => [f.name, value(f, n + k + f.name.length)])),
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

const isProgress = (e: EngineEvent) => e.type !== 'act' || PROGRESS.has(e.action);
const accepts = (graph: ProcedureGraph, state: MatterState, e: EngineEvent) =>
  e.type !== 'act' || validateAction(graph, state, e) === undefined;

/**
 * The guided choice: an action the engine allows now, found by asking it (validateAction) in an
 * order that starts at `n`; mostly one that moves the matter on, sometimes any other allowed one
 * (an objection, a ruling, a refusal by a reviewer), so the sequences reach the end of the law.
 */
function guided(graph: ProcedureGraph, state: MatterState, options: EngineEvent[], n: number): EngineEvent | undefined {
  const progress = n % 7 !== 0;
  const group = options.filter((e) => isProgress(e) === progress);
  for (let i = 0; i < group.length; i++) {
    const event = group[(n + i) % group.length] as EngineEvent;
    if (accepts(graph, state, event)) return event;
  }
  return undefined;
}

/** The procurement tier of an amount (0 direct award … 3 statutory tender), from the policy's thresholds. */
function tierOf(graph: ProcedureGraph, kind: string): (amount: number) => number {
  const limits = ['directAwardBelow', 'comparisonBelow', 'townTenderBelow'].map((t) =>
    Number(graph.policy[`projectBidding.${kind}.${t}`]),
  );
  return (amount) => limits.filter((limit) => amount >= limit).length;
}

/** The laws broken by `state`, in words (none: []). Collected, not asserted one by one: this runs after every action. */
function violations(graph: ProcedureGraph, state: MatterState, accepted: number): string[] {
  const broken: string[] = [];
  const check = (holds: boolean, law: string) => {
    if (!holds) broken.push(law);
  };
  const recorded = state.record.filter((e) => e.role !== 'system' && e.action !== 'start').length;
  check(recorded === accepted, `every accepted action is in the record exactly once (${recorded} ≠ ${accepted})`);
  const guard = GUARDED[graph.id];
  if (guard && state.completedSteps.includes(guard.step)) {
    const done = state.completedSteps.slice(0, state.completedSteps.indexOf(guard.step));
    for (const step of guard.before) check(done.includes(step), `${guard.step} only after ${step}`);
    if (guard.oneOf)
      check(
        guard.oneOf.some((s) => done.includes(s)),
        `${guard.step} only after one of ${guard.oneOf.join(', ')}`,
      );
  }
  for (const m of state.meetings.filter((x) => x.status === 'confirmed')) {
    check(m.witnessedBy !== undefined, `the meeting at ${m.step} is witnessed`);
    check(m.witnessedBy !== m.recordedBy, `the recorder of ${m.step} does not witness it`);
    check(m.witnessedBy !== state.initiator, `the initiator does not witness ${m.step}`);
  }
  // 招标投标法 Art. 4: no later amount of a project is in a higher tier than its registered budget
  const registered = state.variables.register as { kind?: string; budget?: number } | undefined;
  if (graph.id === 'project-bidding' && registered?.kind && typeof registered.budget === 'number') {
    const tier = tierOf(graph, registered.kind);
    for (const [step, field] of [
      ['evaluation', 'bidAmount'],
      ['contract', 'contractAmount'],
      ['acceptance', 'finalAmount'],
    ] as const) {
      const amount = state.variables[step]?.[field];
      if (typeof amount === 'number')
        check(tier(amount) <= tier(registered.budget), `${field} ${amount} in the tier of ${registered.budget}`);
    }
  }
  // above the major-decision threshold a linked decision is needed: the model links none
  if (graph.link)
    for (const vars of Object.values(state.variables))
      for (const [name, amount] of Object.entries(vars))
        if (typeof amount === 'number' && /amount|budget/i.test(name))
          check(amount <= graph.link.above, `${name} ${amount} above ${graph.link.above} without a decision`);
  // land states its area
  const plan = state.variables['propose-plan'];
  if (plan?.isLand === true) check(typeof plan.landMu === 'number', 'land states its area (landMu)');
  // a step completed by a meeting rests on a confirmed meeting that passed
  for (const step of state.completedSteps) {
    const node = graph.nodes[step];
    if (
      node?.type === 'userTask' &&
      node.step.kind === 'meeting' &&
      (state.variables[step] as { outcome?: string })?.outcome === 'passed'
    )
      check(
        state.meetings.some((m) => m.step === step && m.status === 'confirmed' && m.result === 'passed'),
        `${step} rests on a confirmed meeting that passed`,
      );
  }
  return broken;
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
    const counts: Record<string, Record<string, number>> = {};
    fc.assert(
      fc.property(
        fc.nat({ max: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 10, maxLength: 120, size: 'max' }),
        (g, choices) => {
          const graph = graphs[g] as ProcedureGraph;
          const initiator = graph.id === 'fund-approval' ? (PEOPLE[3] as Actor) : (PEOPLE[0] as Actor);
          let state = startMatter(
            graph,
            { matterId: 'm', village: 'xinglong', title: '模型', initiator, rules: RULES },
            T0,
          );
          const count = (counts[graph.id] ??= Object.fromEntries(COUNTED.map((c) => [c, 0])));
          const bump = (what: (typeof COUNTED)[number]) => (count[what] = (count[what] ?? 0) + 1);
          bump('sequences');
          let accepted = 0;
          let last: Extract<EngineEvent, { type: 'act' }> | undefined;
          const apply = (event: EngineEvent): void => {
            bump('actions');
            if (event.type === 'act' && validateAction(graph, state, event)) return;
            const before = state.status === 'ended' ? JSON.stringify(state) : '';
            const next = applyEvent(graph, state, event);
            if (state.status === 'ended' && JSON.stringify(next) !== before)
              expect({ after: event, changed: JSON.stringify(next) }).toEqual({ after: event, changed: before });
            if (event.type === 'act') {
              accepted += 1;
              bump('accepted');
              if (event.action === 'raise-objection') bump('objections');
              if (event.action === 'rule-objection') bump('rulings');
              last = event;
            }
            state = next;
            const broken = violations(graph, state, accepted);
            if (broken.length > 0) expect({ after: event, broken }).toEqual({ after: event, broken: [] });
          };
          for (const [i, [pick, n]] of choices.entries()) {
            const at = T0 + (i + 1) * 2000;
            const mode = pick % 10;
            if (mode < 7) {
              // guided: what the engine allows now, asked of every role
              const options = PEOPLE.flatMap((person) => candidates(graph, state, at, n, person));
              const event = guided(graph, state, options, n + pick);
              if (!event) continue;
              // a race: a second action decided on the same state arrives at once; it is judged after the first
              const rival =
                mode === 0
                  ? guided(
                      graph,
                      state,
                      options.filter((e) => e !== event),
                      n + pick + 1,
                    )
                  : undefined;
              apply(event);
              if (rival) {
                bump('races');
                apply(rival);
              }
            } else if (mode === 7 && last) {
              // a resend of the last accepted action: refused, or a new action recorded once more
              bump('resends');
              apply({ ...last, at });
            } else {
              // anyone, anything: mostly refused
              const options = candidates(graph, state, at, n, PEOPLE[n % PEOPLE.length] as Actor);
              const event = options[pick % Math.max(1, options.length)];
              if (event) apply(event);
            }
          }
          const guard = GUARDED[graph.id];
          if (guard && state.completedSteps.includes(guard.step)) bump('reached');
          if (state.status === 'ended') bump('ended');
        },
      ),
      { numRuns: 300 },
    );
    const total = (what: string) => Object.values(counts).reduce((sum, c) => sum + (c[what] ?? 0), 0);
    const lines = Object.entries(counts).map(
      ([id, c]) => `  ${id.padEnd(16)} ${COUNTED.map((what) => `${what} ${c[what] ?? 0}`).join(', ')}`,
    );
    process.stdout.write(
      `law model (reached = the ${Object.values(GUARDED)
        .map((g) => g.step)
        .join(
          ' / ',
        )} step completed):\n${lines.join('\n')}\n  total: ${total('sequences')} sequences, ${total('actions')} actions, ${total('reached')} reached\n`,
    );
    expect(total('sequences')).toBeGreaterThanOrEqual(300);
    // the guided choice takes a good share of the sequences through to money, land and contracts
    expect(total('reached') / total('sequences')).toBeGreaterThanOrEqual(0.3);
    for (const what of ['objections', 'rulings', 'races', 'resends'] as const) expect(total(what)).toBeGreaterThan(0);
  });
});
