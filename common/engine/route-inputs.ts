import { evaluate } from 'feelin';
import type { ProcedureGraph, Step } from '../graph';
import { feelContext, feelName } from './feel';
import { problem } from './problems';
import { ActionErrorCode, type ActionProblem, type MatterState } from './types';

/** Far above any amount or area a village deals in: "as large as it may be". */
const LARGE = 1e15;

/**
 * A route may not turn on a number nobody gave. When a step's answers leave a gateway condition
 * undecided for want of one of its optional numbers, and that number alone would decide it, the
 * number is required: land (`isLand = true`) without its area (`landMu`) would otherwise read as
 * "not 10 mu or more" and go to the village auction instead of the town exchange, whatever its size.
 * The step's other numbers are tried as given and at zero, so the rule holds whatever they are
 * (land of high book value goes to the exchange anyway, but its area is still what the law weighs).
 * A missing text or choice stays "not that value" (a meeting's `followUp`), as FEEL reads it.
 */
export function routeInputProblem(
  graph: ProcedureGraph,
  state: MatterState,
  stepId: string,
  step: Step,
  data: unknown,
): ActionProblem | undefined {
  if (state.rules?.routeInputs !== true || typeof data !== 'object' || data === null) return undefined;
  const given = data as Record<string, unknown>;
  const numeric = step.fields.filter((f) => f.type === 'amount' || f.type === 'number' || f.type === 'integer');
  const missing = numeric.filter((f) => !f.required && typeof given[f.name] !== 'number');
  if (missing.length === 0) return undefined;
  const prefix = feelName(stepId);
  const zeroed = { ...given, ...Object.fromEntries(numeric.filter((f) => f.name in given).map((f) => [f.name, 0])) };
  const base = feelContext(graph, state);
  const decided = (values: Record<string, unknown>, condition: string) =>
    evaluate(condition, { ...base, [prefix]: values }).value !== null;
  for (const field of missing) {
    const reads = new RegExp(`(^|[^A-Za-z0-9_.])${prefix}\\.${field.name}(?![A-Za-z0-9_])`);
    for (const flow of Object.values(graph.flows)) {
      const condition = flow.condition;
      if (condition === undefined || !reads.test(condition)) continue;
      const needed = [given, zeroed].some(
        (values) =>
          !decided(values, condition) &&
          decided({ ...values, [field.name]: 0 }, condition) &&
          decided({ ...values, [field.name]: LARGE }, condition),
      );
      if (!needed) continue;
      const gateway = graph.nodes[flow.source]?.name ?? { zh: flow.source, en: flow.source };
      return problem(
        ActionErrorCode.InvalidData,
        `${field.name} (${field.label.en}) is required here: the ${gateway.en} decision turns on it / 须填写${field.label.zh}（${field.name}）：${gateway.zh}要依据它确定`,
        [{ field: `data.${field.name}`, message: `required: ${gateway.en} (${gateway.zh}) turns on it` }],
      );
    }
  }
  return undefined;
}
