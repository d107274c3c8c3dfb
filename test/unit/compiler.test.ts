import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { evaluate } from 'feelin';
import { ProcedureGraphSchema, type NodeOfType, type ProcedureGraph } from '../../common/graph';
import { COMPILE_RULES, CompileError, compileProcedure, type CompileProblem } from '../../procedures/compiler';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';

const ROOT = path.resolve(__dirname, '..', '..');
const PROCEDURES = path.join(ROOT, 'procedures');
const BAD = path.join(ROOT, 'test', 'fixtures', 'bpmn', 'bad');
const GOOD = path.join(ROOT, 'test', 'fixtures', 'bpmn', 'good');

const DISTRICT = policyValuesAt(loadPolicyFile(path.join(PROCEDURES, 'policies', 'luojiang.json')), '2024-05-01');
/** The district's values plus the keys the fixtures read, and one nobody reads. */
const POLICY: Record<string, unknown> = {
  ...DISTRICT,
  'fixture.threshold': 10000,
  'fixture.window': { amount: 3, unit: 'days' },
  'fixture.deadline': { amount: 4, unit: 'workingDays' },
  'fixture.escalation': { amount: 10, unit: 'workingDays' },
  'fixture.unused': { amount: 1, unit: 'days' },
};
const { meetingRules: _rules, ...POLICY_WITHOUT_MEETING_RULES } = POLICY;
/** A town that wants two thirds of those present for a villagers' assembly. */
const STRICTER_VILLAGERS = {
  ...(DISTRICT.meetingRules as Record<string, unknown>),
  villagers: {
    attendance: { compare: 'gt', num: 1, den: 2 },
    householdsAttendance: { compare: 'gte', num: 2, den: 3 },
    passing: { of: 'present', compare: 'gte', num: 2, den: 3 },
  },
};

const ALL_FEATURES = readFileSync(path.join(GOOD, 'all-features.bpmn'), 'utf8');

async function compileText(bpmn: string, policyValues: Record<string, unknown> = POLICY): Promise<ProcedureGraph> {
  return compileProcedure({ file: 'test.bpmn', bpmn, policyValues });
}

async function rejection(promise: Promise<unknown>): Promise<CompileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw new Error(`expected a CompileError, got ${String(error)}`);
  }
  throw new Error('expected a CompileError, but it compiled');
}

function node<T extends ProcedureGraph['nodes'][string]['type']>(graph: ProcedureGraph, id: string, type: T) {
  const found = graph.nodes[id];
  expect(found?.type).toBe(type);
  return found as NodeOfType<T>;
}

type Expected = [elementId: string, elementType: string, rule: CompileProblem['rule'], message: string];

/**
 * Every crafted bad file and exactly what the compiler must say about it. The message is part of
 * the contract: it is what a district author reads.
 */
