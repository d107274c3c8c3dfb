import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver';
import { END_OUTCOMES, ROLES, STEP_KINDS } from '../../common/graph';
import { CompileError, compileWithWarnings } from '../../procedures/compiler';
import { LINT_CONFIG } from '../../procedures/compiler/lint';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';

/**
 * bpmnlint at compile time and in `npm run lint:bpmn`, with one config (.bpmnlintrc →
 * bpmnlint-plugin-mp's `recommended`): what the compiler says, a bpmnlint-aware modeler says too.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const PROCEDURES = path.join(ROOT, 'procedures');
const POLICY = policyValuesAt(loadPolicyFile(path.join(PROCEDURES, 'policies', 'luojiang.json')), '2024-05-01');
const MAJOR_DECISION = readFileSync(path.join(PROCEDURES, 'major-decision.bpmn'), 'utf8');
const vocabulary = JSON.parse(readFileSync(path.join(PROCEDURES, 'bpmnlint-plugin', 'vocabulary.json'), 'utf8')) as {
  outcomes: string[];
  kinds: string[];
  roles: string[];
};

/** What the bpmnlint CLI reports with the repository's .bpmnlintrc: plain bpmn-moddle, no mp descriptor. */
async function bpmnlintCli(bpmn: string): Promise<[elementId: string, rule: string][]> {
  const config = JSON.parse(readFileSync(path.join(ROOT, '.bpmnlintrc'), 'utf8')) as Record<string, unknown>;
  const { rootElement } = await new BpmnModdle().fromXML(bpmn);
  const reports = await new Linter({ config, resolver: new NodeResolver({ require }) }).lint(rootElement);
  return Object.entries(reports).flatMap(([rule, found]) => found.map((r): [string, string] => [r.id ?? '', rule]));
}

async function refusal(bpmn: string): Promise<CompileError> {
  const error = await compileWithWarnings({ file: 'x.bpmn', bpmn, policyValues: POLICY }).catch((e: unknown) => e);
  if (!(error instanceof CompileError)) throw new Error(`expected a CompileError, got ${String(error)}`);
  return error;
}

