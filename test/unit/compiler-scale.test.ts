import { CompileError, compileProcedure } from '../../procedures/compiler';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';
import { chainOfGateways, chainOfTasks, parallelDiamonds } from '../../scripts/bench/large-procedure';
import path from 'node:path';

/**
 * Large generated procedures (the bench's compile section times them): the compiler's result on them
 * must be right, whatever the size. Its time is the bench's business, not a test's.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const POLICY = policyValuesAt(loadPolicyFile(path.join(ROOT, 'procedures', 'policies', 'luojiang.json')), '2024-05-01');

const compile = (bpmn: string) => compileProcedure({ file: 'large.bpmn', bpmn, policyValues: POLICY });

async function problemsOf(bpmn: string): Promise<[string, string][]> {
  const error = await compile(bpmn).catch((e: unknown) => e);
  if (!(error instanceof CompileError)) throw new Error('expected a CompileError');
  return error.problems.map((p) => [p.elementId, p.rule]);
}

describe('compiler: large procedures', () => {
  test('given 10,000 steps in a chain, then every step is in the graph, each leading to the next', async () => {
    const graph = await compile(chainOfTasks(10_000));

    expect(Object.keys(graph.nodes)).toHaveLength(10_002);
    expect(graph.nodes['s-1']?.incoming).toEqual(['f-1']);
    expect(graph.nodes['s-5000']?.outgoing).toEqual(['f-5001']);
    expect(graph.flows['f-end']).toMatchObject({ source: 's-10000', target: 'end' });
  }, 120_000);

  test('given 1,000 gateways each reading the step before it, then it compiles with every condition', async () => {
    const graph = await compile(chainOfGateways(1_000));

    const gateways = Object.values(graph.nodes).filter((n) => n.type === 'exclusiveGateway');
    expect(gateways).toHaveLength(1_000);
    expect(graph.flows['in-end']?.condition).toBe('r1000.decision = "approved"');
  }, 120_000);

  test('given 300 gateways and a default that skips a step, then only the condition reading that step is refused', async () => {
    // g-2's default leads on to r-4, past r-3: the last gateway may be reached without r-3, never without r-2
    const skipping = chainOfGateways(300).replace(
      'id="back-2" sourceRef="g-2" targetRef="r-1"',
      'id="back-2" sourceRef="g-2" targetRef="r-4"',
    );
    const reads = (step: string) =>
      skipping
        .replace('r300.decision = &quot;approved&quot;', `${step}.decision = &quot;approved&quot;`)
        .replace('r300.decision = "approved"', `${step}.decision = "approved"`);
    expect(skipping).toContain('targetRef="r-4"');

    expect(await problemsOf(reads('r3'))).toEqual([['in-end', 'feel-step-not-run']]);
    await expect(compile(reads('r2'))).resolves.toMatchObject({ id: 'large' });
  }, 120_000);

  test('given 300 parallel splits, then a step on one branch has run once its join has fired', async () => {
    const graph = await compile(parallelDiamonds(300, 'a1'));

    expect(Object.values(graph.nodes).filter((n) => n.type === 'parallelGateway')).toHaveLength(600);
  }, 120_000);

  test('given a step on one branch of an exclusive choice, then a condition after the merge may not read it', async () => {
    // the second diamond's split becomes a choice: a-2 or b-2, then the same merge
    const choice = parallelDiamonds(3, 'a2')
      .replace(
        '<bpmn:parallelGateway id="fork-2" name="fork-2" />',
        '<bpmn:exclusiveGateway id="fork-2" name="fork-2" default="b-in-2" />',
      )
      .replace(
        '<bpmn:parallelGateway id="join-2" name="join-2" />',
        '<bpmn:exclusiveGateway id="join-2" name="join-2" />',
      )
      .replace(
        /(<bpmn:sequenceFlow id="a-in-2" [^>]*?)\s*\/>/,
        '$1><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">a1.decision = "approved"</bpmn:conditionExpression></bpmn:sequenceFlow>',
      );
    expect(choice).toContain('<bpmn:exclusiveGateway id="join-2"');

    expect(await problemsOf(choice)).toEqual([['approved', 'feel-step-not-run']]);
    await expect(
      compile(choice.replace('a2.decision = "approved"', 'a1.decision = "approved"')),
    ).resolves.toMatchObject({ id: 'large' });
  });
});
