import { Problems, type CompileProblem } from '../../procedures/compiler/problems';
import { checkSoundness } from '../../procedures/compiler/soundness';
import { buildGraph } from '../helpers/graph-builder';

type Spec = Parameters<typeof buildGraph>;

function problemsOf(...[nodes, flows]: Spec): CompileProblem[] {
  const graph = buildGraph(nodes, flows);
  const problems = new Problems('test.bpmn');
  checkSoundness(graph.nodes, graph.flows, graph.startEvent, problems);
  return problems.list;
}

const review: Spec[0][string] = { type: 'userTask', step: { kind: 'review', roles: ['supervisor'] } };

describe('compiler: soundness by the token game', () => {
  test('given a sequence, a decision and a parallel split that joins again, then it is sound', () => {
    expect(
      problemsOf(
        {
          start: { type: 'startEvent' },
          loop: { type: 'exclusiveGateway' },
          fork: { type: 'parallelGateway' },
          b: review,
          c: review,
          join: { type: 'parallelGateway' },
          decide: { type: 'exclusiveGateway', default: 'back' },
          end: { type: 'endEvent', outcome: 'completed' },
        },
        [
          ['f0', 'start', 'loop'],
          ['f1', 'loop', 'fork'],
          ['f2', 'fork', 'b'],
          ['f3', 'fork', 'c'],
          ['f4', 'b', 'join'],
          ['f5', 'c', 'join'],
          ['f6', 'join', 'decide'],
          ['back', 'decide', 'loop'],
          ['f7', 'decide', 'end', 'b.decision = "approved"'],
        ],
      ),
    ).toEqual([]);
  });

  test('given a loop no choice leaves, then the state that cannot end is named with its path', () => {
    const problems = problemsOf(
      {
        start: { type: 'startEvent' },
        a: review,
        again: { type: 'exclusiveGateway', default: 'f3' },
        end: { type: 'endEvent', outcome: 'completed' },
      },
      [
        ['f1', 'start', 'a'],
        ['f2', 'a', 'again'],
        ['f3', 'again', 'a'],
      ],
    );

    expect(problems).toEqual([
      {
        file: 'test.bpmn',
        elementId: 'a',
        elementType: 'bpmn:userTask',
        rule: 'cannot-end',
        message:
          'from here the matter can never reach an end event (tokens at a; path: start): give the loop a way out',
      },
    ]);
  });

  test('given more parallel combinations than can be proven, then it is refused, quickly', () => {
    const branches = 9;
    const nodes: Spec[0] = { start: { type: 'startEvent' }, fork: { type: 'parallelGateway' } };
    const flows: Spec[1] = [['f0', 'start', 'fork']];
    for (let b = 0; b < branches; b += 1) {
      nodes[`a${b}`] = review;
      nodes[`b${b}`] = review;
      nodes[`c${b}`] = review;
      flows.push([`s${b}`, 'fork', `a${b}`], [`ab${b}`, `a${b}`, `b${b}`], [`bc${b}`, `b${b}`, `c${b}`]);
      flows.push([`cj${b}`, `c${b}`, 'join']);
    }
    nodes.join = { type: 'parallelGateway' };
    nodes.end = { type: 'endEvent', outcome: 'completed' };
    flows.push(['fe', 'join', 'end']);
    const started = Date.now();

    const problems = problemsOf(nodes, flows);

    expect(problems.map((p) => [p.elementId, p.rule])).toEqual([['start', 'too-complex']]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  /** `k` exclusive choices in a row after one step, each of two flows that meet again at once. */
  function choicesInARow(k: number): Spec {
    const nodes: Spec[0] = {
      start: { type: 'startEvent' },
      a: review,
      end: { type: 'endEvent', outcome: 'completed' },
    };
    const flows: Spec[1] = [['f0', 'start', 'a']];
    let previous = 'a';
    for (let i = 1; i <= k; i += 1) {
      nodes[`choose-${i}`] = { type: 'exclusiveGateway', default: `no-${i}` };
      nodes[`meet-${i}`] = { type: 'exclusiveGateway' };
      flows.push(
        [`in-${i}`, previous, `choose-${i}`],
        [`yes-${i}`, `choose-${i}`, `meet-${i}`, 'a.decision = "approved"'],
        [`no-${i}`, `choose-${i}`, `meet-${i}`],
      );
      previous = `meet-${i}`;
    }
    flows.push(['last', previous, 'end']);
    return [nodes, flows];
  }

  test('given 60 choices in a row with no step between them, then each is passed once per state, not once per path', () => {
    // 2^60 paths lead through them, all to the same state: walked path by path this never ends
    expect(problemsOf(...choicesInARow(60))).toEqual([]);
  });

  test('given 150 choices in a row (300 gateways), then too-complex names where, instead of overflowing the stack', () => {
    const problems = problemsOf(...choicesInARow(150));

    expect(problems.map((p) => [p.elementId, p.rule])).toEqual([['choose-101', 'too-complex']]);
    expect(problems[0]?.message).toContain('more than 200 gateways follow each other with no step between them');
  });
});