describe('compiler: bpmnlint', () => {
  test('the compiler lints with the config .bpmnlintrc gives the CLI and a modeler', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, '.bpmnlintrc'), 'utf8'))).toEqual(LINT_CONFIG);
  });

  test('the plugin’s closed vocabularies are the engine’s', () => {
    expect(vocabulary.outcomes).toEqual([...END_OUTCOMES]);
    expect(vocabulary.kinds).toEqual([...STEP_KINDS]);
    expect(vocabulary.roles).toEqual([...ROLES]);
  });

  test.each(readdirSync(PROCEDURES).filter((f) => f.endsWith('.bpmn')))(
    'given the shipped %s, then neither bpmnlint nor the compiler has anything to say',
    async (file) => {
      const bpmn = readFileSync(path.join(PROCEDURES, file), 'utf8');

      const { warnings } = await compileWithWarnings({ file, bpmn, policyValues: POLICY });

      expect(warnings).toEqual([]);
      expect(await bpmnlintCli(bpmn)).toEqual([]);
    },
  );

  test('given a misspelt role and outcome, then the compiler and the bpmnlint CLI name the same elements and rules', async () => {
    const bpmn = MAJOR_DECISION.replace('mp:roles="secretary"', 'mp:roles="mayor"').replace(
      'mp:outcome="completed"',
      'mp:outcome="complted"',
    );

    const error = await refusal(bpmn);
    const cli = await bpmnlintCli(bpmn);

    const compiler = error.problems.map((p) => [p.elementId, `mp/${p.rule}`]);
    expect(cli.length).toBeGreaterThan(0);
    expect(compiler.sort()).toEqual(cli.sort());
    expect(error.problems.find((p) => p.rule === 'unknown-role')?.message).toContain('unknown role mayor (roles:');
  });

  test('given a task that splits implicitly, then bpmnlint’s error refuses it, naming the element, the rule and the fix', async () => {
    const bpmn = MAJOR_DECISION.replace(
      '</bpmn:process>',
      '<bpmn:sequenceFlow id="extra" sourceRef="propose" targetRef="end-withdrawn" /></bpmn:process>',
    ).replace(
      '</bpmndi:BPMNPlane>',
      '<bpmndi:BPMNEdge id="extra_di" bpmnElement="extra"><di:waypoint x="0" y="0" /><di:waypoint x="9" y="9" /></bpmndi:BPMNEdge></bpmndi:BPMNPlane>',
    );

    const error = await refusal(bpmn);

    expect(error.problems).toContainEqual({
      file: 'x.bpmn',
      elementId: 'propose',
      elementType: 'bpmn:userTask',
      rule: 'bpmnlint/no-implicit-split',
      message: 'Flow splits implicitly: split with a gateway: exclusive (one way) or parallel (all ways)',
    });
  });

  test('given a gateway with one way in and one out, then bpmnlint’s warning is reported and the file compiles', async () => {
    // the flow from the start into propose goes through a gateway that decides nothing
    const first = /<bpmn:sequenceFlow id="([^"]+)" sourceRef="start" targetRef="([^"]+)"/.exec(MAJOR_DECISION);
    if (!first) throw new Error('major-decision.bpmn has no flow from start');
    const [, flowId, target] = first;
    const bpmn = MAJOR_DECISION.replace(
      `id="${flowId}" sourceRef="start" targetRef="${target}"`,
      `id="${flowId}" sourceRef="start" targetRef="pass"`,
    )
      .replace(
        '</bpmn:process>',
        `<bpmn:exclusiveGateway id="pass" /><bpmn:sequenceFlow id="pass-on" sourceRef="pass" targetRef="${target}" /></bpmn:process>`,
      )
      .replace(
        '</bpmndi:BPMNPlane>',
        '<bpmndi:BPMNShape id="pass_di" bpmnElement="pass"><dc:Bounds x="0" y="0" width="50" height="50" /></bpmndi:BPMNShape>' +
          '<bpmndi:BPMNEdge id="pass-on_di" bpmnElement="pass-on"><di:waypoint x="0" y="0" /><di:waypoint x="9" y="9" /></bpmndi:BPMNEdge></bpmndi:BPMNPlane>',
      );

    const { graph, warnings } = await compileWithWarnings({ file: 'x.bpmn', bpmn, policyValues: POLICY });

    expect(graph.nodes.pass?.type).toBe('exclusiveGateway');
    expect(warnings).toContainEqual({
      file: 'x.bpmn',
      elementId: 'pass',
      elementType: 'bpmn:exclusiveGateway',
      rule: 'bpmnlint/superfluous-gateway',
      message:
        'Gateway is superfluous. It only has one source and target: delete the gateway and connect the flow directly',
    });
  });

  test('given a file declaring ISO-8859-1, then a warning names the encoding and the file compiles', async () => {
    const bpmn = MAJOR_DECISION.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(bpmn).not.toBe(MAJOR_DECISION);

    const { graph, warnings } = await compileWithWarnings({ file: 'x.bpmn', bpmn, policyValues: POLICY });

    expect(graph.id).toBe('major-decision');
    expect(warnings).toEqual([expect.objectContaining({ elementId: '(document)', rule: 'declared-encoding' })]);
    expect(warnings[0]?.message).toContain('ISO-8859-1');
  });

  test('given a file declaring ISO-8859-1 with a real problem, then the problem is reported, the encoding only warned', async () => {
    const bpmn = MAJOR_DECISION.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
      'mp:kind="submit"',
      'mp:kind="sbmit"',
    );

    const error = await refusal(bpmn);

    expect(error.problems.map((p) => p.rule)).toEqual(['unknown-kind']);
    expect(error.warnings.map((p) => p.rule)).toEqual(['declared-encoding']);
  });
});