const EXPECTED: Record<string, Expected[]> = {
  'malformed-xml': [['(document)', 'xml', 'malformed-xml', 'malformed XML: unexpected end of file']],
  'malformed-xml--not-bpmn': [
    ['(document)', 'xml', 'malformed-xml', 'not a BPMN 2.0 document: the root element must be bpmn:definitions'],
  ],
  'unknown-element': [['(document)', 'bpmn:userTsk', 'unknown-element', 'unknown element at line 15, column 5']],
  'duplicate-id': [['propose', 'bpmn:endEvent', 'duplicate-id', 'id used twice (again at line 15, column 5)']],
  'unresolved-reference': [
    ['f2', 'bpmn:sequenceFlow', 'unresolved-reference', 'targetRef refers to nowhere, which does not exist'],
  ],
  'unknown-attribute': [
    ['propose', 'bpmn:userTask', 'unknown-attribute', 'attribute mp:outcome is not allowed on this element'],
  ],
  'process-count': [
    ['(document)', 'bpmn:definitions', 'process-count', 'a procedure file holds exactly one process, found 2'],
    [
      'second',
      'bpmn:process',
      'bpmnlint/end-event-required',
      'Process is missing end event: end every path at an end event with mp:outcome',
    ],
    [
      'second',
      'bpmn:process',
      'bpmnlint/start-event-required',
      'Process is missing start event: draw one plain start event',
    ],
  ],
  'bad-procedure-id': [
    [
      'Fixture_1',
      'bpmn:process',
      'bad-procedure-id',
      'the process id names the procedure: lower-case words and hyphens',
    ],
  ],
  'unsupported-element': [
    [
      'compute',
      'bpmn:scriptTask',
      'unsupported-element',
      'not in the supported BPMN subset: use a serviceTask with mp:action: the system runs named actions, not scripts',
    ],
  ],
  'unsupported-element--message-event': [
    [
      'wait',
      'bpmn:intermediateCatchEvent',
      'unsupported-element',
      'bpmn:messageEventDefinition is not supported here: a userTask records what arrives; a serviceTask with mp:action sends a notice',
    ],
  ],
  'unsupported-element--pool': [
    [
      'pool',
      'bpmn:collaboration',
      'unsupported-element',
      'not in the supported BPMN subset: keep one process without pools; lanes may show who acts',
    ],
  ],
  'unsupported-element--multi-instance': [
    [
      'propose',
      'bpmn:userTask',
      'unsupported-element',
      'bpmn:multiInstanceLoopCharacteristics is not supported: list the items as fields of one step, or draw one step for each',
    ],
  ],
  'unsupported-element--timer-start': [
    [
      'start',
      'bpmn:startEvent',
      'unsupported-element',
      'bpmn:timerEventDefinition is not supported here: a matter starts when someone starts it: wait with a timer after the start',
    ],
  ],
  'unsupported-timer': [
    [
      'wait',
      'bpmn:intermediateCatchEvent',
      'unsupported-timer',
      'a timer needs exactly a timeDuration (timeDate and timeCycle are not supported)',
    ],
  ],
  'missing-name': [['propose', 'bpmn:userTask', 'missing-name', 'needs mp:nameEn (English)']],
  'missing-name--process': [
    ['fixture', 'bpmn:process', 'missing-name', 'needs name (Chinese) and mp:nameEn (English)'],
  ],
  'start-event-count': [
    ['fixture', 'bpmn:process', 'start-event-count', 'a procedure has exactly one start event, found 2'],
  ],
  'start-event-count--none': [
    ['fixture', 'bpmn:process', 'start-event-count', 'a procedure has exactly one start event, found 0'],
    [
      'propose',
      'bpmn:userTask',
      'bpmnlint/no-implicit-start',
      'Element is an implicit start: lead a flow into it from the start event’s path',
    ],
  ],
  'start-event-incoming': [
    ['start', 'bpmn:startEvent', 'start-event-incoming', 'nothing flows into a start event (f3)'],
    [
      'propose',
      'bpmn:userTask',
      'bpmnlint/no-implicit-split',
      'Flow splits implicitly: split with a gateway: exclusive (one way) or parallel (all ways)',
    ],
  ],
  'end-event-outgoing': [['end', 'bpmn:endEvent', 'end-event-outgoing', 'nothing flows out of an end event (f3)']],
  'boundary-event-incoming': [
    [
      'late',
      'bpmn:boundaryEvent',
      'boundary-event-incoming',
      'a boundary event starts with its step, not from a flow (f4)',
    ],
    [
      'start',
      'bpmn:startEvent',
      'bpmnlint/no-implicit-split',
      'Flow splits implicitly: split with a gateway: exclusive (one way) or parallel (all ways)',
    ],
  ],
  'boundary-not-on-user-task': [
    [
      'late',
      'bpmn:boundaryEvent',
      'boundary-not-on-user-task',
      'a timer boundary event goes on a user task, not on notify, a bpmn:serviceTask',
    ],
  ],
  'bad-flow-endpoint': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'bad-flow-endpoint',
      'targetRef is note, a bpmn:textAnnotation, not a flow node of this process',
    ],
    [
      'propose',
      'bpmn:userTask',
      'bpmnlint/no-implicit-split',
      'Flow splits implicitly: split with a gateway: exclusive (one way) or parallel (all ways)',
    ],
  ],
  unreachable: [['orphan', 'bpmn:userTask', 'unreachable', 'cannot be reached from the start event']],
  'no-path-to-end': [['limbo', 'bpmn:userTask', 'no-path-to-end', 'no path leads from here to an end event']],
  'unsafe-parallel': [
    [
      'check',
      'bpmn:userTask',
      'unsafe-parallel',
      'two tokens reach check at once (parallel branches both enter it): join them with a parallel gateway first (path: start → notify)',
    ],
  ],
  'join-waits-forever': [
    [
      'join',
      'bpmn:parallelGateway',
      'join-waits-forever',
      'parallel join join waits forever for f4: no token can come (path: start → review); a branch that an exclusive gateway may skip must not lead into a parallel join',
    ],
  ],
  'token-left-behind': [
    [
      'join',
      'bpmn:parallelGateway',
      'token-left-behind',
      'the matter ends at end-rejected while parallel join join still holds a token: every branch of a parallel split must reach the join (path: start → notify → review)',
    ],
  ],
  'gateway-loop': [
    [
      'first',
      'bpmn:exclusiveGateway',
      'gateway-loop',
      'gateways first → second → first form a loop with no step in it: put a step in the loop (path: start → review)',
    ],
  ],
  'missing-diagram': [
    [
      '(document)',
      'bpmndi:BPMNDiagram',
      'missing-diagram',
      'the file has no diagram data: open the file in a BPMN modeler (e.g. bpmn.io) and save it, which draws every element',
    ],
  ],
  'missing-diagram--element': [
    [
      'propose',
      'bpmn:userTask',
      'missing-diagram',
      'has no shape or edge in the diagram: open the file in a BPMN modeler (e.g. bpmn.io) and save it, which draws every element',
    ],
    [
      'f2',
      'bpmn:sequenceFlow',
      'missing-diagram',
      'has no shape or edge in the diagram: open the file in a BPMN modeler (e.g. bpmn.io) and save it, which draws every element',
    ],
  ],
  'feel-equality': [
    ['f3', 'bpmn:sequenceFlow', 'feel-equality', 'FEEL compares with a single "=": write propose.category = "a"'],
  ],
  'feel-equality--leading': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'feel-equality',
      'a leading "=" marks an expression in Camunda 8, but this file is plain FEEL: write propose.category = "a"',
    ],
  ],
  'feel-unknown-value': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'feel-unknown-value',
      'FEEL condition compares propose.category with "d", which it never is (values: "a", "b", "c")',
    ],
  ],
  'feel-type': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'feel-type',
      'FEEL condition compares propose.amount (a number) with "10000" (a string) in "propose.amount > "10000"": the comparison is never true',
    ],
  ],
  'condition-language--juel': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'condition-language',
      '"${category == "a"}" is a JUEL expression (Camunda 7); conditions are FEEL: write the test without ${ }, with = for equality and and/or for && / ||',
    ],
  ],
  'condition-language--declared': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'condition-language',
      'the file declares expressionLanguage http://www.w3.org/1999/XPath, but conditions are FEEL: declare expressionLanguage="https://www.omg.org/spec/DMN/20191111/FEEL/" on bpmn:definitions and write the condition in FEEL',
    ],
  ],
  'feel-step-not-run': [
    [
      'f6',
      'bpmn:sequenceFlow',
      'feel-step-not-run',
      'FEEL condition reads step district-audit, but a path reaches gateway audit-result without completing district-audit: test it on a path through district-audit only, or give the gateway a default flow and read a step every path passes',
    ],
    [
      'audit-result',
      'bpmn:exclusiveGateway',
      'bpmnlint/no-gateway-join-fork',
      'Gateway forks and joins: draw one gateway that joins, then one that splits',
    ],
  ],
  'unknown-outcome': [
    [
      'end',
      'bpmn:endEvent',
      'unknown-outcome',
      'mp:outcome complted is not one of completed, rejected, withdrawn, escalated: the board, payments and notices know only these',
    ],
  ],
  'duration-too-long': [
    [
      'propose',
      'bpmn:userTask',
      'duration-too-long',
      'mp:deadline is 100000000 workingDays, longer than a year (366 days, 250 workingDays): shorten it',
    ],
  ],
  'bad-link': [
    [
      'fixture',
      'bpmn:process',
      'bad-link',
      'mp:linkAmount must name an amount field as <step>.<field>, not propose.title',
    ],
  ],
  'bad-split': [
    [
      'fixture',
      'bpmn:process',
      'bad-link',
      'mp:linkAmount must name an amount field as <step>.<field>, not propose.title',
    ],
    ['fixture', 'bpmn:process', 'bad-split', 'mp:splitTiers must be policy:<key> numbers, not policy:nope'],
  ],
  'missing-outcome': [
    ['end', 'bpmn:endEvent', 'missing-outcome', 'an end event needs mp:outcome (e.g. completed, rejected)'],
  ],
  'missing-action': [
    ['notify', 'bpmn:serviceTask', 'missing-action', 'a service task needs mp:action naming what it does'],
  ],
  'bad-step-id': [
    [
      'Propose_1',
      'bpmn:userTask',
      'bad-step-id',
      'a step id is lower-case words joined by hyphens (the API and FEEL name it)',
    ],
  ],
  'step-name-collision': [
    ['review1', 'bpmn:userTask', 'step-name-collision', 'steps review-1 and review1 are both review1 in FEEL'],
  ],
  'step-name-collision--reserved': [
    ['policy', 'bpmn:userTask', 'step-name-collision', 'step policy would be policy in FEEL, which is reserved'],
  ],
  'missing-kind': [
    [
      'check',
      'bpmn:userTask',
      'missing-kind',
      'a step needs mp:kind (submit, review, meeting, disclosure, record, approval)',
    ],
  ],
  'unknown-kind': [
    [
      'check',
      'bpmn:userTask',
      'unknown-kind',
      'mp:kind vote is not one of submit, review, meeting, disclosure, record, approval',
    ],
  ],
  'missing-roles': [['check', 'bpmn:userTask', 'missing-roles', 'a step needs mp:roles: who may act on it']],
  'unknown-role': [
    [
      'check',
      'bpmn:userTask',
      'unknown-role',
      'unknown role mayor (roles: secretary, director, committee, accountant, supervisor, supervisor-chair, town-official, district-auditor, district-admin)',
    ],
  ],
  'missing-bodies': [
    ['resolve', 'bpmn:userTask', 'missing-bodies', 'a meeting step needs mp:bodies: which body may hold it'],
  ],
  'unknown-body': [
    [
      'resolve',
      'bpmn:userTask',
      'unknown-body',
      'unknown meeting body elders (villagers, representatives, party-members, two-committees)',
    ],
  ],
  'missing-window': [
    ['disclose', 'bpmn:userTask', 'missing-window', 'a disclosure step needs mp:window: how long the notice stays up'],
  ],
  'misplaced-attribute': [
    ['check', 'bpmn:userTask', 'misplaced-attribute', 'mp:window belongs on disclosure steps only'],
  ],
  'misplaced-attribute--bodies': [
    ['check', 'bpmn:userTask', 'misplaced-attribute', 'mp:bodies belongs on meeting steps only'],
  ],
  'bad-field': [
    [
      'propose',
      'mp:field',
      'bad-field',
      'field amount: type must be one of string, text, amount, integer, number, date, boolean, enum, hash',
    ],
  ],
  'bad-field--enum-without-values': [['propose', 'mp:field', 'bad-field', 'field category: an enum needs values']],
  'bad-field--on-review': [
    ['propose', 'mp:field', 'bad-field', 'review steps take no fields: the engine would drop them'],
  ],
  'bad-field--meeting-reserved-name': [
    ['propose', 'mp:field', 'bad-field', 'field present: name present is reserved by the meeting record'],
  ],
  'bad-field--on-service-task': [['notify', 'mp:field', 'bad-field', 'fields belong on user tasks']],
  'bad-field--numbers': [
    ['propose', 'mp:field', 'bad-field', 'field amount: min must be a number'],
    ['propose', 'mp:field', 'bad-field', 'field title: maxLength must be a positive whole number'],
  ],
  'bad-field--party': [
    ['propose', 'mp:field', 'bad-field', 'field payee: party must be one of payee, bidder, counterparty'],
    ['propose', 'mp:field', 'bad-field', 'field amount: party belongs on text fields only'],
    ['propose', 'mp:field', 'bad-field', 'field amount: personal belongs on text fields only'],
    [
      'propose',
      'mp:field',
      'bad-field',
      'field phone: personal must be true or <field>=<value> (e.g. payeeKind=individual)',
    ],
    [
      'propose',
      'mp:field',
      'bad-field',
      'field holder: personal must test an enum field of the same step for one of its values, not kind=person',
    ],
  ],
  'duplicate-field': [['propose', 'mp:field', 'duplicate-field', 'field title is declared twice']],
  'bad-duration': [
    [
      'propose',
      'bpmn:userTask',
      'bad-duration',
      'mp:deadline "5d" is not a duration: write "<n> <unit>" (seconds, minutes, hours, days, workingDays), ISO 8601 such as P3D or PT2H, or "policy:<key>"',
    ],
  ],
  'bad-duration--zero': [
    [
      'disclose',
      'bpmn:userTask',
      'bad-duration',
      'mp:window "0 days" is not a duration: write "<n> <unit>" (seconds, minutes, hours, days, workingDays), ISO 8601 such as P3D or PT2H, or "policy:<key>"',
    ],
  ],
  'bad-duration--policy-value': [
    [
      'propose',
      'bpmn:userTask',
      'bad-duration',
      'mp:deadline: policy value fixture.threshold is not a duration {amount, unit}',
    ],
  ],
  'unknown-policy-key': [
    [
      'disclose',
      'bpmn:userTask',
      'unknown-policy-key',
      'mp:window reads policy key fixture.nope, which the policy does not define',
    ],
  ],
  'unknown-policy-key--feel': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'unknown-policy-key',
      'FEEL condition reads policy.fixture.nope, which the policy does not define',
    ],
  ],
  'missing-meeting-rules': [
    [
      'resolve',
      'bpmn:userTask',
      'missing-meeting-rules',
      'the policy values have no meetingRules for villagers, representatives',
    ],
  ],
  'condition-outside-exclusive-gateway': [
    [
      'f2',
      'bpmn:sequenceFlow',
      'condition-outside-exclusive-gateway',
      'only flows leaving an exclusive gateway carry conditions',
    ],
  ],
  'condition-language': [['f3', 'bpmn:sequenceFlow', 'condition-language', 'conditions are FEEL, not javascript']],
  'condition-on-default': [
    [
      'f4',
      'bpmn:sequenceFlow',
      'condition-on-default',
      'a default flow is taken when no condition holds: it has none itself',
    ],
  ],
  'missing-condition': [
    [
      'f4',
      'bpmn:sequenceFlow',
      'missing-condition',
      'leaves exclusive gateway decide without a condition and is not its default',
    ],
  ],
  'bad-default': [['decide', 'bpmn:exclusiveGateway', 'bad-default', 'default flow f2 does not leave this gateway']],
  'bad-default--on-task': [
    ['propose', 'bpmn:userTask', 'bad-default', 'only an exclusive gateway may have a default flow'],
  ],
  'feel-syntax': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'feel-syntax',
      'FEEL condition "propose.category =" does not parse: incomplete Comparison at position 19',
    ],
  ],
  'feel-unknown-variable': [
    ['f3', 'bpmn:sequenceFlow', 'feel-unknown-variable', 'FEEL condition reads unknown variable budget'],
  ],
  'feel-unknown-variable--output': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'feel-unknown-variable',
      'FEEL condition reads propose.categroy, but step propose (submit) has no output categroy (outputs: title, category)',
    ],
  ],
  'feel-unknown-variable--hyphen': [
    [
      'f4',
      'bpmn:sequenceFlow',
      'feel-unknown-variable',
      'FEEL condition reads unknown variable party (step party-review is partyReview in FEEL)',
    ],
    [
      'f4',
      'bpmn:sequenceFlow',
      'feel-unknown-variable',
      'FEEL condition reads unknown variable review (step party-review is partyReview in FEEL)',
    ],
  ],
  'feel-unknown-variable--matter': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'feel-unknown-variable',
      'FEEL condition reads matter.town; matter has village, procedure',
    ],
  ],
  'feel-unknown-function': [
    ['f3', 'bpmn:sequenceFlow', 'feel-unknown-function', 'FEEL condition calls unknown function string lenght()'],
  ],
  'feel-nondeterministic': [
    [
      'f3',
      'bpmn:sequenceFlow',
      'feel-nondeterministic',
      'today() is refused: a condition must give the same answer on replay',
    ],
  ],
  'gateway-not-exhaustive': [
    [
      'decide',
      'bpmn:exclusiveGateway',
      'gateway-not-exhaustive',
      'no default flow, and the conditions on propose.category miss "c": add a flow for it or a default flow',
    ],
  ],
  'gateway-not-exhaustive--unprovable': [
    [
      'decide',
      'bpmn:exclusiveGateway',
      'gateway-not-exhaustive',
      'no default flow, and the conditions cannot be proven to cover every case: add a default flow',
    ],
  ],
};

