import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/canonical-json';
import { ProcedureGraphSchema, type ProcedureGraph } from '../../common/graph';
import { drawnElements } from './diagram';
import { text } from './moddle';
import { lintDefinitions, preferOwnFindings } from './lint';
import { findProcess, parseDefinitions } from './parse';
import { Problems, type CompileProblem } from './problems';
import { compileProcess } from './process';

/**
 * The procedure compiler: one BPMN file plus the policy values in force → a ProcedureGraph.
 * It refuses everything the engine would otherwise meet at run time, months into a matter:
 * an element it cannot run, a step nobody may act on, a condition that reads nothing, a gateway
 * where no flow holds. Problems are collected (not thrown one by one) so an author sees them all.
 * See procedures/README.md for the supported subset and the module map.
 */

export {
  COMPILE_RULES,
  COMPILE_WARNINGS,
  CompileError,
  type CompileProblem,
  type CompileRule,
  type LintRule,
} from './problems';
export { canonicalJson };

export interface CompileInput {
  /** shown in messages only */
  file: string;
  bpmn: string;
  /** the policy values in force (procedures/policy.ts `policyValuesAt`) */
  policyValues: Record<string, unknown>;
}

/** `version`: the BPMN text and the policy values it uses, so either changing gives a new version. */
export function procedureVersion(bpmn: string, policy: Record<string, unknown>): string {
  return createHash('sha256').update(bpmn).update('\0').update(canonicalJson(policy)).digest('hex').slice(0, 16);
}

export async function compileProcedure(input: CompileInput): Promise<ProcedureGraph> {
  return (await compileWithWarnings(input)).graph;
}

/** The graph, and the findings that do not refuse it (a declared encoding, bpmnlint's warnings). */
export async function compileWithWarnings(
  input: CompileInput,
): Promise<{ graph: ProcedureGraph; warnings: CompileProblem[] }> {
  const problems = new Problems(input.file);
  const definitions = await parseDefinitions(input.bpmn, problems);
  // First: the process checks run the token game only on a file without problems.
  await lintDefinitions(definitions, problems);
  const process = findProcess(definitions, problems);
  if (!process) {
    preferOwnFindings(problems);
    throw problems.error();
  }
  const compiled = compileProcess(process, input.policyValues, problems, {
    drawn: drawnElements(definitions),
    // bpmn-moddle fills in BPMN's default (XPath) when the file declares nothing: only an own value was written
    expressionLanguage: Object.hasOwn(definitions, 'expressionLanguage')
      ? text(definitions, 'expressionLanguage')
      : undefined,
  });
  preferOwnFindings(problems);
  if (problems.list.length > 0 || !compiled) throw problems.error();
  const policy = Object.fromEntries(compiled.policyKeys.sort().map((key) => [key, input.policyValues[key]]));
  const graph = ProcedureGraphSchema.parse({
    id: compiled.id,
    name: compiled.name,
    version: procedureVersion(input.bpmn, policy),
    policy,
    startEvent: compiled.startEvent,
    ...(compiled.link ? { link: compiled.link } : {}),
    ...(compiled.split ? { split: compiled.split } : {}),
    nodes: compiled.nodes,
    flows: compiled.flows,
  });
  return { graph, warnings: problems.warnings };
}
