import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CompileError, compileProcedure, compileWithWarnings } from '../../procedures/compiler';
import { loadPolicyFile, policyValuesAt } from '../../procedures/policy';

/** Constructs outside the subset, as other modelers draw them: each refused by name, with what to use instead. */

const ROOT = path.resolve(__dirname, '..', '..');
const OUTSIDE = path.join(ROOT, 'test', 'fixtures', 'bpmn', 'outside');
const POLICY = policyValuesAt(loadPolicyFile(path.join(ROOT, 'procedures', 'policies', 'luojiang.json')), '2024-05-01');

const REFUSED: Record<string, [elementId: string, elementType: string, instead: string]> = {
  'sub-process': ['it', 'bpmn:subProcess', 'draw its steps in the main process'],
  // another encoding hides nothing: the message is about the sub-process
  'latin1-sub-process': ['it', 'bpmn:subProcess', 'draw its steps in the main process'],
  'call-activity': ['it', 'bpmn:callActivity', 'link the other procedure with mp:linkProcedure'],
  'message-event': ['it', 'bpmn:intermediateCatchEvent', 'a userTask records what arrives'],
  'signal-event': ['it', 'bpmn:intermediateCatchEvent', 'a userTask records what arrives'],
  'error-event': ['it', 'bpmn:intermediateThrowEvent', 'use a serviceTask with mp:action'],
  'escalation-event': ['it', 'bpmn:intermediateCatchEvent', 'timer boundary event'],
  'multi-instance': ['it', 'bpmn:userTask', 'list the items as fields of one step'],
  'plain-task': ['it', 'bpmn:task', 'use a userTask (mp:kind, mp:roles)'],
  'script-task': ['it', 'bpmn:scriptTask', 'use a serviceTask with mp:action'],
  'inclusive-gateway': ['it', 'bpmn:inclusiveGateway', 'use an exclusive gateway'],
  'data-object': ['data', 'bpmn:dataObject', 'record the data as an mp:field'],
  pool: ['it', 'bpmn:collaboration', 'keep one process without pools'],
};

async function compileFile(name: string) {
  const bpmn = readFileSync(path.join(OUTSIDE, `${name}.bpmn`), 'utf8');
  return compileProcedure({ file: `${name}.bpmn`, bpmn, policyValues: POLICY });
}

describe('compiler: constructs outside the subset', () => {
  test.each(Object.entries(REFUSED))(
    'given %s, then it is refused naming the element and what to use instead',
    async (name, [id, type, advice]) => {
      const error = await compileFile(name).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(CompileError);
      const problem = (error as CompileError).problems.find((p) => p.elementId === id);
      expect(problem).toMatchObject({ elementType: type, rule: 'unsupported-element' });
      expect(problem?.message).toContain(advice);
      const encoding = name.startsWith('latin1') ? [['(document)', 'declared-encoding']] : [];
      expect((error as CompileError).warnings.map((w) => [w.elementId, w.rule])).toEqual(encoding);
    },
  );

  test('given a file declaring another encoding, then the encoding alone does not refuse it: a warning names it', async () => {
    const bpmn = readFileSync(path.join(OUTSIDE, 'latin1-encoding.bpmn'), 'utf8');

    const { graph, warnings } = await compileWithWarnings({ file: 'latin1-encoding.bpmn', bpmn, policyValues: POLICY });

    expect(graph.id).toBe('fixture');
    expect(warnings.map((w) => [w.elementId, w.rule])).toEqual([['(document)', 'declared-encoding']]);
    expect(warnings[0]?.message).toContain('ISO-8859-1');
  });

  test('every file in outside/ is listed here', () => {
    const files = readdirSync(OUTSIDE).map((f) => f.replace(/\.bpmn$/, ''));
    expect(files.sort()).toEqual([...Object.keys(REFUSED), 'latin1-encoding'].sort());
  });
});