/** Files that need other policy values than the common ones. */
const POLICY_FOR: Record<string, Record<string, unknown>> = {
  'missing-meeting-rules': POLICY_WITHOUT_MEETING_RULES,
};

describe('compiler: every rejection rule has a crafted file', () => {
  test.each(Object.entries(EXPECTED))(
    'given bad/%s.bpmn, when compiled, then exactly its problems',
    async (name, expected) => {
      const file = `bad/${name}.bpmn`;
      const bpmn = readFileSync(path.join(BAD, `${name}.bpmn`), 'utf8');

      const error = await rejection(compileProcedure({ file, bpmn, policyValues: POLICY_FOR[name] ?? POLICY }));

      expect(error.problems).toEqual(
        expected.map(([elementId, elementType, rule, message]) => ({ file, elementId, elementType, rule, message })),
      );
      expect(error.message).toBe(
        expected.map(([id, type, rule, message]) => `${file}: ${id} (${type}) [${rule}]: ${message}`).join('\n'),
      );
    },
  );

  test('every rule is exercised by some file, and every file in bad/ is listed here', () => {
    const exercised = new Set(Object.values(EXPECTED).flatMap((problems) => problems.map(([, , rule]) => rule)));
    // No small file reaches these: test/unit/compiler-soundness.test.ts plays them on hand-built graphs.
    const builtByHand = ['cannot-end', 'too-complex'];
    expect(COMPILE_RULES.filter((rule) => !exercised.has(rule) && !builtByHand.includes(rule))).toEqual([]);
    const files = readdirSync(BAD).map((f) => f.replace(/\.bpmn$/, ''));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describe('compiler: malformed input never escapes as a raw error', () => {
  test.each([
    ['empty', ''],
    ['plain text', 'not xml at all'],
    ['unclosed tag', '<bpmn:definitions'],
    ['mismatched tags', '<a></b>'],
    ['another vocabulary', '<?xml version="1.0"?><html/>'],
    ['binary', '\u0000\u0001\u0002'],
  ])('given %s, when compiled, then a CompileError about the document', async (_label, bpmn) => {
    const error = await rejection(compileText(bpmn));

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: 'test.bpmn', elementId: '(document)', rule: 'malformed-xml' });
  });

  test('given arbitrary text, when compiled, then it fails with CompileError and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (bpmn) => {
        await expect(compileText(bpmn)).rejects.toBeInstanceOf(CompileError);
      }),
      { numRuns: 150 },
    );
  });

  test('given a valid file with a random slice cut out or text spliced in, then a graph or a CompileError', async () => {
    const mutation = fc.oneof(
      fc.record({ at: fc.nat(ALL_FEATURES.length), cut: fc.integer({ min: 1, max: 400 }), insert: fc.constant('') }),
      fc.record({
        at: fc.nat(ALL_FEATURES.length),
        cut: fc.constant(0),
        insert: fc.constantFrom('<', '>', '"', '/>', '&', 'mp:', ' x="1"', '<bpmn:task id="t"/>', 'policy:', '-'),
      }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ({ at, cut, insert }) => {
        const bpmn = ALL_FEATURES.slice(0, at) + insert + ALL_FEATURES.slice(at + cut);
        try {
          const graph = await compileText(bpmn);
          expect(ProcedureGraphSchema.safeParse(graph).success).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(CompileError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('compiler: the whole supported subset', () => {
  let graph: ProcedureGraph;
  beforeAll(async () => {
    graph = await compileText(ALL_FEATURES);
  });

  test('given the all-features file, then the process, its start and every element become the graph', () => {
    expect(graph.id).toBe('all-features');
    expect(graph.name).toEqual({ zh: '全部功能', en: 'All features' });
    expect(graph.startEvent).toBe('start');
    expect(Object.keys(graph.nodes)).toHaveLength(25);
    expect(Object.keys(graph.flows)).toHaveLength(26);
  });

  test('then a submit step carries its roles, deadline and every field type', () => {
    const propose = node(graph, 'propose', 'userTask');
    expect(propose.incoming).toEqual(['flow-start', 'flow-objected']);
    expect(propose.outgoing).toEqual(['flow-propose']);
    expect(propose.step).toEqual({
      kind: 'submit',
      roles: ['secretary', 'director'],
      deadline: { amount: 3, unit: 'days' },
      fields: [
        { name: 'title', type: 'string', required: true, maxLength: 100, label: { zh: '名称', en: 'Title' } },
        { name: 'description', type: 'text', required: false, label: { zh: '内容', en: 'Description' } },
        {
          name: 'category',
          type: 'enum',
          required: true,
          values: ['works', 'goods', 'services'],
          label: { zh: '类别', en: 'Category' },
        },
        {
          name: 'amount',
          type: 'amount',
          required: true,
          min: 0,
          max: 1000000,
          label: { zh: '金额（元）', en: 'Amount (yuan)' },
        },
        { name: 'households', type: 'integer', required: false, min: 1, label: { zh: '户数', en: 'Households' } },
        { name: 'ratio', type: 'number', required: false, label: { zh: '比例', en: 'Ratio' } },
        { name: 'due', type: 'date', required: false, label: { zh: '期限', en: 'Due' } },
        { name: 'urgent', type: 'boolean', required: true, label: { zh: '紧急', en: 'Urgent' } },
        { name: 'attachment', type: 'hash', required: false, label: { zh: '附件', en: 'Attachment' } },
      ],
    });
  });

  test('then meeting, disclosure, review, approval and record steps resolve bodies and durations', () => {
    expect(node(graph, 'resolve', 'userTask').step).toMatchObject({
      kind: 'meeting',
      bodies: ['villagers', 'representatives'],
      roles: ['director', 'secretary'],
    });
    expect(node(graph, 'disclose', 'userTask').step).toMatchObject({
      kind: 'disclosure',
      window: { amount: 3, unit: 'days' },
      deadline: { amount: 5, unit: 'workingDays' },
    });
    expect(node(graph, 'review', 'userTask').step).toEqual({
      kind: 'review',
      roles: ['supervisor'],
      fields: [],
      deadline: { amount: 4, unit: 'workingDays' },
    });
    expect(node(graph, 'approve', 'userTask').step).toEqual({ kind: 'approval', roles: ['town-official'], fields: [] });
    expect(node(graph, 'audit', 'userTask').step.kind).toBe('record');
  });

  test('then service tasks, timers and boundary events are typed nodes', () => {
    expect(node(graph, 'notify', 'serviceTask').action).toBe('notify-villagers');
    expect(node(graph, 'cool-off', 'timerCatchEvent').duration).toEqual({ amount: 2, unit: 'hours' });
    expect(node(graph, 'remind', 'boundaryTimerEvent')).toMatchObject({
      attachedTo: 'disclose',
      interrupting: false,
      duration: { amount: 1, unit: 'days' },
      incoming: [],
      outgoing: ['flow-remind'],
    });
    expect(node(graph, 'escalate', 'boundaryTimerEvent')).toMatchObject({
      attachedTo: 'approve',
      interrupting: true,
      duration: { amount: 10, unit: 'workingDays' },
    });
    // the rejection is decided after the join: a rejection inside one branch would leave the other's token behind
    expect(node(graph, 'join', 'parallelGateway').incoming).toEqual(['flow-resolve', 'flow-cooled']);
    expect(node(graph, 'end-rejected', 'endEvent').outcome).toBe('rejected');
  });

  test('then gateways keep their default, and a lone unconditioned way out becomes the default', () => {
    expect(node(graph, 'approve-result', 'exclusiveGateway').default).toBe('flow-no-audit');
    expect(node(graph, 'merge', 'exclusiveGateway').default).toBe('flow-end');
    expect(node(graph, 'to-review', 'exclusiveGateway').default).toBe('flow-to-review');
    // exhaustive without a default: = / != on review.decision, = true / = false on a required boolean
    expect(node(graph, 'review-result', 'exclusiveGateway').default).toBeUndefined();
    expect(node(graph, 'urgent-check', 'exclusiveGateway').default).toBeUndefined();
    expect(node(graph, 'resolve-result', 'exclusiveGateway').default).toBeUndefined();
  });

  test('then conditions are kept verbatim on the flows that leave exclusive gateways, and only there', () => {
    expect(graph.flows['flow-objected']).toEqual({
      id: 'flow-objected',
      source: 'review-result',
      target: 'propose',
      condition: '"approved" != review.decision',
    });
    const conditioned = Object.values(graph.flows).filter((f) => f.condition !== undefined);
    expect(conditioned.map((f) => f.id).sort()).toEqual(
      [
        'flow-approved',
        'flow-audit',
        'flow-not-urgent',
        'flow-objected',
        'flow-passed',
        'flow-rejected',
        'flow-urgent',
      ].sort(),
    );
  });

  test('then missing English names fall back to Chinese, and unnamed events and gateways to their id', () => {
    expect(graph.nodes.remind?.name).toEqual({ zh: '提醒', en: '提醒' });
    expect(graph.nodes['end-escalated']?.name).toEqual({ zh: 'end-escalated', en: 'end-escalated' });
    expect(graph.flows['flow-urgent']?.name).toEqual({ zh: '紧急', en: 'Urgent' });
    expect(graph.flows['flow-not-urgent']?.name).toEqual({ zh: '不紧急', en: '不紧急' });
    expect(graph.flows['flow-start']?.name).toBeUndefined();
  });

  test('then graph.policy holds exactly the values the file reads, meetingRules included for its meeting', () => {
    expect(Object.keys(graph.policy).sort()).toEqual([
      'fixture.deadline',
      'fixture.escalation',
      'fixture.threshold',
      'fixture.window',
      'meetingRules',
    ]);
    expect(graph.policy.meetingRules).toEqual(POLICY.meetingRules);
  });

  test('then a condition reading a dotted policy key evaluates at run time the way the compiler read it', () => {
    const condition = graph.flows['flow-audit']?.condition ?? '';
    const context = (amount: number) => ({
      approve: { decision: 'approved' },
      propose: { amount },
      policy: graph.policy,
      matter: { village: 'v1', procedure: graph.id },
    });

    expect(evaluate(condition, context(20000)).value).toBe(true);
    expect(evaluate(condition, context(5000)).value).toBe(false);
  });
});

describe('compiler: durations in ISO 8601 too', () => {
  test.each([
    ['PT2H', { amount: 2, unit: 'hours' }],
    ['P3D', { amount: 3, unit: 'days' }],
    ['P1DT12H', { amount: 36, unit: 'hours' }],
    ['P2W', { amount: 14, unit: 'days' }],
    ['PT90S', { amount: 90, unit: 'seconds' }],
  ])('given mp:deadline="%s", then the step has that deadline', async (iso, expected) => {
    const bpmn = readFileSync(path.join(BAD, 'duration-too-long.bpmn'), 'utf8').replace('100000000 workingDays', iso);

    const graph = await compileText(bpmn);

    expect(node(graph, 'propose', 'userTask').step.deadline).toEqual(expected);
  });

  test.each(['P1Y', 'P1M', 'PT', 'P0D', 'P400D', '1e15 days'])(
    'given mp:deadline="%s", then it is refused',
    async (raw) => {
      const bpmn = readFileSync(path.join(BAD, 'duration-too-long.bpmn'), 'utf8').replace('100000000 workingDays', raw);

      const error = await rejection(compileText(bpmn));

      expect(error.problems.map((p) => [p.elementId, p.rule])).toEqual([
        ['propose', raw === 'P400D' ? 'duration-too-long' : 'bad-duration'],
      ]);
    },
  );
});

describe('compiler: version', () => {
  function expectedVersion(bpmn: string, policy: Record<string, unknown>): string {
    const sorted = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(sorted)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(
              Object.keys(value)
                .sort()
                .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
            )
          : value;
    return createHash('sha256')
      .update(`${bpmn}\0${JSON.stringify(sorted(policy))}`)
      .digest('hex')
      .slice(0, 16);
  }

  test('given a file and policy, then the version is sha256 of the BPMN, NUL and the sorted policy it uses', async () => {
    const graph = await compileText(ALL_FEATURES);

    expect(graph.version).toBe(expectedVersion(ALL_FEATURES, graph.policy));
    expect((await compileText(ALL_FEATURES)).version).toBe(graph.version);
  });

  test('given a changed BPMN text, then a new version', async () => {
    const before = await compileText(ALL_FEATURES);
    const after = await compileText(ALL_FEATURES.replace('name="全部功能"', 'name="全部功能（修订）"'));

    expect(after.version).not.toBe(before.version);
  });

  test.each([
    ['a duration it reads', 'fixture.window', { amount: 5, unit: 'days' }],
    ['a threshold its FEEL reads', 'fixture.threshold', 20000],
    ['its meeting rules', 'meetingRules', STRICTER_VILLAGERS],
  ])('given a change to %s, then a new version', async (_label, key, value) => {
    const before = await compileText(ALL_FEATURES);
    const after = await compileText(ALL_FEATURES, { ...POLICY, [key]: value });

    expect(after.version).not.toBe(before.version);
    expect(after.policy[key]).toEqual(value);
  });

  test('given a change to a value it does not read, or another key order, then the same version', async () => {
    const before = await compileText(ALL_FEATURES);
    const unused = await compileText(ALL_FEATURES, {
      ...POLICY,
      'fixture.unused': { amount: 9, unit: 'days' },
      'majorDecision.resultDisclosure': { amount: 30, unit: 'days' },
    });
    const reordered = await compileText(ALL_FEATURES, Object.fromEntries(Object.entries(POLICY).reverse()));

    expect(unused.version).toBe(before.version);
    expect(reordered.version).toBe(before.version);
  });
});

describe('compiler: shipped procedures', () => {
  const shipped = readdirSync(PROCEDURES).filter((f) => f.endsWith('.bpmn'));
  const policies = {
    luojiang: loadPolicyFile(path.join(PROCEDURES, 'policies', 'luojiang.json')),
    short: loadPolicyFile(path.join(ROOT, 'test', 'fixtures', 'policies', 'short.json')),
  };

  test('there is at least the major decision', () => {
    expect(shipped).toContain('major-decision.bpmn');
  });

  test.each(shipped.flatMap((file) => [[file, 'luojiang'] as const, [file, 'short'] as const]))(
    'given %s and the %s policy, when compiled, then a graph named after the file',
    async (file, policy) => {
      const bpmn = readFileSync(path.join(PROCEDURES, file), 'utf8');
      const graph = await compileProcedure({
        file,
        bpmn,
        policyValues: policyValuesAt(policies[policy], '2024-05-01'),
      });

      expect(graph.id).toBe(file.replace(/\.bpmn$/, ''));
    },
  );

  test('given the shipped procedures, then the fields naming a party are marked (回避), and an individual payee is personal', async () => {
    const marked: Record<string, string[]> = {};
    for (const file of shipped) {
      const graph = await compileProcedure({
        file,
        bpmn: readFileSync(path.join(PROCEDURES, file), 'utf8'),
        policyValues: policyValuesAt(policies.luojiang, '2024-05-01'),
      });
      marked[graph.id] = Object.values(graph.nodes).flatMap((n) =>
        n.type === 'userTask' ? n.step.fields.filter((f) => f.party).map((f) => `${n.id}.${f.name}:${f.party}`) : [],
      );
      if (graph.id === 'fund-approval') {
        const payee = node(graph, 'apply', 'userTask').step.fields.find((f) => f.name === 'payee');
        expect(payee?.personal).toEqual({ field: 'payeeKind', equals: 'individual' });
      }
    }

    expect(marked).toEqual({
      'major-decision': [],
      'fund-approval': ['apply.payee:payee'],
      'project-bidding': [
        'direct-award.contractor:counterparty',
        'evaluation.firstCandidate:bidder',
        'contract.contractor:counterparty',
      ],
      'asset-disposal': [
        'town-exchange.winner:bidder',
        'village-auction.winner:bidder',
        'sign-contract.counterparty:counterparty',
      ],
    });
  });

  test('given the major decision, then its steps are those of 四议两公开 with the district durations', async () => {
    const bpmn = readFileSync(path.join(PROCEDURES, 'major-decision.bpmn'), 'utf8');
    const graph = await compileProcedure({
      file: 'major-decision.bpmn',
      bpmn,
      policyValues: policyValuesAt(policies.luojiang, '2024-05-01'),
    });
    const step = (id: string) => node(graph, id, 'userTask').step;

    expect(step('propose')).toMatchObject({ kind: 'submit', roles: ['secretary'] });
    expect(step('deliberate')).toMatchObject({ kind: 'meeting', bodies: ['two-committees'] });
    expect(step('party-review')).toMatchObject({ kind: 'meeting', bodies: ['party-members'] });
    expect(step('resolve')).toMatchObject({ kind: 'meeting', bodies: ['villagers', 'representatives'] });
    expect(step('disclose-resolution')).toMatchObject({
      kind: 'disclosure',
      window: { amount: 5, unit: 'workingDays' },
    });
    expect(step('implement').kind).toBe('record');
    expect(step('disclose-result')).toMatchObject({ kind: 'disclosure', window: { amount: 7, unit: 'days' } });
    const outcomes = Object.values(graph.nodes).flatMap((n) => (n.type === 'endEvent' ? [n.outcome] : []));
    expect(outcomes.sort()).toEqual(['completed', 'rejected', 'withdrawn']);
    expect(graph.policy.meetingRules).toBeDefined();
  });
});
